"""What can be done to a session, shared by the REST routes and the websocket: train
a bounded number of steps, play, pause, reset, change hyperparameters (snapshots:
app.snapshots).

Each function takes the session's lock for the engine calls and must run in a worker
thread, never on the event loop (training is CPU-bound; taking the lock may wait for
the trainer's current slice, at most about `slice_seconds`).
"""

import time

from . import limits
from .encode import (
    clean,
)
from .errors import ApiError
from .live import LiveSession
from .manager import SessionManager
from .settings import Settings


def conflict_playing(entry: LiveSession) -> ApiError:
    return ApiError(
        409,
        "session_running",
        'the session is playing on the websocket; pause it first (send {"type": "pause"})',
    )


def metrics_frame(entry: LiveSession, metrics: dict) -> dict:
    """A websocket metrics frame: the engine's metrics, the server's status and rate."""
    s = entry.session
    rate = entry.steps_per_second if entry.playing else 0.0
    if entry.playing and entry.steps_per_frame:
        rate = min(rate, entry.steps_per_frame * 30.0)
    return {
        "type": "metrics",
        **metrics,
        "steps_per_second": round(rate, 1),
        "epochs_per_second": round(rate / s.steps_per_epoch, 3),
        "nonfinite": entry.progress()[2] == "diverged",
    }


def status_frame(entry: LiveSession, spec: bool = False) -> dict:
    step, epoch, _ = entry.progress()
    frame = {
        "type": "status",
        "status": entry.status,
        "step": step,
        "epoch": epoch,
        "viewers": len(entry.viewers),
    }
    if spec:
        frame["spec"] = entry.session.spec
    return frame


def on_slice(entry: LiveSession) -> None:
    """The trainer's callback (wired in app.main): after a turn whose viewers are due a
    frame, the new summary and metrics frame; a status frame if it stopped. Lock held."""
    metrics = entry.refresh(changed=True)
    entry.publish(metrics_frame(entry, metrics), wake=not entry.playing)
    if not entry.playing:  # diverged or finished while playing
        entry.broadcast(status_frame(entry))


def _changed(
    manager: SessionManager, entry: LiveSession, status: bool = False, spec: bool = False
) -> dict:
    """After a change: new summary, a frame for viewers, a checkpoint. Lock held."""
    metrics = entry.refresh(changed=True)
    entry.publish(metrics_frame(entry, metrics))
    if status or spec:
        entry.broadcast(status_frame(entry, spec=spec))
    manager.checkpoint(entry)
    return metrics


INLINE_SECONDS = 0.0005
"""A REST step expected to take less than this (by the session's own measured pace)
runs on the event loop: the two thread hops would cost more than the step itself."""

SMALL_DATA = 1000
"""Samples (train and test) below which an epoch's start and end (shuffle, evaluation)
cost little (about 0.15 ms for 500 here; 0.6 ms for 2,000, 3.5 ms for 20,000)."""


def quick(entry: LiveSession, steps: int | None) -> bool:
    """Whether `steps` mini-batches may train on the event loop: the session's measured
    pace says they take less than INLINE_SECONDS, and they cross no epoch boundary
    unless its data is small."""
    pace, s = entry.seconds_per_step, entry.session
    if pace is None or steps is None or entry.playing or steps * pace >= INLINE_SECONDS:
        return False
    return len(s.data.X_train) + len(s.data.X_test) <= SMALL_DATA or steps <= s.steps_within_epoch


def train(
    manager: SessionManager,
    entry: LiveSession,
    steps: int | None,
    epochs: int | None,
    evaluate: bool = False,
    part: str | None = None,
) -> dict:
    """Train up to `steps` mini-batches or `epochs` epochs within the time budget (a
    GAN's steps: rounds, or its `part` "d" or "g" alone)."""
    with entry.lock:
        return train_locked(manager, entry, steps, epochs, evaluate, part)


def train_locked(
    manager: SessionManager,
    entry: LiveSession,
    steps: int | None,
    epochs: int | None,
    evaluate: bool = False,
    part: str | None = None,
) -> dict:
    """`train` with the session's lock held by the caller."""
    settings: Settings = manager.settings
    if entry.playing:
        raise conflict_playing(entry)
    s = entry.session
    limits.check_steps(steps, epochs, s.steps_per_epoch, settings)
    start = time.monotonic()
    deadline = start + settings.step_time_budget
    first_step, status_before = s.step_count, entry.status
    target_epoch = s.epoch + epochs if epochs is not None else None
    remaining = steps
    chunk = 1 if steps is None else min(steps, 64)
    while s.status == "ready":
        if epochs is not None:
            if s.epoch >= target_epoch:
                break
            s.step(epochs=1, part=part)
        else:
            if remaining <= 0:
                break
            before = s.step_count
            t0 = time.monotonic()
            s.step(steps=min(chunk, remaining), part=part)
            remaining -= s.step_count - before
            took = time.monotonic() - t0
            chunk = max(1, min(chunk * 2, int(chunk * 0.05 / took))) if took > 0 else chunk * 2
        if time.monotonic() >= deadline:
            break
    complete = (remaining == 0) if epochs is None else (s.epoch >= target_epoch)
    if s.step_count > first_step:
        entry.seconds_per_step = (time.monotonic() - start) / (s.step_count - first_step)
    metrics = _changed(manager, entry, status=entry.status != status_before)
    if evaluate:
        metrics = {**metrics, **clean(s.metrics(evaluate=True)), "status": entry.status}
    return {
        "metrics": metrics,
        "steps_done": s.step_count - first_step,
        "complete": bool(complete),
        "seconds": round(time.monotonic() - start, 6),
    }


def play(manager: SessionManager, entry: LiveSession, steps_per_frame: int | None) -> None:
    with entry.lock:
        if entry.deleted:
            raise ApiError(404, "session_not_found", "the session was deleted")
        if entry.session.status in ("diverged", "finished"):
            raise ApiError(
                409,
                f"session_{entry.session.status}",
                f"the session has {entry.session.status}; reset it"
                + (
                    " or raise its epochs"
                    if entry.session.status == "finished"
                    else " or lower the learning rate and reset"
                ),
            )
        entry.steps_per_frame = steps_per_frame
        if not entry.playing:
            if manager.playing() >= manager.settings.max_playing:
                raise ApiError(
                    422,
                    "limit_exceeded",
                    f"{manager.settings.max_playing} sessions are already playing "
                    "on this server (--max-playing); pause one first",
                )
            entry.playing = True
            entry.refresh()
            entry.broadcast(status_frame(entry))
    manager.trainer.schedule(entry)


def pause(manager: SessionManager, entry: LiveSession) -> None:
    with entry.lock:
        was_playing, entry.playing = entry.playing, False
        if was_playing:
            metrics = entry.refresh(changed=True)
            # replace the newest metrics frame too: one still saying "running" must not
            # reach a viewer after the "paused" status
            entry.publish(metrics_frame(entry, metrics))
            entry.broadcast(status_frame(entry))
            if entry.dirty:
                manager.checkpoint(entry)


def reset(manager: SessionManager, entry: LiveSession) -> dict:
    """Back to step 0 with the same seed; a playing session is paused first."""
    with entry.lock:
        entry.playing = False
        entry.session.reset()
        entry.steps_per_second = 0.0
        return _changed(manager, entry, status=True)


def set_live(manager: SessionManager, entry: LiveSession, changes: dict) -> dict:
    """Live hyperparameter changes (SpecError names the bad field); keeps playing."""
    with entry.lock:
        entry.session.set(changes)
        return _changed(manager, entry, spec=True)


def check_rows(inputs: list, settings: Settings, path: str = "inputs") -> None:
    if len(inputs) > settings.max_samples:
        raise ApiError(
            422,
            "limit_exceeded",
            f"{len(inputs):,} rows is above this server's "
            f"limit of {settings.max_samples:,} (--max-samples)",
            path,
        )
