"""The websocket /api/sessions/{id}/stream: play, pause, step, reset, set, snapshot.

Connect with optional query parameters `fps` (metrics frames a second, default 30,
at most 60), `snapshot_fps` (periodic snapshots a second, default 0: on request only;
at most 30), `resolution` (their boundary grid, default 0: none) and `layers` (each
neuron's grid).

Client messages (JSON, with a `type`): `play` {steps_per_frame?}, `pause`, `step`
{steps? | epochs?, part? (a GAN's "round", "d" or "g")}, `reset`, `set` {optimizer?,
regularization?, batch_size?, epochs?, shuffle?, and a GAN's d_optimizer?,
g_optimizer?, gan_loss?, d_steps?, g_steps?}, `snapshot` {resolution?, layers?,
neurons?, weights?, inputs?, encoding?, views?}, `config` {fps?, snapshot_fps?,
resolution?, layers?, views?}, `sample` {params? (the sample_text view's: prime,
temperature, length, seed), id?}. `views` maps view
names to their parameters ({"feature_maps": {"sample": 3}, "confusion": {}}).

Server frames: `status` {status, step, epoch, viewers, spec?} on connect and on every
change of state; `metrics` {step, epoch, status, batch_loss, train_loss, test_loss,
train_accuracy, test_accuracy, penalty, steps_per_second, epochs_per_second, nonfinite;
a GAN's d_loss, g_loss, d_real, d_fake, kl, js, modes, high_quality instead of the
losses and accuracies} at most `fps` a second, always the newest; `snapshot` {step, epoch, weights?,
boundary? {x, y, output, layers?} (grid values rounded to 4 decimals, for drawing;
GET /boundary has them in full; with `"encoding": "base64"` in the request each grid is
{dtype: "float32", shape, data: base64 of its little-endian bytes}), neurons? {x, y,
layers} (every neuron's output over a grid of the request's `neurons` resolution: one
frame, one turn of the session's lock, for a page that draws the output finely and
the neurons coarsely), activations?, views? {name: the view as GET .../views/{name}
gives it}, view_errors? {name: {message, path}}, nonfinite}; `error` {code, message,
path?}, after which the connection stays open; `sample_text` {id, step, prime, text,
probabilities, top, done}: a `sample` request's text in pieces as it is written (a bad
parameter: an `error` frame with the request's `id`). Non-finite numbers are sent as null,
with `nonfinite: true`.

Several clients may watch one session; each has its own pace. When the last one
leaves, a playing session is paused and checkpointed.
"""

import asyncio
import contextlib
import json

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect

from engine import SpecError

from .. import actions, sampling, snapshots
from ..encode import error_frame
from ..errors import ApiError, loc_to_path
from ..manager import SessionManager
from ..schemas.stream import MAX_SNAPSHOT_FPS, ClientMessage
from ..viewer import Viewer

router = APIRouter(tags=["stream"])


def _query_number(
    websocket: WebSocket, name: str, default: float, low: float, high: float
) -> float:
    raw = websocket.query_params.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(422, "invalid_request", f"{name} must be a number", name) from None
    if not low <= value <= high:
        raise ApiError(
            422, "invalid_request", f"{name} must be between {low} and {high}, received {raw}", name
        )
    return value


@router.websocket("/sessions/{session_id}/stream")
async def stream(websocket: WebSocket, session_id: str) -> None:
    manager: SessionManager = websocket.app.state.manager
    settings = manager.settings
    await websocket.accept()
    try:
        fps = _query_number(websocket, "fps", 30, 0.1, 60)
        snapshot_fps = _query_number(websocket, "snapshot_fps", 0, 0, MAX_SNAPSHOT_FPS)
        resolution = int(_query_number(websocket, "resolution", 0, 0, settings.max_resolution))
        layers = websocket.query_params.get("layers", "false").lower() in ("1", "true", "yes")
        entry = await run_in_threadpool(manager.pin, session_id)
    except ApiError as exc:
        await websocket.send_json(error_frame(exc.code, exc.message, exc.path))
        await websocket.close(code=4404 if exc.status == 404 else 4422, reason=exc.code)
        return

    async def make_snapshot(entry, options: dict):
        """The frame; or while a small network plays, a future of its text from the
        trainer's next turn (the viewer collects it at a tick)."""
        try:
            job = snapshots.snapshot_on_trainer(entry, options, settings, manager.renderer)
            if job is not None:
                return job
            return await run_in_threadpool(
                snapshots.snapshot,
                entry,
                options.get("resolution"),
                bool(options.get("layers")),
                options.get("weights", True),
                options.get("inputs"),
                settings,
                options.get("encoding", "json"),
                options.get("neurons"),
                options.get("views"),
            )
        except ApiError as exc:
            return error_frame(exc.code, exc.message, exc.path)
        except SpecError as exc:
            return error_frame("invalid_inputs", exc.message, exc.path or None)

    viewer = Viewer(
        websocket,
        entry,
        fps=fps,
        snapshot_fps=snapshot_fps,
        resolution=resolution,
        layers=layers,
        make_snapshot=make_snapshot,
        budget=manager.snapshot_budget,
    )
    entry.viewers = (*entry.viewers, viewer)
    viewer.push(actions.status_frame(entry, spec=True))
    viewer.push(actions.metrics_frame(entry, entry.summary["metrics"]))
    sender = asyncio.create_task(viewer.run_sender())
    try:
        await _receive_loop(websocket, manager, entry, viewer)
    finally:
        sender.cancel()
        manager.snapshot_budget.forget(viewer)
        entry.viewers = tuple(v for v in entry.viewers if v is not viewer)
        # shielded: when the handler is cancelled (server or test client closing) the
        # last viewer's leaving must still pause, checkpoint and unpin the session
        await asyncio.shield(asyncio.ensure_future(_leave(manager, entry, sender)))


async def _leave(manager: SessionManager, entry, sender: asyncio.Task) -> None:
    with contextlib.suppress(BaseException):
        await sender
    if not entry.viewers and entry.playing:
        await run_in_threadpool(actions.pause, manager, entry)
    await run_in_threadpool(manager.unpin, entry)


async def _receive_loop(websocket: WebSocket, manager: SessionManager, entry, viewer) -> None:
    limit = manager.settings.max_ws_message_bytes
    while True:
        try:
            message = await websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        raw = message.get("text")
        if raw is None:
            raw = (message.get("bytes") or b"").decode("utf-8", errors="replace")
        if len(raw) > limit:
            viewer.push(error_frame("too_large", f"messages may be at most {limit:,} bytes"))
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            viewer.push(
                error_frame("invalid_json", "a message must be a JSON object with a 'type'")
            )
            continue
        try:
            msg = ClientMessage.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            path = loc_to_path(first["loc"])
            text = "is required" if first["type"] == "missing" else first["msg"]
            if first["type"] == "union_tag_invalid":
                text = (
                    "unknown message type; expected play, pause, step, reset, set, "
                    "snapshot, config or sample"
                )
            elif first["type"] == "union_tag_not_found":
                text = "a message needs a 'type'"
            viewer.push(error_frame("invalid_message", text, path or "type"))
            continue
        try:
            await _dispatch(manager, entry, viewer, msg)
        except ApiError as exc:
            viewer.push(error_frame(exc.code, exc.message, exc.path))
        except SpecError as exc:
            viewer.push(error_frame("invalid", exc.message, exc.path or None))


async def _sample(entry, viewer: Viewer, msg) -> None:
    """Stream text while the connection goes on reading messages (a pause, say). A bad
    parameter is an error frame carrying the request's id, so the page can tell it
    from the errors of other requests."""
    try:
        await run_in_threadpool(sampling.stream, entry, msg.params, msg.id, viewer.push)
    except SpecError as exc:
        frame = error_frame("invalid_view", exc.message, exc.path or None)
        if msg.id is not None:
            frame["id"] = msg.id
        viewer.push(frame)


async def _dispatch(manager: SessionManager, entry, viewer: Viewer, msg) -> None:
    kind = msg.type
    if kind == "play":
        await run_in_threadpool(actions.play, manager, entry, msg.steps_per_frame)
    elif kind == "pause":
        await run_in_threadpool(actions.pause, manager, entry)
    elif kind == "step":
        steps = msg.steps if msg.steps is not None or msg.epochs is not None else 1
        if msg.steps is not None and msg.epochs is not None:
            raise ApiError(422, "invalid_message", "give one of steps and epochs", "steps")
        await run_in_threadpool(actions.train, manager, entry, steps, msg.epochs, False, msg.part)
    elif kind == "reset":
        await run_in_threadpool(actions.reset, manager, entry)
    elif kind == "set":
        changes = msg.model_dump(exclude_unset=True, exclude={"type"}, mode="json")
        await run_in_threadpool(actions.set_live, manager, entry, changes)
    elif kind == "snapshot":
        viewer.snapshot_requests.append(
            {
                "resolution": msg.resolution or viewer.resolution,
                "layers": viewer.layers if msg.layers is None else msg.layers,
                "neurons": msg.neurons,
                "weights": msg.weights,
                "inputs": msg.inputs,
                "encoding": msg.encoding,
                "views": msg.views,
            }
        )
        viewer.wake.set()
    elif kind == "sample":
        task = asyncio.create_task(_sample(entry, viewer, msg))
        viewer.tasks.add(task)
        task.add_done_callback(viewer.tasks.discard)
    elif kind == "config":
        for key in ("fps", "snapshot_fps", "resolution", "layers", "views"):
            value = getattr(msg, key)
            if value is not None:
                setattr(viewer, key, value)
        viewer.wake.set()
