"""NumPy arrays and engine values to JSON-safe Python values.

JSON has no NaN or infinity: Python's json writes them as bare `NaN` tokens that a
browser's JSON.parse rejects, and Starlette refuses them (a 500). So every array leaves
the server through `array_to_json`, which turns non-finite entries into None and says
whether it had to.
"""

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
    import base64

    arr = np.ascontiguousarray(a, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(arr.shape),
            "data": base64.b64encode(arr.tobytes()).decode("ascii")}


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
