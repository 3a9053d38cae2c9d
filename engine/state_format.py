"""The saved-state format of a session, and how older states are read.

Format 2 (today's) keeps each layer's arrays by name (`layer.{i}.{name}`) and the
training loop's counters under `objective`; format 1, from before layers other than
dense existed, kept every parameter in one flat vector and the counters at the top.
"""

import numpy as np

FORMAT = "nn-playground-session/2"
READABLE_FORMATS = ("nn-playground-session/1", FORMAT)


def upgrade(meta: dict, arrays: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """A format-1 state in today's format; a current one unchanged."""
    if meta.get("format") == FORMAT:
        return meta, arrays
    meta = dict(meta)
    objective = {"cursor": meta.pop("cursor"), "log": meta.pop("log")}
    meta.update(format=FORMAT, objective=objective, rngs={"shuffle": meta.pop("shuffle_rng")})
    arrays = dict(arrays)
    flat, offset = arrays.pop("params"), 0
    width = int(arrays["data.X_train"].shape[1])  # the first dense layer's inputs
    for i, layer in enumerate(meta["spec"]["model"]["layers"]):
        if layer.get("type", "dense") != "dense":
            continue  # format 1 knew only dense and activation layers
        units = layer["units"]
        for name, shape in (("W", (width, units)), ("b", (units,))):
            size = int(np.prod(shape))
            arrays[f"layer.{i}.{name}"] = flat[offset : offset + size].reshape(shape)
            offset += size
        width = units
    return meta, arrays
