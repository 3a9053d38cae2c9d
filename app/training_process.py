"""Playing small networks trained in a process of their own, beside the server's.

A small network's steps are Python-bound and hold the GIL, and the event loop shares
that GIL: every frame it sends, every request it reads, is a hand-over between the two
threads, which on this 2-core machine cost eight watched sessions together 10-15% of
one session's steps a second alone (benchmarks/server.py). Trained in a process of its
own, the session has a GIL to itself; the trainer's thread only sends "train n steps"
and waits, its GIL released, for the counters and metrics to come back.

The server's copy of the session (LiveSession.session) stays what every other reader
sees. While the process trains, the copy falls behind, and it is brought up to date
(`LiveSession.pull`) whenever someone takes the session's lock: a request, a
checkpoint, a pause. Whoever held the lock may have changed the copy, so the process
gets it whole before its next turn. Snapshots need only the weights
(`LiveSession.inference_state`), which come back with the turn that precedes them.

A process starts at the first session it is needed for; until it is ready, or after
it died (it is started again, at most every RESTART_SECONDS), the trainer trains in its
own thread as before. A process that dies takes with it the training since each of its
sessions' last pull: at most `checkpoint_interval` seconds, as a killed server loses.
"""

import itertools
import logging
import multiprocessing
import queue
import sys
import threading
import time

RESTART_SECONDS = 5.0
READER_SWITCH_SECONDS = 0.0005
"""The process's GIL switch interval: a request read while a turn trains waits at most
this long for the reading thread to queue it (the default, 5 ms, is longer than a
turn)."""
log = logging.getLogger("playground.training")


class ProcessGone(Exception):
    """The training process died (or the server is stopping it)."""


class TrainingProcess:
    """One process and the replicas it holds. Requests go out from any thread; each
    reply is matched to its request by number, whoever reads it."""

    def __init__(self, index: int):
        self.index = index
        self.keys: set[str] = set()  # sessions it holds a replica of
        self._send_lock = threading.Lock()
        self._cond = threading.Condition()  # replies, reading, and the process's life
        self._replies: dict[int, tuple] = {}
        self._reading = False
        self._rids = itertools.count()
        self._lost_below = 0  # requests numbered below it went to a process now gone
        self._conn = None
        self._proc = None
        self._ready = False
        self._closed = False
        self._started = -RESTART_SECONDS

    def usable(self) -> bool:
        """Whether it can train now; starts it (without waiting) if it is not running."""
        if self._ready or self._closed:
            return self._ready and not self._closed
        with self._cond:
            if self._conn is None:
                if time.monotonic() - self._started >= RESTART_SECONDS and not self._closed:
                    self._start()
                return False
            try:
                if self._conn.poll(0):
                    self._ready = self._conn.recv() == "ready"
            except (OSError, EOFError):
                self._broken()
            return self._ready

    # -- requests -----------------------------------------------------------------
    def load(self, key: str, state: tuple[dict, dict]) -> None:
        """Build (or rebuild) the replica `key` from a session's `state_dict`."""
        self.reply(self.send("load", key, state))
        self.keys.add(key)

    def state(self, key: str) -> tuple[dict, dict]:
        """The replica's `state_dict`, its data arrays left out (they never change)."""
        return self.reply(self.send("state", key))

    def inference(self, key: str) -> tuple:
        """(Session.inference_arrays, step, epoch) of the replica."""
        return self.reply(self.send("inference", key))

    def forget(self, key: str) -> None:
        if key in self.keys:
            self.keys.discard(key)
            try:
                self.reply(self.send("forget", key))
            except (ProcessGone, RuntimeError):
                pass

    def send(self, *request) -> int:
        """Send a request; its number, for `reply`. Never waits long: the process reads
        its requests in a thread of their own, whatever it is doing."""
        with self._send_lock:
            conn = self._conn
            if conn is None or not self._ready:
                raise ProcessGone(f"training process {self.index} is not running")
            rid = next(self._rids)
            try:
                conn.send((rid, *request))
                return rid
            except (OSError, ValueError):
                pass
        with self._cond:
            if conn is self._conn:
                self._broken()
        raise ProcessGone(f"training process {self.index} stopped")

    def reply(self, rid: int):
        """The reply to request `rid` (waits for it); a failure in the process raises
        RuntimeError, the process's end ProcessGone."""
        with self._cond:
            while rid not in self._replies:
                if rid < self._lost_below or self._conn is None:
                    raise ProcessGone(f"training process {self.index} stopped")
                if self._reading:  # another thread reads: it hands this reply over
                    self._cond.wait()
                    continue
                conn, self._reading = self._conn, True
                self._cond.release()
                try:
                    got = conn.recv()
                except (OSError, EOFError):
                    got = None
                finally:
                    self._cond.acquire()
                    self._reading = False
                    self._cond.notify_all()
                if got is None:
                    if conn is self._conn:
                        self._broken()
                    continue
                self._replies[got[0]] = got[1:]
            ok, value = self._replies.pop(rid)
        if not ok:
            raise RuntimeError(value)
        return value

    # -- life cycle (under _cond) --------------------------------------------------
    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # fork is unsafe beside threads
        ours, theirs = context.Pipe()
        proc = context.Process(
            target=serve, args=(theirs,), name=f"playground-training-{self.index}", daemon=True
        )
        self._started = time.monotonic()
        proc.start()
        theirs.close()
        self._proc, self._conn, self._ready = proc, ours, False

    def _broken(self) -> None:
        if not self._closed:
            log.warning(
                "training process %d stopped; its sessions train in the server until it is back",
                self.index,
            )
        if self._proc is not None:
            self._proc.join(timeout=1)
        if self._conn is not None:
            self._conn.close()
        self._conn = self._proc = None
        self._ready = False
        self.keys.clear()
        self._replies.clear()
        with self._send_lock:
            self._lost_below = next(self._rids)
        self._cond.notify_all()

    def stop(self) -> None:
        """End the process for good (its sessions have been brought back by then)."""
        with self._cond:
            self._closed = True
            conn, proc = self._conn, self._proc
            if conn is not None:
                try:
                    conn.send(None)
                except OSError:
                    pass
            self._broken()
        if proc is not None and proc.is_alive():
            proc.kill()
            proc.join(timeout=5)


def serve(conn) -> None:
    """A training process: replicas of sessions, trained and read on request."""
    import app  # noqa: F401  (first: BLAS on one thread, as the server runs it)
    from engine import Session

    from .encode import clean

    replicas: dict = {}

    def train(key, steps, inference):
        s = replicas[key]
        start = time.monotonic()
        s.step(steps=steps)
        reply = {
            "step": s.step_count,
            "epoch": s.epoch,
            "status": s.status,
            "metrics": clean(s.metrics()),
            "seconds": time.monotonic() - start,
        }
        if inference:
            reply["inference"] = (s.inference_arrays(), s.step_count, s.epoch)
        return reply

    def state(key):
        meta, arrays = replicas[key].state_dict()
        return meta, {k: a for k, a in arrays.items() if not k.startswith("data.")}

    handlers = {
        "load": lambda key, state: replicas.__setitem__(key, Session.from_state(*state)),
        "train": train,
        "state": state,
        "inference": lambda key: (
            replicas[key].inference_arrays(),
            replicas[key].step_count,
            replicas[key].epoch,
        ),
        "forget": lambda key: replicas.pop(key, None),
    }
    # Requests are read in a thread of their own, so that a request never waits for
    # the server to read a reply (a pulled state can be larger than a pipe holds).
    requests: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                requests.put(conn.recv())
            except (EOFError, OSError):  # the server has gone
                requests.put(None)
                return

    sys.setswitchinterval(READER_SWITCH_SECONDS)
    threading.Thread(target=read, name="requests", daemon=True).start()
    conn.send("ready")
    while (request := requests.get()) is not None:
        rid, kind, *args = request
        try:
            reply = (rid, True, handlers[kind](*args))
        except Exception as exc:  # the server pauses that session; the process goes on
            log.exception("training process: %s failed", kind)
            reply = (rid, False, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except OSError:
            return
