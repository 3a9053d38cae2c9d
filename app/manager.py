"""The SessionManager owns every session: in memory (an LRU of LiveSession), on disk
(the Store), and the threads that train and checkpoint them.

Memory holds at most `max_sessions` sessions; beyond that the least recently used idle
one (no request, viewer or play using it) is checkpointed and unloaded, and comes back
from disk on its next use. Users "pin" a session while they use it, so it is never
unloaded under them.

Nothing here assumes this process owns a session forever: the disk state is complete
after every checkpoint, so another process pointed at the same store could serve it.
"""

import collections
import contextlib
import re
import secrets
import threading
import time

from engine import Session

from . import limits
from .checkpoints import CheckpointWriter
from .errors import ApiError
from .live import LiveSession
from .settings import Settings
from .store import Store
from .trainer import Trainer

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16): 128 bits


def new_id() -> str:
    return secrets.token_urlsafe(16)


def not_found(sid: str) -> ApiError:
    return ApiError(404, "session_not_found", f"no session with id {sid!r}", "id")


class SessionManager:
    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.store = store or Store(settings.data_dir)
        self.writer = CheckpointWriter(self.store)
        self.trainer = Trainer(settings.slice_seconds, settings.trainer_threads,
                               self._after_slice)
        self._live: collections.OrderedDict[str, LiveSession] = collections.OrderedDict()
        self._lock = threading.RLock()
        self.on_slice = None  # set by app.actions: builds and publishes the frame
        self.started = False

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self.store.open()
        self.writer.start()
        self.trainer.start()
        self.started = True

    def shutdown(self) -> None:
        """Stop training, checkpoint every changed session, close the store."""
        if not self.started:
            return
        self.started = False
        self.trainer.stop()
        with self._lock:
            entries = list(self._live.values())
        for entry in entries:
            with entry.lock:
                entry.playing = False
                entry.refresh()
                if entry.dirty and not entry.deleted:
                    self.checkpoint(entry)
        self.writer.stop()
        self.store.close()

    # -- lookup -------------------------------------------------------------------
    @property
    def loaded(self) -> int:
        return len(self._live)

    def playing(self) -> int:
        return sum(1 for e in list(self._live.values()) if e.playing)

    @contextlib.contextmanager
    def pinned(self, sid: str):
        entry = self.pin(sid)
        try:
            yield entry
        finally:
            self.unpin(entry)

    def pin_loaded(self, sid: str) -> LiveSession | None:
        """Pin a session that is in memory (no disk access); None if it is not."""
        if not isinstance(sid, str) or not SESSION_ID.match(sid):
            raise not_found(sid)
        with self._lock:
            entry = self._live.get(sid)
            if entry is not None:
                self._live.move_to_end(sid)
                entry.pins += 1
            return entry

    def over_limit(self) -> bool:
        """Whether unpinning may unload sessions (and so write to disk)."""
        return len(self._live) > self.settings.max_sessions

    def pin(self, sid: str) -> LiveSession:
        if not isinstance(sid, str) or not SESSION_ID.match(sid):
            raise not_found(sid)
        with self._lock:
            entry = self._live.get(sid)
            if entry is None:
                entry = self._load(sid)
            self._live.move_to_end(sid)
            entry.pins += 1
            return entry

    def unpin(self, entry: LiveSession) -> None:
        with self._lock:
            entry.pins -= 1
            self._evict_over_limit()

    def _load(self, sid: str) -> LiveSession:
        # its newest checkpoint may still be waiting in the writer (written within
        # 50 ms): write it first, or an unloaded session would come back older
        self.writer.flush(timeout=30)
        loaded = self.store.load(sid)
        if loaded is None:
            raise not_found(sid)
        self._make_room()
        row, meta, arrays = loaded
        entry = LiveSession(sid, Session.from_state(meta, arrays), name=row["name"],
                            created=row["created"], updated=row["updated"], seq=row["seq"])
        self._live[sid] = entry
        return entry

    def _idle(self, entry: LiveSession) -> bool:
        return entry.pins == 0 and not entry.playing and not entry.viewers

    def _make_room(self) -> None:
        if len(self._live) < self.settings.max_sessions:
            return
        self._evict_over_limit(room=1)
        if len(self._live) >= self.settings.max_sessions:
            raise ApiError(422, "limit_exceeded",
                           f"all {self.settings.max_sessions} sessions this server keeps in "
                           "memory are in use (playing, watched or busy); pause or close "
                           "one, or raise --max-sessions")

    def _evict_over_limit(self, room: int = 0) -> None:
        """Unload least recently used idle sessions until `room` more would fit."""
        excess = len(self._live) + room - self.settings.max_sessions
        if excess <= 0:
            return
        for entry in [e for e in self._live.values() if self._idle(e)][:excess]:
            with entry.lock:
                if entry.dirty and not entry.deleted:
                    row, arrays = entry.checkpoint_state()
                    self.store.save(entry.id, row, arrays)
            del self._live[entry.id]

    # -- create, list, delete -----------------------------------------------------
    def create(self, spec: dict, name: str | None = None) -> LiveSession:
        """Build a session from a client's spec (limits checked first) and store it."""
        norm = limits.check_spec(spec, self.settings)
        self._check_stored()
        session = Session.from_spec(norm)
        limits.check_params(session.n_params, self.settings)
        return self.adopt(session, name if name is not None else norm["name"])

    def adopt(self, session: Session, name: str) -> LiveSession:
        """Store and register a built session (new, or imported) under a new id."""
        self._check_stored()
        now = time.time()
        entry = LiveSession(new_id(), session, name=name, created=now)
        row, arrays = entry.checkpoint_state()
        self.store.create(entry.id, row, arrays)
        with self._lock:
            self._make_room()
            self._live[entry.id] = entry
        return entry

    def _check_stored(self) -> None:
        if self.store.count() >= self.settings.max_stored_sessions:
            raise ApiError(422, "limit_exceeded",
                           f"this server already stores {self.settings.max_stored_sessions} "
                           "sessions (--max-stored-sessions); delete some first")

    def summaries(self) -> list[dict]:
        """Every session, newest change first; loaded ones with their live state."""
        with self._lock:
            live = {sid: e.summary for sid, e in self._live.items()}
        stored = self.store.summaries()
        out = [live.pop(s["id"], s) for s in stored]
        out.extend(live.values())  # created after the store was read
        out.sort(key=lambda s: s["updated"], reverse=True)
        return out

    def delete(self, sid: str) -> None:
        if not isinstance(sid, str) or not SESSION_ID.match(sid):
            raise not_found(sid)
        with self._lock:
            entry = self._live.pop(sid, None)
            if entry is None and not self.store.exists(sid):
                raise not_found(sid)
        if entry is not None:
            with entry.lock:
                entry.deleted = True
                entry.playing = False
            entry.broadcast({"type": "status", "status": "deleted", "id": sid})
        self.writer.discard(sid)
        self.store.delete(sid)

    # -- checkpoints --------------------------------------------------------------
    def checkpoint(self, entry: LiveSession) -> None:
        """Hand a copy of the session's state to the writer. Lock held."""
        if entry.deleted:
            return
        row, arrays = entry.checkpoint_state()
        self.writer.submit(entry.id, row, arrays)

    def _after_slice(self, entry: LiveSession) -> None:
        if self.on_slice is not None:
            self.on_slice(entry)
        if not entry.playing or time.monotonic() - entry.last_checkpoint \
                >= self.settings.checkpoint_interval:
            self.checkpoint(entry)

    def state_of(self, entry: LiveSession):
        """The engine's (meta, arrays) of a session, for export. Lock held."""
        return entry.session.state_dict()
