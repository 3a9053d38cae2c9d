"""Training of playing sessions, off the event loop, in time slices.

Choice, by measurement on a 2-core machine (benchmarks/server.py prints the figures):
small networks are bound by Python overhead and hold the GIL, so N sessions in N
threads share one core anyway, and every extra thread that wants the GIL delays the
event loop (each GIL hand-over can cost a 5 ms switch interval). So a small, fixed
pool of trainer threads (one by default, `--trainer-threads`) serves every playing
session round-robin: each turn trains one session for about `slice_seconds` (15 ms),
publishes a metrics frame to the session's latest-frame slot, and moves on. With one
trainer thread the event loop competes with one thread, not one per session, and the
server lowers the interpreter's switch interval to 1 ms so that the loop gets the GIL
back quickly (measured: health p50 3.6 ms, p99 8.1 ms with 8 sessions playing). Throughput is
unchanged: the steps would have shared one core either way. A process pool would
free the loop entirely but would move every session's state across processes; with
the loop lag already within target, threads keep the design simple.

A client's `steps_per_frame` paces a session instead: that many steps per frame at
FRAME_RATE frames a second (for watching training slowly); otherwise it trains as
fast as it can. The training loop never awaits anything: frames go to a slot that each
socket's own sender task reads (see app.viewer).
"""

import heapq
import itertools
import logging
import threading
import time

from .live import LiveSession

FRAME_RATE = 30.0
log = logging.getLogger("playground.trainer")


class Trainer:
    def __init__(self, slice_seconds: float, threads: int, on_slice):
        """`on_slice(entry)` runs after each slice, with the lock held."""
        self.slice_seconds = slice_seconds
        self.n_threads = threads
        self.on_slice = on_slice
        self._heap: list = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._stopping = False

    def start(self) -> None:
        for i in range(self.n_threads):
            t = threading.Thread(target=self._run, name=f"trainer-{i}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout=10)
        self._threads.clear()

    def schedule(self, entry: LiveSession, due: float | None = None) -> None:
        with self._cond:
            if entry.scheduled:
                return
            entry.scheduled = True
            heapq.heappush(self._heap, (due or time.monotonic(), next(self._counter), entry))
            self._cond.notify()

    def _next(self) -> LiveSession | None:
        with self._cond:
            while not self._stopping:
                if self._heap:
                    due = self._heap[0][0]
                    wait = due - time.monotonic()
                    if wait <= 0:
                        _, _, entry = heapq.heappop(self._heap)
                        entry.scheduled = False
                        return entry
                    self._cond.wait(wait)
                else:
                    self._cond.wait()
            return None

    def _run(self) -> None:
        while (entry := self._next()) is not None:
            try:
                due = self._slice(entry)
            except Exception:  # a bug in one session must not stop every other one
                log.exception("training session %s failed; pausing it", entry.id)
                entry.playing = False
                due = None
            if entry.lock.waiting:
                # a request or a snapshot waits for this session: let it in first
                deadline = time.monotonic() + 0.05
                while entry.lock.waiting and time.monotonic() < deadline:
                    time.sleep(0.0002)
            if due is not None:
                self.schedule(entry, due)

    def _slice(self, entry: LiveSession) -> float | None:
        """Train one slice; the time the entry is due again, or None to drop it."""
        with entry.lock:
            if not entry.playing or entry.deleted:
                return None
            s = entry.session
            start = time.monotonic()
            if entry.steps_per_frame:
                steps = entry.steps_per_frame
            else:
                rate = entry.steps_per_second or 100.0
                steps = max(1, int(rate * self.slice_seconds))
            before = s.step_count
            s.step(steps=steps)
            elapsed = time.monotonic() - start
            done = s.step_count - before
            if done and elapsed > 0:
                measured = done / elapsed
                entry.steps_per_second = (measured if not entry.steps_per_second
                                          else 0.7 * entry.steps_per_second + 0.3 * measured)
            if s.status != "ready":  # diverged or finished: stop playing
                entry.playing = False
            self.on_slice(entry)
            if not entry.playing:
                return None
            if entry.steps_per_frame:
                return start + 1.0 / FRAME_RATE
            return time.monotonic()
