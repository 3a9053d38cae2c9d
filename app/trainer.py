"""Training of playing sessions, off the event loop, in time slices shared fairly.

A small, fixed pool of trainer threads (one by default, `--trainer-threads`) serves
every playing session in turn: a turn trains one session for a slice, publishes its new
state if its viewers are due a frame, and moves on. (Small networks hold the GIL, so N
sessions in N threads would share one core anyway, and delay the event loop.)

The slice follows the load. A viewer wants a metrics frame every `interval` seconds
(1/30 by default); with n sessions running free, each one's turn comes round once n
slices have passed, so the slice is TURN_SHARE * interval * threads / n, at most
`max_slice_seconds` (15 ms: a request for a playing session's lock waits at most that
long) and at least MIN_SLICE_SECONDS. A slice trains at least one step, so a CNN whose
step is longer still moves every turn; the steps are the session's measured pace times
the slice. A session publishes a metrics frame only when its viewers would otherwise go
without a new one (one session alone: 15 ms slices, a frame every other one). Viewers
are not woken for it: they collect the newest at their own ticks (app.viewer).

A session whose lock is taken (a snapshot, a request) is passed over once, and taken in
its next round (the waiter goes first). Work that needs a playing session's lock may be
handed to its next turn instead (`submit`: snapshots, drawn in a render process,
app.render); its time comes out of the slice. Sessions paced by a client's
`steps_per_frame` take that many steps FRAME_RATE times a second, outside n.

A small network (pace at least TRAINER_JOB_PACE) trains in a training process
(app.training_process, `--training-processes`), where its steps have a GIL of their
own. Its turn is sent, and landed (reply taken, frame published, jobs run) only after
the next session's turn has been sent, so the process goes from one turn to the next
without waiting for this thread. The lock is held from sending to landing: to everyone
else a turn looks the same wherever it trained. Figures: README, "Many sessions on
one machine".
"""

import concurrent.futures
import heapq
import itertools
import logging
import math
import threading
import time

from .live import TRAINER_JOB_PACE, LiveSession
from .training_pool import Flight, Pool

FRAME_RATE = 30.0
TURN_SHARE = 0.8
"""A viewer's turn comes round within this share of its frame interval, the rest a
margin for snapshots and requests that hold a session's lock, and for slow steps."""
MIN_SLICE_SECONDS = 0.002
STEP_ASIDE_SECONDS = 0.05
"""How long the trainer waits for a request waiting on a session's lock to take it,
before it takes the lock again (Python's locks are not fair)."""
FIRST_PACE = 100.0  # steps a second assumed before the first measurement
WEIGHTS_SECONDS = 0.5
"""A session trained in a process sends its weights back with every turn for this long
after its last job (app.training_process)."""
log = logging.getLogger("playground.trainer")


class Trainer:
    def __init__(
        self, on_slice, *, max_slice_seconds: float = 0.015, threads: int = 1, processes: int = 0
    ):
        """`on_slice(entry)` publishes a session's new state (its lock held): after a
        turn when its viewers are due a frame, and when it stops playing. `processes`:
        training processes for small networks (app.training_process; 0: none)."""
        self.on_slice = on_slice
        self.pool = Pool(processes) if processes else None
        self.max_slice_seconds = max_slice_seconds
        self.n_threads = threads
        self._heap: list = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._members: set[LiveSession] = set()  # queued or in a turn
        self._threads: list[threading.Thread] = []
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
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
        with self._cond:
            left = list(self._members)
            for entry in left:
                entry.scheduled = False
            self._heap.clear()
        for entry in left:  # no one must wait for a turn that will not come
            with entry.lock:
                self._leave(entry)
        if self.pool:
            self.pool.stop()

    def submit(self, entry: LiveSession, fn) -> concurrent.futures.Future | None:
        """Run `fn()` at the session's next turn, its lock held (LiveSession.exclusive);
        None if the session is not one this trainer trains."""
        with self._cond:
            if entry not in self._members:
                return None
            job = concurrent.futures.Future()
            entry.jobs.append((fn, job))
            entry.job_asked = time.monotonic()
            return job

    def schedule(self, entry: LiveSession, due: float | None = None) -> None:
        """Queue a playing session's next turn (now, or at `due`, time.monotonic())."""
        with self._cond:
            if entry.scheduled:
                return
            if entry not in self._members:  # starts playing: no turn to measure from
                self._members.add(entry)
                entry.runner = self
                entry.turn_ended = entry.published = None
            entry.scheduled = True
            heapq.heappush(self._heap, (due or time.monotonic(), next(self._counter), entry))
            self._cond.notify()

    def slice_seconds(self) -> float:
        """The slice now: every free-running session's turn within TURN_SHARE of its
        fastest viewer's frame interval, between the floor and the ceiling."""
        with self._cond:
            free = [e for e in self._members if not e.steps_per_frame]
        if not free:
            return self.max_slice_seconds
        interval = min(e.frame_interval() for e in free)
        share = TURN_SHARE * interval * self.n_threads / len(free)
        return min(self.max_slice_seconds, max(MIN_SLICE_SECONDS, share))

    # -- the trainer threads ------------------------------------------------------
    def _next(self, wait: bool = True) -> LiveSession | None:
        """The next session due; None when stopping, or (`wait` False) if none is due."""
        with self._cond:
            while not self._stopping:
                if self._heap:
                    due = self._heap[0][0]
                    delay = due - time.monotonic()
                    if delay <= 0:
                        _, _, entry = heapq.heappop(self._heap)
                        entry.scheduled = False
                        return entry
                    if not wait:
                        return None
                    self._cond.wait(delay)
                elif not wait:
                    return None
                else:
                    self._cond.wait()
            return None

    def _others_due(self) -> bool:
        with self._cond:
            return bool(self._heap) and self._heap[0][0] <= time.monotonic()

    def _run(self) -> None:
        flight = None  # a turn sent to a training process, its reply not yet landed
        while True:
            entry = self._next(wait=flight is None)
            if entry is None:
                if flight is None:
                    return  # stopping
                self._guarded(flight.entry, self._land, flight)
                flight = None
                continue
            if not self._take(entry):
                self.schedule(entry)  # behind the others: back after one round
                continue
            sent = self._guarded(entry, self._begin, entry)
            if flight is not None:  # landed after the next one is sent: no idle process
                self._guarded(flight.entry, self._land, flight)
            flight = sent if isinstance(sent, Flight) else None

    def _guarded(self, entry: LiveSession, phase, *args):
        """One phase of a turn (lock held): `_begin` gives a Flight to land later, or
        the time the session is due again; the lock is let go when the turn is over."""
        due = None
        try:
            due = phase(*args)
        except Exception:  # a bug in one session must not stop every other one
            log.exception("training session %s failed; pausing it", entry.id)
            entry.playing = False
        if isinstance(due, Flight):
            return due
        if due is None:
            self._leave(entry)
        entry.lock.release()
        if due is not None:
            self.schedule(entry, due)
        return due

    def _run_jobs(self, entry: LiveSession, jobs: list | None = None) -> None:
        """The work handed over by `submit` (lock held), each timed."""
        if jobs is None:
            with self._cond:
                jobs, entry.jobs = entry.jobs, []
        for fn, job in jobs:
            if job.set_running_or_notify_cancel():
                start = time.monotonic()
                try:
                    job.set_result(fn())
                except Exception as exc:  # noqa: BLE001 (raised again in the caller)
                    job.set_exception(exc)
                entry.job_seconds = time.monotonic() - start

    def _leave(self, entry: LiveSession) -> None:
        """The session stops playing here (lock held): its last jobs run now, and later
        ones where they are asked for."""
        with self._cond:
            if entry.scheduled:  # play() has queued it again meanwhile
                return
            self._members.discard(entry)
            entry.runner = None
            jobs, entry.jobs = entry.jobs, []
        if self.pool:
            self.pool.bring_back(entry)
        self._run_jobs(entry, jobs)

    def _take(self, entry: LiveSession) -> bool:
        """Take the session's lock; False (once a round) if a request or a snapshot has
        it or waits for it while another session can train meanwhile."""
        lock = entry.lock
        if not lock.waiting and lock.try_acquire():
            entry.passed_over = False
            return True
        if not entry.passed_over and self._others_due():
            entry.passed_over = True
            return False
        deadline = time.monotonic() + STEP_ASIDE_SECONDS
        while lock.waiting and time.monotonic() < deadline:  # the waiter goes first
            time.sleep(0.0002)
        lock.acquire()
        entry.passed_over = False
        return True

    def _begin(self, entry: LiveSession):
        """Start its turn (lock held): sent to its training process (a Flight), or its
        jobs run and its slice, less their time, trained here (the time it is due again,
        or None when it stops playing)."""
        if not entry.playing or entry.deleted:
            return None
        small = entry.pace >= TRAINER_JOB_PACE  # its steps hold the GIL
        process = self.pool.choose(entry) if self.pool and small else None
        jobs = []
        if process is not None:
            with self._cond:
                jobs, entry.jobs = entry.jobs, []
            # weights back with the turn if jobs wait or come often (snapshots): the
            # process will be training the next session when this one lands
            weights = bool(jobs) or time.monotonic() - entry.job_asked < WEIGHTS_SECONDS
            flight = self.pool.send(entry, process, self._steps(entry), weights)
            if flight is not None:
                flight.jobs = jobs
                return flight
        if self.pool:
            self.pool.bring_back(entry)
        start = time.monotonic()
        self._run_jobs(entry, jobs)
        self._run_jobs(entry)
        steps = self._steps(entry, spent=time.monotonic() - start)
        before, start = entry.session.step_count, time.monotonic()
        entry.session.step(steps=steps)
        end = time.monotonic()
        return self._after_slice(entry, before, start, end, end - start)

    def _land(self, flight: Flight) -> float | None:
        """End a turn sent to a training process (lock held): its reply taken, then its
        jobs run, with the slice's weights. Without them, jobs asked for since the turn
        was sent wait for the next: the process is training the next session by now."""
        entry = flight.entry
        reply = self.pool.land(flight)
        end = time.monotonic()
        self._run_jobs(entry, flight.jobs)
        if entry.remote is None or entry.remote.inference is not None:
            self._run_jobs(entry)
        seconds = reply["seconds"] if reply is not None else 0.0
        return self._after_slice(entry, flight.before, flight.start, end, seconds)

    def _after_slice(
        self, entry: LiveSession, before: int, start: float, end: float, seconds: float
    ) -> float | None:
        """Its pace, frame and next turn after a slice trained from step `before` in
        `seconds` between `start` and `end` (lock held); None when it stops playing."""
        step, _, status = entry.progress()
        done = step - before  # below 0 if a process died with its training
        if done > 0:
            entry.dirty = True  # even when no frame is published (shutdown checkpoints it)
            measured = done / max(seconds, 1e-9)
            entry.pace = measured if not entry.pace else 0.7 * entry.pace + 0.3 * measured
        if status != "ready":  # diverged or finished: stop playing
            entry.playing = False
        since_last = math.inf if entry.turn_ended is None else end - entry.turn_ended
        entry.turn_ended = end
        if not entry.playing or self._frame_due(entry, end, since_last):
            self._publish(entry, end)
        if not entry.playing:
            return None
        return start + 1.0 / FRAME_RATE if entry.steps_per_frame else end

    def _steps(self, entry: LiveSession, spent: float = 0.0) -> int:
        """This turn's steps: a paced session's own, else its pace times the slice left."""
        if entry.steps_per_frame:
            return entry.steps_per_frame
        return max(1, int((entry.pace or FIRST_PACE) * (self.slice_seconds() - spent)))

    @staticmethod
    def _frame_due(entry: LiveSession, now: float, next_turn_in: float) -> bool:
        """Whether its viewers would go without a new frame if this turn's were skipped:
        the next turn may end after the fastest one is due."""
        return (
            entry.published is None
            or now + next_turn_in >= entry.published[0] + entry.frame_interval()
        )

    def _publish(self, entry: LiveSession, now: float) -> None:
        """The frame, with the rate the session really trains at (its share of the
        trainer, not its pace while in a turn)."""
        step = entry.progress()[0]
        if entry.published is not None and now > entry.published[0]:
            rate = (step - entry.published[1]) / (now - entry.published[0])
            entry.steps_per_second = (
                0.7 * entry.steps_per_second + 0.3 * rate if entry.steps_per_second else rate
            )
        elif not entry.steps_per_second:
            entry.steps_per_second = entry.pace
        entry.published = (now, step)
        self.on_slice(entry)
