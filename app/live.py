"""A session held in memory by the server: the engine session plus what the server
adds around it (a lock, play state, viewers, the latest frame, a summary).

An engine session is not thread-safe, so every engine call holds `lock`. Readers that
must not wait for training (listing, health, the websocket's status) use `summary`, a
plain dict replaced (never mutated) after each change, so reading it needs no lock.

Status: the engine knows ready/diverged/finished; the server adds "running" (playing)
and "paused" (not playing, with progress to resume: step > 0). After a restart every
session with progress is therefore paused, as it should be.
"""

import itertools
import logging
import math
import time

from engine import Session
from engine.views import modality_of

from .encode import clean
from .training_pool import Replica
from .training_process import ProcessGone
from .turn_lock import TurnLock

DEFAULT_FRAME_INTERVAL = 1 / 30
"""Seconds between metrics frames for a session no one watches (its summary stays as
fresh as a viewer's frames would be)."""
LONGEST_FRAME_INTERVAL = 0.5  # a summary (GET /api/sessions) is never staler, whoever watches
TRAINER_JOB_PACE = 1000.0
"""Steps a second above which a playing session's locked work (snapshots) runs on the
trainer's thread: its steps are Python-bound and hold the GIL (a CNN's run in NumPy's
kernels, which release it, so work beside them runs in parallel)."""
TRAINER_JOB_SECONDS = 0.005
"""Locked work that took longer than this last time runs beside training, not in its
turn (which would hold up every other session)."""


_REPLICA_KEYS = itertools.count()
log = logging.getLogger("playground.training")


class LiveSession:
    def __init__(
        self,
        sid: str,
        session: Session,
        *,
        name: str,
        created: float,
        updated: float | None = None,
        seq: int = 0,
    ):
        self.id = sid
        self.session = session
        self.replica_key = f"{sid}.{next(_REPLICA_KEYS)}"  # its replicas' (render, training)
        self.name = name
        self.created = created
        self.updated = updated or created
        self.seq = seq  # checkpoint sequence number; the store keeps only the newest
        self.lock = TurnLock(on_enter=self.pull, on_exit=self._copy_changed)
        self.remote: Replica | None = None  # while a training process trains it
        self.fits_process: bool | None = None  # small enough to send there (PROCESS_BYTES)
        self.playing = False
        self.steps_per_frame: int | None = None
        self.steps_per_second = 0.0  # while playing: steps a second, sharing the trainer
        self.pace = 0.0  # steps a second within a trainer's turn (sizes its slices)
        self.seconds_per_step: float | None = None  # measured by REST steps
        self.scheduled = False  # in the trainer's queue (trainer's lock)
        self.passed_over = False  # its lock was busy at its last turn (trainer)
        self.turn_ended: float | None = None  # time.monotonic() at its last turn's end
        self.published: tuple[float, int] | None = None  # (time, step) of its last frame
        self.last_active = time.time()  # last pinned or unpinned (manager's clock and lock)
        self.runner = None  # the trainer, while it trains this session (trainer's lock)
        self.jobs: list = []  # (fn, future) for the runner's next turn (trainer's lock)
        self.job_seconds = 0.0  # how long the last `exclusive` work took
        self.job_asked = -math.inf  # time.monotonic() of the last job for the runner
        self.pins = 0  # requests, sockets and the trainer using it (manager's lock)
        self.viewers: tuple = ()  # replaced, never mutated: the trainer reads it unlocked
        self.deleted = False
        self.dirty = False
        self.last_checkpoint = time.monotonic()
        self.frame: dict | None = None  # the newest metrics frame
        self.frame_version = 0
        self.summary: dict = {}
        self._layers: list[dict] | None = None
        self._modality = ""
        self.refresh()

    def on_trainer(self, fn):
        """A future of `fn()`, made by the trainer at the session's next turn with the
        lock held, if a small network plays; otherwise None.

        Its steps hold the GIL, every hand-over of the GIL between two threads costs the
        trainer about 0.15 ms on this machine, and a snapshot's NumPy calls each release
        it and take it back (benchmarks/server.py, eight pages pulling snapshots: 40% of
        one session's steps a second together, 32% with snapshots beside training).
        Work that took long last time runs beside training, not in its turn. `fn` runs
        with the lock held, but the session's copy may be behind its training process:
        it calls `pull` first, unless `inference_state` is all it reads."""
        runner = self.runner
        if (
            runner is not None
            and self.pace >= TRAINER_JOB_PACE
            and self.job_seconds < TRAINER_JOB_SECONDS
        ):
            return runner.submit(self, fn)
        return None

    def exclusive(self, fn):
        """`fn()` with the session's lock held (fn must not take it), and its result:
        made by the trainer (`on_trainer`) while a small network plays, else here."""

        def pulled_first():
            self.pull()
            return fn()

        job = self.on_trainer(pulled_first)
        if job is not None:
            return job.result()
        with self.lock:
            start = time.monotonic()
            try:
                return fn()
            finally:
                self.job_seconds = time.monotonic() - start

    @property
    def status(self) -> str:
        if self.playing:
            return "running"
        step, _, engine_status = self.progress()
        if engine_status != "ready":
            return engine_status
        return "paused" if step else "ready"

    def metrics(self) -> dict:
        """The engine's latest (cheap) metrics with the server's status. Lock held."""
        remote = self.remote
        m = dict(remote.metrics) if remote is not None and remote.ahead else None
        if m is None:
            m = clean(self.session.metrics())
        m["status"] = self.status
        return m

    # -- a copy trained elsewhere (app.training_process) ----------------------------
    def progress(self) -> tuple[int, int, str]:
        """(step, epoch, engine status), from its training process if that is ahead."""
        remote = self.remote
        if remote is not None and remote.ahead:
            return remote.progress
        s = self.session
        return s.step_count, s.epoch, s.status

    def here(self) -> bool:
        """Whether the server's copy is up to date (taking the lock then needs no wait)."""
        remote = self.remote
        return remote is None or not remote.ahead

    def pull(self) -> None:
        """Bring the server's copy up to date with its training process (lock held). If
        the process has died, the copy stays as it was last pulled."""
        remote = self.remote
        if remote is None or not remote.ahead:
            return
        try:
            if self.replica_key not in remote.process.keys:
                raise ProcessGone("its replica is gone")
            meta, arrays = remote.process.state(self.replica_key)
        except (ProcessGone, RuntimeError) as exc:
            log.warning("session %s: training since its last pull is lost (%s)", self.id, exc)
            self.remote = None
            return
        self.session.load_state_dict(meta, arrays)
        remote.ahead = False

    def inference_state(self) -> tuple:
        """(arrays, step, epoch): what inference reads (Session.inference_arrays), as new
        as training is, without pulling the whole state. Lock held."""
        remote = self.remote
        if remote is not None and remote.ahead:
            if remote.inference is not None:
                return remote.inference
            try:
                return remote.process.inference(self.replica_key)
            except (ProcessGone, RuntimeError):
                self.pull()
        s = self.session
        return s.inference_arrays(), s.step_count, s.epoch

    def _copy_changed(self) -> None:
        """Whoever held the lock may have changed the copy: its process gets it again."""
        remote = self.remote
        if remote is not None:
            remote.stale = True

    def refresh(self, changed: bool = False) -> dict:
        """Rebuild `summary` (lock held, or before anyone else can see the session)."""
        if changed:
            self.updated = time.time()
            self.dirty = True
        s = self.session
        metrics = self.metrics()
        step, epoch, _ = self.progress()
        if self._layers is None:  # the architecture never changes (reset keeps it)
            self._layers = s.layers_summary()
            self._modality = modality_of(s)
        self.summary = {
            "id": self.id,
            "name": self.name,
            "spec": s.spec,
            "step": step,
            "epoch": epoch,
            "status": metrics["status"],
            "n_params": s.n_params,
            "steps_per_epoch": s.steps_per_epoch,
            "metrics": metrics,
            "created": self.created,
            "updated": self.updated,
            "modality": self._modality,
            "layers": self._layers,
        }
        return metrics

    def checkpoint_state(self) -> tuple[dict, dict]:
        """(row, arrays) for the store; the engine hands over copies where training
        writes, so training may go on while they are written. Lock held."""
        self.pull()
        meta, arrays = self.session.state_dict()
        meta = dict(meta)
        spec = meta.pop("spec")
        self.seq += 1
        self.dirty = False
        self.last_checkpoint = time.monotonic()
        summary = {
            k: self.summary[k] for k in ("step", "epoch", "n_params", "steps_per_epoch", "metrics")
        }
        summary["status"] = (
            "paused" if summary["metrics"]["status"] == "running" else summary["metrics"]["status"]
        )
        summary["metrics"] = {**summary["metrics"], "status": summary["status"]}
        row = {
            "name": self.name,
            "created": self.created,
            "updated": self.updated,
            "seq": self.seq,
            "spec": spec,
            "meta": meta,
            "summary": summary,
        }
        return row, arrays

    # -- frames -------------------------------------------------------------------
    def frame_interval(self) -> float:
        """Seconds between the metrics frames its most eager viewer wants."""
        viewers = self.viewers
        if not viewers:
            return DEFAULT_FRAME_INTERVAL
        return min(1.0 / max(v.fps for v in viewers), LONGEST_FRAME_INTERVAL)

    def publish(self, frame: dict, wake: bool = True) -> None:
        """Make `frame` the newest metrics frame (any thread), and wake every viewer
        unless `wake` is False: the trainer's frames are not pushed but collected, as
        viewers of a playing session look in at each tick of their frame rate (see
        app.viewer)."""
        self.frame = frame
        self.frame_version += 1
        if wake:
            for viewer in list(self.viewers):
                viewer.notify()

    def broadcast(self, message: dict) -> None:
        """A frame every viewer must get (status changes, errors of the session)."""
        for viewer in list(self.viewers):
            viewer.push(message)
