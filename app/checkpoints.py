"""A background thread that writes checkpoints, newest first and never twice.

Taking a checkpoint (copying the session's arrays under its lock) costs tens of
microseconds; writing it (an .npz, an fsync, an SQLite transaction) costs a millisecond
or two, too much for the path of a one-step REST call (target p50 under 2 ms). So
requests and the trainer hand copies to this writer and return. Only the newest pending
checkpoint of a session is kept; `flush()` waits until everything handed over is on
disk (shutdown does that, and GET /api/health reports how many are pending).

Pending checkpoints are written once the oldest of them is `delay` seconds old (0.05 s
by default): a burst of REST steps then costs one write, not one per step, and the
writes stay out of the way of the requests (the writer needs the GIL for the .npz and
SQLite work). Nothing waits longer than `delay` however often checkpoints arrive.
"""

import logging
import threading
import time

from .store import Store

log = logging.getLogger("playground.checkpoints")


class CheckpointWriter:
    def __init__(self, store: Store, delay: float = 0.05):
        self.store = store
        self.delay = delay
        self._since = 0.0  # time.monotonic() when the pending set was last empty
        self._hurry = 0  # flush() callers waiting: write without the delay
        self._pending: dict[str, tuple[dict, dict]] = {}
        self._cond = threading.Condition()
        self._busy = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.written = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)
        self._thread.start()

    def submit(self, sid: str, row: dict, arrays: dict) -> None:
        with self._cond:
            if not self._pending:
                self._since = time.monotonic()
            self._pending[sid] = (row, arrays)
            self._cond.notify_all()

    def discard(self, sid: str) -> None:
        with self._cond:
            self._pending.pop(sid, None)

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._pending) + self._busy

    def flush(self, timeout: float | None = None) -> bool:
        with self._cond:
            self._hurry += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)
            finally:
                self._hurry -= 1

    def stop(self) -> None:
        self.flush(timeout=30)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopping)
                if self._stopping and not self._pending:
                    return
                while self._pending and not (self._stopping or self._hurry):
                    wait = self._since + self.delay - time.monotonic()
                    if wait <= 0:
                        break
                    self._cond.wait(wait)
                if not self._pending:  # discarded (deleted) while it waited
                    continue
                sid = next(iter(self._pending))
                row, arrays = self._pending.pop(sid)
                self._busy += 1
            try:
                self.store.save(sid, row, arrays)
                self.written += 1
            except Exception:
                log.exception("checkpoint of session %s failed", sid)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()
