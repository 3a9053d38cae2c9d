"""Saving a session to files: its state_dict's meta as JSON, its arrays as .npz.

File I/O only: what a session's state is, and how it comes back bit-identically, is
`Session.state_dict` / `Session.from_state`. Never pickle: arrays are loaded with
allow_pickle=False and the JSON holds only plain values.
"""

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from .session import Session


def save(s: Session, path) -> None:
    """Write `path`/session.json and `path`/arrays.npz, each atomically."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    meta, arrays = s.state_dict()
    _atomic_write(folder / "arrays.npz", lambda f: np.savez(f, **arrays))
    _atomic_write(
        folder / "session.json", lambda f: f.write(json.dumps(meta, allow_nan=False).encode())
    )


def load(path) -> Session:
    folder = Path(path)
    meta = json.loads((folder / "session.json").read_text())
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return Session.from_state(meta, arrays)


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
