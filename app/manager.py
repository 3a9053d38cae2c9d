"""The SessionManager owns every session: in memory (an LRU of LiveSession), on disk
(the Store), and the threads that train and checkpoint them.

Memory holds at most `max_sessions` sessions; beyond that the least recently used idle
one (no request, viewer or play using it) is checkpointed and unloaded, and comes back
from disk on its next use. Users "pin" a session while they use it, so it is never
unloaded under them.

Idle culling, as Jupyter culls idle kernels: a session that was never trained (step 0)
and has had no viewer and no request for `cull_idle_seconds` (10 minutes; 0: never) is
deleted, from memory and from disk, so that a page closed without saying goodbye
leaves nothing behind. A trained session is never culled: it is unloaded to disk when
memory is short, as above. For a session that is only on disk the idle clock starts at
its unloading, or if it was not used since this server started, its last change or
the start, whichever is later.

Nothing here assumes this process owns a session forever: the disk state is complete
after every checkpoint, so another process pointed at the same store could serve it.
(Processes that share a store should turn culling off, `--cull-idle-seconds 0`: an
untrained session served by another process looks idle from here.)
"""

import collections
import logging
import re
import secrets
import threading
import time

from engine import Session

from . import limits
from .checkpoints import CheckpointWriter
from .errors import ApiError
from .live import LiveSession
from .render import Renderer
from .settings import Settings
from .snapshot_budget import SnapshotBudget
from .store import Store
from .trainer import Trainer

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16): 128 bits
CULL_CHECK_SECONDS = 60.0  # how often idle sessions are looked for (at most)
log = logging.getLogger("playground.manager")


def new_id() -> str:
    return secrets.token_urlsafe(16)


def not_found(sid: str) -> ApiError:
    return ApiError(404, "session_not_found", f"no session with id {sid!r}", "id")


class SessionManager:
    def __init__(
        self, settings: Settings, store: Store | None = None, on_slice=None, clock=time.time
    ):
        """`on_slice(entry)` publishes a playing session's new state to its viewers
        (app.actions.on_slice; lock held); `clock` (wall seconds) times idleness."""
        self.settings = settings
        self.store = store or Store(settings.data_dir)
        self.writer = CheckpointWriter(self.store)
        self.trainer = Trainer(
            self._after_slice,
            max_slice_seconds=settings.slice_seconds,
            threads=settings.trainer_threads,
            processes=settings.training_processes,
        )
        self.on_slice = on_slice
        self.snapshot_budget = SnapshotBudget()
        self.renderer = Renderer(settings.render_processes)
        self.clock = clock
        self._live: collections.OrderedDict[str, LiveSession] = collections.OrderedDict()
        self._lock = threading.RLock()
        self._handled: set[str] = set()  # sessions created or loaded since start
        self._unloaded_at: dict[str, float] = {}  # those unloaded untrained: last active
        self._started_at = clock()
        self._stop_culling = threading.Event()
        self._culler: threading.Thread | None = None
        self.started = False

    # -- life cycle ---------------------------------------------------------------
    def start(self) -> None:
        self.store.open()
        self.writer.start()
        self.trainer.start()
        self._started_at = self.clock()
        if self.settings.cull_idle_seconds:
            self._stop_culling.clear()
            self._culler = threading.Thread(target=self._cull_loop, name="culler", daemon=True)
            self._culler.start()
        self.started = True

    def shutdown(self) -> None:
        """Stop training, checkpoint every changed session, close the store."""
        if not self.started:
            return
        self.started = False
        self._stop_culling.set()
        if self._culler is not None:
            self._culler.join(timeout=10)
            self._culler = None
        self.renderer.stop()  # first: a trainer thread sending to it must not wait
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

    def pin_loaded(self, sid: str) -> LiveSession | None:
        """Pin a session that is in memory (no disk access); None if it is not."""
        if not isinstance(sid, str) or not SESSION_ID.match(sid):
            raise not_found(sid)
        with self._lock:
            entry = self._live.get(sid)
            if entry is not None:
                self._live.move_to_end(sid)
                entry.pins += 1
                entry.last_active = self.clock()
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
            entry.last_active = self.clock()
            return entry

    def unpin(self, entry: LiveSession) -> None:
        with self._lock:
            entry.pins -= 1
            entry.last_active = self.clock()
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
        entry = LiveSession(
            sid,
            Session.from_state(meta, arrays),
            name=row["name"],
            created=row["created"],
            updated=row["updated"],
            seq=row["seq"],
        )
        entry.last_active = self.clock()
        self._live[sid] = entry
        self._handled.add(sid)
        self._unloaded_at.pop(sid, None)
        return entry

    def _idle(self, entry: LiveSession) -> bool:
        return entry.pins == 0 and not entry.playing and not entry.viewers

    def _make_room(self) -> None:
        if len(self._live) < self.settings.max_sessions:
            return
        self._evict_over_limit(room=1)
        if len(self._live) >= self.settings.max_sessions:
            raise ApiError(
                422,
                "limit_exceeded",
                f"all {self.settings.max_sessions} sessions this server keeps in "
                "memory are in use (playing, watched or busy); pause or close "
                "one, or raise --max-sessions",
            )

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
                if entry.progress()[0] == 0:  # still cullable: keep its idle clock
                    self._unloaded_at[entry.id] = entry.last_active
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
        entry.last_active = self.clock()
        row, arrays = entry.checkpoint_state()
        self.store.create(entry.id, row, arrays)
        with self._lock:
            self._make_room()
            self._live[entry.id] = entry
            self._handled.add(entry.id)
        return entry

    def _check_stored(self) -> None:
        if self.store.count() >= self.settings.max_stored_sessions:
            raise ApiError(
                422,
                "limit_exceeded",
                f"this server already stores {self.settings.max_stored_sessions} "
                "sessions (--max-stored-sessions); delete some first",
            )

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
            self._handled.discard(sid)
            self._unloaded_at.pop(sid, None)
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
        if (
            not entry.playing
            or time.monotonic() - entry.last_checkpoint >= self.settings.checkpoint_interval
        ):
            self.checkpoint(entry)

    # -- idle culling -------------------------------------------------------------
    def _cull_loop(self) -> None:
        period = min(CULL_CHECK_SECONDS, self.settings.cull_idle_seconds / 4)
        while not self._stop_culling.wait(period):
            try:
                self.cull_idle()
            except Exception:  # the store closing under it, a disk error: try again later
                log.exception("culling idle sessions failed")

    def cull_idle(self) -> list[str]:
        """Delete every untrained session idle for `cull_idle_seconds`; their ids."""
        limit = self.settings.cull_idle_seconds
        if not limit:
            return []
        now = self.clock()
        culled = []
        with self._lock:  # pins take it too: nothing is pinned between check and delete
            for entry in list(self._live.values()):
                if (
                    self._idle(entry)
                    and entry.progress()[0] == 0
                    and now - entry.last_active >= limit
                ):
                    self._cull(entry.id, entry)
                    culled.append(entry.id)
        stored = [s for s in self.store.summaries() if s["step"] == 0]
        with self._lock:
            for summary in stored:
                sid = summary["id"]
                if sid in self._unloaded_at:  # unloaded untrained, not loaded since
                    since = self._unloaded_at[sid]
                elif sid not in self._handled:  # untouched since start: as stored then
                    since = max(summary["updated"], self._started_at)
                else:  # in memory, or unloaded trained (its newest checkpoint may wait)
                    continue
                if now - since >= limit:
                    self._cull(sid, None)
                    culled.append(sid)
        if culled:
            log.info("culled %d untrained idle session(s)", len(culled))
        return culled

    def _cull(self, sid: str, entry: LiveSession | None) -> None:
        """Delete an idle session (manager's lock held, so that no request loads it back
        from disk before it is gone there too)."""
        if entry is not None:
            with entry.lock:
                entry.deleted = True
            del self._live[sid]
        self._handled.discard(sid)
        self._unloaded_at.pop(sid, None)
        self.writer.discard(sid)
        self.store.delete(sid)
