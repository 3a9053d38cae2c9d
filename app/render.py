"""Snapshots of playing small networks, made in processes of their own.

A small network's steps hold the GIL, so whatever else the server's process computes
is taken from the trainer: a 2-D page's snapshot (the output over 80×80, every neuron
over 24×24, the weights, the JSON) costs it about 1 ms, and eight pages pulling their
snapshots in the trainer's turns trained at 79% of one session alone
(benchmarks/server.py). Here the trainer, in the session's turn, only copies what
inference reads (`Session.inference_arrays`: microseconds) and sends it to a render
process. That process keeps a replica of each session it draws, built once from the
session's state (data included), loads the weights into it, makes the frame's JSON
text with the server's own code (app.snapshots.snapshot_text) and sends it back; the
event loop collects it at its next tick. On a machine with a core beside the trainer's
the snapshots then cost training almost nothing.

A render process starts at the first snapshot it is needed for; until it is ready, or
while it has MAX_WAITING snapshots to make, or if it has died (it is started again),
snapshots are made in the trainer's turn as before. Frames are the same either way.
"""

import collections
import fcntl
import itertools
import json
import logging
import multiprocessing
import os
import queue
import struct
import threading
import time

from .encode import error_frame

MAX_WAITING = 32  # snapshots sent to one process and not yet collected
MAX_REPLICAS = 16  # sessions one process keeps replicas of (the least recently drawn go)
RESTART_SECONDS = 5.0
READ_BYTES = 1 << 20
PIPE_BYTES = 1 << 20
DRAIN_SECONDS = 0.001  # viewers collecting at the same tick share one read  # a process that died is started again no sooner than this
log = logging.getLogger("playground.render")


class RenderJob:
    """A snapshot on its way: `done()`, then `result()` (text, seconds of the trainer's
    time it took), as the trainer's own futures give them (app.viewer polls both)."""

    def __init__(self, worker: "_Worker"):
        self.worker = worker
        self.text: str | None = None
        self.seconds = 0.0

    def done(self) -> bool:
        if self.text is None:
            self.worker.collect()
        return self.text is not None

    def result(self) -> tuple[str, float]:
        return self.text, self.seconds


class Renderer:
    """`processes` render processes; each session is drawn by one of them."""

    def __init__(self, processes: int = 1):
        self.workers = [_Worker(i) for i in range(processes)]

    def submit(self, entry, options: dict) -> RenderJob | None:
        """Send `entry`'s weights and `options` (a snapshot's) to its process (the
        session's lock held, on the trainer's thread); None if it cannot take them."""
        if not self.workers:
            return None
        worker = self.workers[hash(entry.replica_key) % len(self.workers)]
        return worker.submit(entry, options)

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


class _Worker:
    def __init__(self, index: int):
        self.index = index
        self._proc = None
        self._conn = None  # requests, sent by the trainer
        self._results = None  # texts, read raw (collect) from _results_fd
        self._results_fd: int | None = None
        self._buffer = bytearray()
        self._drained = 0.0  # time.monotonic() of the last read
        self._closed = False  # stopped for good (the server is shutting down)
        self._ready = False
        self._started = -RESTART_SECONDS
        self._send_lock = threading.Lock()  # trainer threads; also guards _known
        self._recv_lock = threading.Lock()  # never held while sending: see submit
        self._jobs_lock = threading.Lock()
        self._waiting: dict[int, RenderJob] = {}
        self._known: collections.OrderedDict = collections.OrderedDict()  # keys it holds
        self._ids = itertools.count()

    def submit(self, entry, options: dict) -> RenderJob | None:
        start = time.monotonic()
        if len(self._waiting) >= MAX_WAITING // 2:  # replies no viewer collects any more
            self.collect()
        if not self._usable():
            return None
        job = RenderJob(self)
        with self._jobs_lock:
            if len(self._waiting) >= MAX_WAITING:
                return None
            rid = next(self._ids)
            self._waiting[rid] = job
        s, key = entry.session, entry.replica_key
        inference = entry.inference_state()
        # The lock for receiving is not held here: while a large first state waits for
        # the process to read it, the process may be waiting for the event loop to read
        # its replies, which must not wait for this send.
        with self._send_lock:
            conn = self._conn  # None if the process died since _usable
            if conn is None:
                with self._jobs_lock:
                    self._waiting.pop(rid, None)
                return None
            state, forget = None, []
            if key in self._known:
                self._known.move_to_end(key)
            else:
                state = s.state_dict()
                self._known[key] = True
                while len(self._known) > MAX_REPLICAS:
                    forget.append(self._known.popitem(last=False)[0])
            message = (rid, key, state, *inference)
            try:
                conn.send((*message, options, forget))
            except (OSError, ValueError):
                self._broken()
                return None
        job.seconds = time.monotonic() - start
        return job

    def collect(self) -> None:
        """Take the texts the process has sent back (any thread; never waits). One read
        takes all there is: every system call here lets the trainer take the GIL and
        makes this thread wait to get it back (see the module's docstring)."""
        fd, now = self._results_fd, time.monotonic()
        if fd is None or now - self._drained < DRAIN_SECONDS:
            return
        if not self._recv_lock.acquire(blocking=False):
            return
        self._drained = now
        try:
            while True:
                try:
                    chunk = os.read(fd, READ_BYTES)
                except BlockingIOError:
                    break
                if not chunk:
                    raise EOFError
                self._buffer += chunk
                if len(chunk) < READ_BYTES:
                    break
            for rid, text in self._messages():
                if rid < 0:  # the process's first message: it is ready
                    self._ready = True
                    continue
                with self._jobs_lock:
                    job = self._waiting.pop(rid, None)
                if job is not None:
                    job.text = text
        except (OSError, EOFError):
            self._broken()
        finally:
            self._recv_lock.release()

    def _messages(self):
        """The whole messages in the buffer (multiprocessing's framing: a 4-byte length,
        then an 8-byte id and the text), taken out of it."""
        buffer, at = self._buffer, 0
        while len(buffer) - at >= 4:
            (size,) = struct.unpack_from("!i", buffer, at)
            if len(buffer) - at - 4 < size:
                break
            (rid,) = struct.unpack_from("!q", buffer, at + 4)
            yield rid, bytes(buffer[at + 12 : at + 4 + size]).decode()
            at += 4 + size
        del buffer[:at]

    def _usable(self) -> bool:
        if self._closed:
            return False
        if self._conn is None:
            with self._send_lock:  # one start, however many trainer threads ask
                due = time.monotonic() - self._started >= RESTART_SECONDS
                if self._conn is None and due and not self._closed:
                    self._start()
            return False
        if not self._ready:
            self.collect()
        return self._ready

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # fork is unsafe beside threads
        their_requests, requests = context.Pipe(duplex=False)
        results, their_results = context.Pipe(duplex=False)
        proc = context.Process(
            target=serve,
            args=(their_requests, their_results),
            name=f"playground-render-{self.index}",
            daemon=True,
        )
        self._started = time.monotonic()
        proc.start()
        their_requests.close()
        their_results.close()
        os.set_blocking(results.fileno(), False)
        _widen(results.fileno())
        self._proc, self._conn, self._results = proc, requests, results
        self._results_fd, self._buffer, self._ready = results.fileno(), bytearray(), False
        self._known.clear()

    def _broken(self) -> None:
        """The process died: its snapshots end in an error frame (the page asks again)."""
        if self._conn is not None and not self._closed:
            log.warning(
                "render process %d stopped; the trainer makes snapshots until it is back",
                self.index,
            )
        if self._proc is not None:
            self._proc.join(timeout=1)  # reaped: it has exited or is exiting
        if self._results is not None:
            self._results.close()
        self._conn = self._proc = self._results = self._results_fd = None
        self._ready = False
        failed = json.dumps(error_frame("snapshot_failed", "the render process stopped; ask again"))
        with self._jobs_lock:
            jobs, self._waiting = list(self._waiting.values()), {}
        for job in jobs:
            job.text = failed

    def stop(self) -> None:
        """End the process, for good. It holds nothing to save, so it is killed rather
        than asked: a trainer thread blocked sending to it is then freed at once."""
        self._closed = True
        proc = self._proc
        if proc is not None:
            proc.kill()
            proc.join(timeout=5)
        with self._send_lock:
            conn, results = self._conn, self._results
            self._conn = self._proc = self._results = self._results_fd = None
        for c in (conn, results):
            if c is not None:
                c.close()


def _widen(fd: int) -> None:
    """Let the pipe hold several replies (64 kB by default on Linux, less than one): a
    reply that does not fit would be read in two ticks."""
    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:  # above the system's limit (fs.pipe-max-size): as it is
        pass


def serve(requests, results) -> None:
    """A render process: replicas of sessions, frames of them as JSON text."""
    import app  # noqa: F401  (first: BLAS on one thread, as the server runs it)
    from engine import Session

    from .snapshots import snapshot_text

    # The texts go out from a thread of their own, so that this one always reads the
    # next request: the trainer sending one must never wait for the server's event
    # loop to read a reply (one is larger than a pipe holds).
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def send_replies() -> None:
        while (reply := outbox.get()) is not None:
            try:
                results.send_bytes(reply)
            except OSError:  # the server has gone
                return

    threading.Thread(target=send_replies, name="replies", daemon=True).start()

    def reply(rid: int, text: str) -> None:
        outbox.put(struct.pack("!q", rid) + text.encode())

    replicas: dict = {}
    reply(-1, "")
    while True:
        try:
            message = requests.recv()
        except (EOFError, OSError):
            message = None
        if message is None:
            outbox.put(None)
            return
        rid, key, state, arrays, step, epoch, options, forget = message
        for old in forget:
            replicas.pop(old, None)
        try:
            if state is not None:
                replicas[key] = Session.from_state(*state)
            replica = replicas[key]
            replica.load_inference_arrays(arrays, step, epoch)
            text = snapshot_text(replica, options)
        except Exception as exc:  # a frame for the page, not a dead process
            log.exception("render process: snapshot failed")
            text = json.dumps(error_frame("snapshot_failed", f"{type(exc).__name__}: {exc}"))
        reply(rid, text)
