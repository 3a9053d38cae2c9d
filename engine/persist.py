"""Saving a session as JSON (spec, counters, RNG state) plus .npz (every array).

Never pickle: arrays are loaded with allow_pickle=False and the JSON holds only plain
values. A loaded session resumes bit-identically: the weights, the optimizer state,
the data, the current epoch's order and position, and the shuffling RNG all come back.
"""

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from .dataset import Data
from .errors import SpecError
from .session import Session

FORMAT = "nn-playground-session/1"
_DATA_FIELDS = ("X_train", "y_train", "X_test", "y_test", "points_train", "points_test",
                "labels_train", "labels_test")


def session_state(s: Session) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays): a JSON-able dict and named arrays that together rebuild `s`.

    Arrays that training changes in place are copies; the data arrays (never changed)
    are shared, so a caller may hand the result to another thread and train on."""
    log_meta, log_arrays = s.log.state()
    meta = {
        "format": FORMAT, "spec": s.spec, "step": s.step_count, "epoch": s.epoch,
        "status": s.status, "cursor": s._cursor, "log": log_meta,
        "shuffle_rng": s._shuffle_rng.bit_generator.state,
        "data": {"task": s.data.task, "n_classes": s.data.n_classes,
                 "view": list(s.data.view) if s.data.view else None},
    }
    arrays = {"params": s.model.params.copy()}
    arrays.update({f"data.{k}": getattr(s.data, k) for k in _DATA_FIELDS})
    arrays.update({f"opt.{k}": a for k, a in s.optimizer.state_dict().items()})
    if s._order is not None:
        arrays["order"] = s._order
    arrays.update(log_arrays)
    return meta, arrays


def restore(meta: dict, arrays: dict[str, np.ndarray]) -> Session:
    if meta.get("format") != FORMAT:
        raise SpecError("format", f"not a saved session (format {meta.get('format')!r})")
    d = meta["data"]
    data = Data(*(arrays[f"data.{k}"] for k in _DATA_FIELDS), task=d["task"],
                n_classes=d["n_classes"], view=tuple(d["view"]) if d["view"] else None)
    from .spec import normalize
    s = Session(normalize(meta["spec"]), _data=data)
    s.model.set_weights(_split(s, arrays["params"]))
    s.optimizer.load_state_dict({k[4:]: a for k, a in arrays.items() if k.startswith("opt.")})
    s.step_count, s.epoch, s.status = int(meta["step"]), int(meta["epoch"]), meta["status"]
    s._cursor = int(meta["cursor"])
    s.log.load_state(meta["log"], arrays)
    s._shuffle_rng.bit_generator.state = meta["shuffle_rng"]
    if "order" in arrays:
        s._order = arrays["order"]
        s._take_order()
    s._evaluated_at = -1
    return s


def _split(s: Session, flat: np.ndarray) -> list[dict]:
    out = [{} for _ in s.model.layers]
    index = {id(layer): i for i, layer in enumerate(s.model.layers)}
    for layer, spec, where in s.model.slots:
        out[index[id(layer)]][spec.name] = flat[where].reshape(spec.shape)
    return out


def save(s: Session, path) -> None:
    """Write `path`/session.json and `path`/arrays.npz, each atomically."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    meta, arrays = session_state(s)
    _atomic_write(folder / "arrays.npz", lambda f: np.savez(f, **arrays))
    _atomic_write(folder / "session.json",
                  lambda f: f.write(json.dumps(meta, allow_nan=False).encode()))


def load(path) -> Session:
    folder = Path(path)
    meta = json.loads((folder / "session.json").read_text())
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return restore(meta, arrays)


def _atomic_write(target: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
