"""Sessions on disk: an SQLite index (specs, counters, history) and .npz arrays.

Layout under the data folder:

    index.sqlite3                  one row a session: spec, engine meta, history, summary
    sessions/<id>/data.npz         the dataset arrays, written once when the session is made
    sessions/<id>/state-<n>.npz    parameters and optimizer state of checkpoint n

A checkpoint writes a new state file (temporary name, fsync, os.replace), then points
the session's row at it in one SQLite transaction, then deletes the previous file. A
crash at any moment leaves the row pointing at a complete file; leftovers (temporary
files, unreferenced state files, folders without a row) are removed on the next start.
Each checkpoint carries a sequence number and the row only moves forward, so two
writers can never put an older checkpoint over a newer one.

Arrays are always loaded with allow_pickle=False. History lives in SQLite as an .npz
blob of the engine's history series (a few kB; JSON would cost ten times as much to
write every few seconds).
"""

import io
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from pathlib import Path

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    seq INTEGER NOT NULL,
    spec TEXT NOT NULL,
    meta TEXT NOT NULL,
    summary TEXT NOT NULL,
    history BLOB NOT NULL,
    state_file TEXT NOT NULL
)
"""


def split_arrays(arrays: dict[str, np.ndarray]):
    """(data arrays, history arrays, state arrays) by the engine's key prefixes."""
    data = {k: a for k, a in arrays.items() if k.startswith("data.")}
    history = {k: a for k, a in arrays.items() if k.startswith("hist.")}
    state = {k: a for k, a in arrays.items() if k not in data and k not in history}
    return data, history, state


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_npz(source) -> dict[str, np.ndarray]:
    with np.load(source, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def atomic_write(target: Path, data_writer, durable: bool = True) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            data_writer(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.sessions_dir = self.root / "sessions"
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def open(self) -> None:
        self.sessions_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(
            self.root / "index.sqlite3", isolation_level=None, check_same_thread=False
        )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(SCHEMA)
        self._db = db
        self._clean_leftovers()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _clean_leftovers(self) -> None:
        referenced = {
            row[0]: row[1] for row in self._db.execute("SELECT id, state_file FROM sessions")
        }
        for folder in self.sessions_dir.iterdir():
            if folder.name not in referenced:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            for item in folder.iterdir():
                if item.name not in ("data.npz", referenced[folder.name]):
                    item.unlink(missing_ok=True)

    # -- writing ------------------------------------------------------------------
    def create(self, sid: str, row: dict, arrays: dict[str, np.ndarray]) -> None:
        """Write a new session (its data once, its first state) and index it."""
        folder = self.sessions_dir / sid
        folder.mkdir(parents=True, exist_ok=False)
        data, _, _ = split_arrays(arrays)
        atomic_write(folder / "data.npz", lambda f: np.savez(f, **data))
        self.save(sid, row, arrays, insert=True)

    def save(
        self, sid: str, row: dict, arrays: dict[str, np.ndarray], insert: bool = False
    ) -> bool:
        """Write a checkpoint; False if the session is gone or a newer one is stored.

        `row` holds name, created, updated, seq, meta (without spec), spec, summary.
        """
        _, history, state = split_arrays(arrays)
        folder = self.sessions_dir / sid
        name = f"state-{row['seq']}-{uuid.uuid4().hex[:8]}.npz"
        try:
            atomic_write(folder / name, lambda f: np.savez(f, **state))
        except FileNotFoundError:  # deleted meanwhile
            return False
        values = (
            row["name"],
            row["created"],
            row["updated"],
            row["seq"],
            json.dumps(row["spec"]),
            json.dumps(row["meta"]),
            json.dumps(row["summary"]),
            npz_bytes(history),
            name,
        )
        with self._lock:
            db = self._db
            if db is None:
                raise RuntimeError("the store is closed")
            db.execute("BEGIN IMMEDIATE")
            try:
                old = db.execute(
                    "SELECT state_file, seq FROM sessions WHERE id = ?", (sid,)
                ).fetchone()
                if insert and old is None:
                    db.execute(
                        "INSERT INTO sessions (name, created, updated, seq, spec, meta, "
                        "summary, history, state_file, id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (*values, sid),
                    )
                elif old is not None and old[1] < row["seq"]:
                    db.execute(
                        "UPDATE sessions SET name=?, created=?, updated=?, seq=?, spec=?, "
                        "meta=?, summary=?, history=?, state_file=? WHERE id = ?",
                        (*values, sid),
                    )
                else:
                    old = None
                    name, stale = None, name
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        if name is None:
            (folder / stale).unlink(missing_ok=True)
            return False
        if old is not None and old[0] != name:
            (folder / old[0]).unlink(missing_ok=True)
        return True

    def delete(self, sid: str) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM sessions WHERE id = ?", (sid,))
        shutil.rmtree(self.sessions_dir / sid, ignore_errors=True)
        return cursor.rowcount > 0

    # -- reading ------------------------------------------------------------------
    def exists(self, sid: str) -> bool:
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone()
                is not None
            )

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]

    def summaries(self) -> list[dict]:
        """Every stored session's row without the arrays, newest change first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, name, created, updated, spec, summary "
                "FROM sessions ORDER BY updated DESC"
            ).fetchall()
        return [
            {
                "id": r[0],
                "name": r[1],
                "created": r[2],
                "updated": r[3],
                "spec": json.loads(r[4]),
                **json.loads(r[5]),
            }
            for r in rows
        ]

    def load(self, sid: str) -> tuple[dict, dict, dict[str, np.ndarray]] | None:
        """(row, engine meta, arrays) of the latest checkpoint, or None if unknown."""
        for _ in range(2):  # a checkpoint may replace the state file between two reads
            try:
                return self._load(sid)
            except FileNotFoundError:
                continue
        return self._load(sid)

    def _load(self, sid: str):
        with self._lock:
            r = self._db.execute(
                "SELECT name, created, updated, seq, spec, meta, summary, "
                "history, state_file FROM sessions WHERE id = ?",
                (sid,),
            ).fetchone()
        if r is None:
            return None
        row = {"name": r[0], "created": r[1], "updated": r[2], "seq": r[3]}
        meta = {**json.loads(r[5]), "spec": json.loads(r[4])}
        folder = self.sessions_dir / sid
        arrays = load_npz(folder / "data.npz")
        arrays.update(load_npz(io.BytesIO(r[7])))
        arrays.update(load_npz(folder / r[8]))
        return row, meta, arrays
