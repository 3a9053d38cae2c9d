"""Snapshots: a session's weights, boundary and neuron grids, activations and views in
one frame, from one turn of its lock; made in a worker thread, in the trainer's turn,
or (for a playing small network) in a render process (app.render), the same frame
each way."""

import json
import time

from engine import SpecError
from engine import views as engine_views

from .encode import (
    SNAPSHOT_DECIMALS,
    activations_json,
    boundary_json,
    error_frame,
    view_to_json,
    weights_to_json,
)
from .errors import ApiError
from .live import LiveSession
from .settings import Settings


def snapshot(
    entry: LiveSession,
    resolution: int | None,
    layers: bool,
    weights: bool,
    inputs=None,
    settings: Settings | None = None,
    encoding: str = "json",
    neurons: int | None = None,
    views: dict | None = None,
) -> dict:
    """A websocket snapshot frame: weights, boundary grid, neuron grids, activations and
    the views asked for (one turn of the lock for all of them). A view that cannot be
    computed is reported in the frame's `view_errors`, not as a failed frame."""
    engine_calls, finish = snapshot_parts(
        entry.session, resolution, layers, weights, inputs, settings, encoding, neurons, views
    )
    return finish(entry.exclusive(engine_calls))


def snapshot_on_trainer(entry: LiveSession, options: dict, settings: Settings, renderer=None):
    """The snapshot of `options` as JSON text, made from the next turn of a small network
    that plays (LiveSession.on_trainer): a future of (text, seconds of the trainer's
    time), or of a render process's job giving them (app.render: the trainer then only
    copies the weights); None if the session is not one."""
    check_resolutions(options, settings)

    def made():
        start = time.monotonic()
        if renderer is not None and not options.get("views"):
            job = renderer.submit(entry, options)
            if job is not None:
                return job
        entry.pull()
        return snapshot_text(entry.session, options), time.monotonic() - start

    return entry.on_trainer(made)


def snapshot_text(s, options: dict) -> str:
    """The snapshot frame of session `s` as JSON text (lock held); bad inputs give an
    error frame's."""
    engine_calls, finish = snapshot_parts(s, **options)
    try:
        frame = finish(engine_calls())
    except SpecError as exc:
        frame = error_frame("invalid_inputs", exc.message, exc.path or None)
    return json.dumps(frame, allow_nan=False)


def check_resolutions(options: dict, settings: Settings) -> None:
    for name in ("resolution", "neurons"):
        value = options.get(name)
        if value and value > settings.max_resolution:
            raise ApiError(
                422,
                "limit_exceeded",
                f"{name} {value} is above this server's "
                f"limit of {settings.max_resolution} (--max-resolution)",
                name,
            )


def snapshot_parts(
    s,
    resolution: int | None = None,
    layers: bool = False,
    weights: bool = True,
    inputs=None,
    settings: Settings | None = None,
    encoding: str = "json",
    neurons: int | None = None,
    views: dict | None = None,
):
    """(the engine calls on session `s`, to make with its lock held; the rest, which
    turns their results into the frame without it)."""
    if settings is not None:
        check_resolutions({"resolution": resolution, "neurons": neurons}, settings)
    frame: dict = {"type": "snapshot"}
    raw_views, view_errors = {}, {}

    def engine_calls():  # lock held: only the engine calls; they return fresh copies
        frame["step"], frame["epoch"] = s.step_count, s.epoch
        plane = s.has_boundary
        return (
            s.get_weights() if weights else None,
            s.boundary(resolution) if resolution and plane else None,
            s.boundary(neurons) if neurons and plane else None,
            s.activations(inputs) if inputs is not None else None,
            *views_under_lock(s, views or {}, raw_views, view_errors),
        )

    def finish(results) -> dict:
        raw_weights, grid, coarse, raw_activations, attached, twin = results
        # the views that may run on a twin run now, beside training, on its weights
        views_on_twin(twin, attached, raw_views, view_errors)
        nonfinite = False
        if raw_weights is not None:
            frame["weights"], nonfinite = weights_to_json(raw_weights)
        if grid is not None:
            frame["boundary"], bad = boundary_json(grid, layers, SNAPSHOT_DECIMALS, encoding)
            nonfinite |= bad
        if coarse is not None:
            neuron_grids, bad = boundary_json(coarse, True, SNAPSHOT_DECIMALS, encoding)
            del neuron_grids["output"]  # the last layer's grid is the output
            frame["neurons"] = neuron_grids
            nonfinite |= bad
        if raw_activations is not None:
            frame["activations"], bad = activations_json(raw_activations)
            nonfinite |= bad
        if views:
            frame["views"] = {name: view_to_json(value) for name, value in raw_views.items()}
            if view_errors:
                frame["view_errors"] = view_errors
        frame["nonfinite"] = nonfinite
        return frame

    return engine_calls, finish


def views_under_lock(s, requests: dict, results: dict, errors: dict):
    """Compute the views that need the session itself (lock held), and take a twin
    for the rest: returns (the rest, the twin or None)."""
    rest = {}
    for name, params in requests.items():
        view = engine_views.VIEWS.get(name)
        if view is not None and view.detached:
            rest[name] = params
            continue
        try:
            results[name] = engine_views.compute(s, name, params)
        except SpecError as exc:
            errors[name] = {"message": exc.message, "path": exc.path or None}
    return rest, (s.detached() if rest else None)


def views_on_twin(twin, requests: dict, results: dict, errors: dict) -> None:
    """The views of `requests` on `twin` (no lock needed), then the twin handed back."""
    if twin is None:
        return
    try:
        for name, params in requests.items():
            try:
                results[name] = engine_views.compute(twin, name, params)
            except SpecError as exc:
                errors[name] = {"message": exc.message, "path": exc.path or None}
    finally:
        twin.release()
