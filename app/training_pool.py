"""Which training process trains which playing session, and what the server knows of
each (app.training_process: why, and the process itself)."""

import logging
import time

from .training_process import ProcessGone, TrainingProcess

PROCESS_BYTES = 64 << 20
"""A session holding more than this in arrays is not copied to a training process (one
whose steps are fast enough to need it holds little)."""
log = logging.getLogger("playground.training")


class Replica:
    """What the server knows of a session trained in `process`: whether the process is
    ahead of the server's copy, and the newest counters, metrics and weights it sent."""

    def __init__(self, process: TrainingProcess):
        self.process = process
        self.ahead = False  # the process has trained past the server's copy
        self.stale = False  # the server's copy changed since the process last got it
        self.progress: tuple[int, int, str] = (0, 0, "ready")  # step, epoch, engine status
        self.metrics: dict = {}
        self.inference: tuple | None = None  # (arrays, step, epoch) of the last turn


class Flight:
    """A turn sent to a process, its reply not yet taken: the trainer sends the next
    session's turn before it takes this one's reply, so the process never waits for
    the server between two turns."""

    def __init__(self, entry, process: TrainingProcess, rid: int, before: int, start: float):
        self.entry = entry
        self.jobs: list = []  # the trainer's, run when it lands
        self.process = process
        self.rid = rid
        self.before = before  # the step it started from
        self.start = start  # time.monotonic() when it was sent


class Pool:
    """The training processes, and which of them trains which playing session."""

    def __init__(self, processes: int):
        self.processes = [TrainingProcess(i) for i in range(processes)]

    def choose(self, entry) -> TrainingProcess | None:
        """The process to train this small network in; None: train it here (lock held).
        A session stays with its process while that one runs."""
        remote = entry.remote
        if remote is not None and remote.process.usable():
            return remote.process
        if entry.fits_process is None:
            entry.fits_process = entry.session.nbytes() <= PROCESS_BYTES
        if not entry.fits_process:
            return None
        usable = [p for p in self.processes if p.usable()]
        return min(usable, key=lambda p: len(p.keys)) if usable else None

    def send(self, entry, process: TrainingProcess, steps: int, weights: bool) -> Flight | None:
        """Send a turn of `steps` steps (and the session first, if the process lacks its
        newest copy), its weights to come back with it if asked; None if the process has
        gone (train it here then)."""
        key, remote = entry.replica_key, entry.remote
        before = entry.progress()[0]
        try:
            if (
                remote is None
                or remote.process is not process
                or remote.stale
                or key not in process.keys
            ):
                self.bring_back(entry)
                process.load(key, entry.session.state_dict())
                entry.remote = Replica(process)
            rid = process.send("train", key, steps, weights)
        except ProcessGone:
            entry.remote = None
            return None
        except RuntimeError as exc:  # the process cannot rebuild it: it trains here
            log.warning("session %s stays in the server: %s", entry.id, exc)
            entry.remote, entry.fits_process = None, False
            return None
        return Flight(entry, process, rid, before, time.monotonic())

    @staticmethod
    def land(flight: Flight) -> dict | None:
        """The turn's reply, its counters, metrics and weights now the session's (lock
        held); None if the process has gone, with the training since its last pull."""
        entry, remote = flight.entry, flight.entry.remote
        try:
            reply = flight.process.reply(flight.rid)
        except ProcessGone:
            entry.remote = None
            return None
        remote.progress = (reply["step"], reply["epoch"], reply["status"])
        remote.metrics = reply["metrics"]
        remote.inference = reply.get("inference")
        remote.ahead = True  # last: readers see the new progress with it
        return reply

    @staticmethod
    def bring_back(entry) -> None:
        """Train the session here from now on: pulled, and forgotten by its process."""
        remote = entry.remote
        if remote is not None:
            entry.pull()
            entry.remote = None
            remote.process.forget(entry.replica_key)

    def stop(self) -> None:
        for process in self.processes:
            process.stop()
