"""NumPy arrays and engine values to JSON-safe Python values.

JSON has no NaN or infinity: Python's json writes them as bare `NaN` tokens that a
browser's JSON.parse rejects, and Starlette refuses them (a 500). So every array leaves
the server through `array_to_json`, which turns non-finite entries into None and says
whether it had to; large ones as {dtype, shape, data} envelopes (`envelope`), which keep
them as little-endian bytes. The frame builders for boundary grids and activations live
here too: REST routes and websocket snapshots both send them.
"""

import base64
import math

import numpy as np


def array_to_json(a: np.ndarray) -> tuple[list, bool]:
    """(nested lists, had_nonfinite); the fast path is one `tolist()` when all finite."""
    a = np.asarray(a)
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist(), False
    out = a.astype(object)
    out[~finite] = None
    return out.tolist(), True


def clean(value):
    """Lists, dicts, numbers and arrays, with every non-finite float replaced by None."""
    if isinstance(value, np.ndarray):
        return array_to_json(value)[0]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def weights_to_json(weights: list[dict]) -> tuple[list[dict], bool]:
    out, nonfinite = [], False
    for layer in weights:
        entry = {}
        for name, arr in layer.items():
            entry[name], bad = array_to_json(arr)
            nonfinite |= bad
        out.append(entry)
    return out, nonfinite


def envelope(a: np.ndarray, dtype: str = "float32") -> dict:
    """A large array as {"dtype", "shape", "data"}: `data` is the little-endian bytes in
    base64 (non-finite values stay NaN/inf there: typed arrays have them)."""
    arr = np.ascontiguousarray(a, dtype=np.dtype(dtype).newbyteorder("<"))
    return {
        "dtype": dtype,
        "shape": list(arr.shape),
        "data": base64.b64encode(arr.tobytes()).decode("ascii"),
    }


def view_to_json(value):
    """A view's result for JSON: arrays of two or more dimensions as envelopes (float32),
    one-dimensional ones as lists, every non-finite float as None."""
    if isinstance(value, np.ndarray):
        return envelope(value) if value.ndim >= 2 else array_to_json(value)[0]
    if isinstance(value, dict):
        return {k: view_to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [view_to_json(v) for v in value]
    return clean(value)


# Snapshot grids are for drawing: 4 decimals are more than a colour scale resolves, and
# short numbers made JSON encoding 3x faster (10 -> 3 ms) and frames 2.5x smaller (200 ->
# 78 kB for 17 24x24 grids) than float32 values printed in full. GET /boundary keeps all.
SNAPSHOT_DECIMALS = 4


def _base64_grid(a: np.ndarray) -> tuple[dict, bool]:
    """A grid as an envelope, and whether it holds non-finite values."""
    return envelope(a), not bool(np.isfinite(a).all())


def boundary_json(
    grid: dict, layers: bool, decimals: int | None = None, encoding: str = "json"
) -> tuple[dict, bool]:
    """Lists of numbers (rounded to `decimals` if given), or with encoding "base64" each
    grid as float32 bytes: about a hundred times faster to encode and to parse, for
    clients that draw many a second."""
    if encoding == "base64":
        encode = _base64_grid
    elif decimals is not None:

        def encode(a):
            return array_to_json(np.round(a.astype(np.float64), decimals))
    else:
        encode = array_to_json
    output, bad = encode(grid["output"])
    out = {"x": grid["x"].tolist(), "y": grid["y"].tolist(), "output": output}
    if layers:
        encoded = [encode(a) for a in grid["layers"]]
        out["layers"] = [e[0] for e in encoded]
        bad |= any(e[1] for e in encoded)
    return out, bad


def activations_json(arrays: list[np.ndarray]) -> tuple[dict, bool]:
    encoded = [array_to_json(a) for a in arrays]
    return (
        {"features": encoded[0][0], "layers": [e[0] for e in encoded[1:]]},
        any(e[1] for e in encoded),
    )


def error_frame(code: str, message: str, path: str | None = None) -> dict:
    frame = {"type": "error", "code": code, "message": message}
    if path:
        frame["path"] = path
    return frame
