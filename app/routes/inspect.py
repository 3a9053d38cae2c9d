"""Looking inside a session: history, weights (read and write), predictions,
activations and the decision boundary. Arrays leave as lists with NaN/inf as null.

Large arrays are returned as ready JSONResponses: the response models document the
shapes in /docs, but validating a 200×200×17 grid through pydantic again would cost
more than computing it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import JSONResponse

from engine import SpecError

from .. import actions
from ..deps import ManagerDep, SessionDep, SettingsDep
from ..encode import (
    activations_json,
    array_to_json,
    boundary_json,
    clean,
    envelope,
    weights_to_json,
)
from ..errors import BODY, PLAYING, SESSION, ApiError, error_responses, spec_error
from ..schemas.sessions import (
    ActivationsRequest,
    ActivationsResponse,
    BoundaryResponse,
    LayerWeights,
    Metrics,
    PredictRequest,
    PredictResponse,
    SessionPublic,
)

router = APIRouter(
    prefix="/sessions/{session_id}", tags=["inspect"], responses=error_responses(SESSION)
)
LAYER = {404: "no layer with this name or index"}


@router.get("/history")
def history(
    entry: SessionDep,
    per: Annotated[Literal["step", "epoch"] | None, Query(description="one series only")] = None,
) -> dict:
    """Per step (`batch_loss`) and per epoch (train/test loss and accuracy), as columns
    with `x` the step or epoch; long runs are downsampled (`stride` raw points a point)."""
    with entry.lock:
        h = entry.session.history
    return JSONResponse(h if per is None else {per: h[per]})


@router.get("/metrics", response_model=Metrics)
def metrics(
    entry: SessionDep,
    evaluate: Annotated[
        bool,
        Query(
            description="measure losses and accuracies on "
            "all data now (a forward pass), as at epoch 0 "
            "before any training"
        ),
    ] = False,
) -> dict:
    """The session's latest metrics without training; with `evaluate` they are measured
    now with the current weights (so a fresh or reset session has losses too)."""
    with entry.lock:
        m = clean(entry.session.metrics(evaluate=evaluate))
        m["status"] = entry.status
    return m


@router.get("/weights", response_model=list[LayerWeights], response_model_exclude_none=True)
def get_weights(entry: SessionDep) -> list[dict]:
    """One object a layer with its arrays by name: {"W": inputs × units, "b": units} for
    dense, {"W": kh × kw × in × filters, "b"} for conv2d, batch norm's gamma, beta and
    running statistics, {} for layers without parameters. A GAN's list is the
    generator's layers, then the discriminator's."""
    with entry.lock:
        weights, _ = weights_to_json(entry.session.get_weights())
    return JSONResponse(weights)


@router.put(
    "/weights", response_model=SessionPublic, responses=error_responses(SESSION, BODY, PLAYING)
)
def put_weights(
    entry: SessionDep, manager: ManagerDep, weights: Annotated[list[LayerWeights], Body()]
) -> dict:
    """Set every layer's parameters (the shape GET gives); nothing changes on error."""
    raw = [w.root for w in weights]
    with entry.lock:
        if entry.playing:
            raise actions.conflict_playing(entry)
        try:
            entry.session.set_weights(raw)
        except SpecError as exc:
            raise spec_error(exc, "invalid_weights") from None
        actions._changed(manager, entry)
    return entry.summary


def _layer_key(layer: str) -> str | int:
    return int(layer) if layer.isdigit() else layer


@router.get(
    "/weights/{layer}", response_model=LayerWeights, responses=error_responses(SESSION, LAYER)
)
def get_layer_weights(
    entry: SessionDep, layer: Annotated[str, Path(description="a layer's name or index")]
) -> dict:
    """One layer's arrays by name (the layer's name, as conv2d_1, or its index; a GAN's
    layers are named after their network, generator.dense_1 or discriminator.dense_1,
    and indexed generator first)."""
    with entry.lock:
        try:
            index, _ = entry.session.layer(_layer_key(layer))
        except SpecError as exc:
            raise ApiError(404, "layer_not_found", exc.message, "layer") from None
        weights, _ = weights_to_json([entry.session.get_weights()[index]])
    return JSONResponse(weights[0])


@router.put(
    "/weights/{layer}",
    response_model=SessionPublic,
    responses=error_responses(SESSION, LAYER, BODY, PLAYING),
)
def put_layer_weights(
    entry: SessionDep,
    manager: ManagerDep,
    layer: Annotated[str, Path(description="a layer's name or index")],
    weights: Annotated[LayerWeights, Body()],
) -> dict:
    """Set one layer's arrays (the shape GET gives); nothing changes on error."""
    with entry.lock:
        if entry.playing:
            raise actions.conflict_playing(entry)
        s = entry.session
        try:
            s.layer(_layer_key(layer))
        except SpecError as exc:
            raise ApiError(404, "layer_not_found", exc.message, "layer") from None
        try:
            s.set_layer_weights(_layer_key(layer), weights.root)
        except SpecError as exc:
            raise spec_error(exc, "invalid_weights") from None
        actions._changed(manager, entry)
    return entry.summary


@router.post("/predict", response_model=PredictResponse, responses=error_responses(SESSION, BODY))
def predict(entry: SessionDep, settings: SettingsDep, body: PredictRequest) -> dict:
    """Outputs for raw points (features are applied as in training)."""
    actions.check_rows(body.inputs, settings)
    with entry.lock:
        try:
            out = entry.session.predict(body.inputs)
        except SpecError as exc:
            raise spec_error(exc, "invalid_inputs") from None
    return JSONResponse({"outputs": array_to_json(out)[0]})


@router.post(
    "/activations", response_model=ActivationsResponse, responses=error_responses(SESSION, BODY)
)
def activations(entry: SessionDep, settings: SettingsDep, body: ActivationsRequest) -> dict:
    """Every layer's output for raw `inputs`, or for one `sample` of the data."""
    with entry.lock:
        s = entry.session
        if body.sample is not None:
            points = s.data.points_train if body.split == "train" else s.data.points_test
            if body.sample >= len(points):
                raise ApiError(
                    422,
                    "invalid_request",
                    f"the {body.split} split has {len(points)} samples; sample must be below that",
                    "sample",
                )
            inputs = points[body.sample : body.sample + 1].tolist()
        else:
            actions.check_rows(body.inputs, settings)
            inputs = body.inputs
        try:
            arrays = s.activations(inputs)
        except SpecError as exc:
            raise spec_error(exc, "invalid_inputs") from None
    encoded, _ = activations_json(arrays)
    return JSONResponse({"inputs": array_to_json(inputs)[0], **encoded})


@router.get("/boundary", response_model=BoundaryResponse, response_model_exclude_none=True)
def boundary(
    entry: SessionDep,
    settings: SettingsDep,
    resolution: Annotated[
        int, Query(ge=2, le=1000, description="N for an N×N grid; at most --max-resolution")
    ] = 50,
    layers: Annotated[bool, Query(description="every neuron's grid too")] = True,
) -> dict:
    """For 2-D inputs: the output, and each neuron's output, over an N×N grid spanning
    the data (row i, column j is the point (x[j], y[i]))."""
    if resolution > settings.max_resolution:
        raise ApiError(
            422,
            "limit_exceeded",
            f"resolution {resolution} is above this "
            f"server's limit of {settings.max_resolution} (--max-resolution)",
            "resolution",
        )
    with entry.lock:
        try:
            grid = entry.session.boundary(resolution)
        except SpecError as exc:
            raise spec_error(exc, "not_2d") from None
    return JSONResponse(boundary_json(grid, layers)[0])


@router.get("/data")
def data(entry: SessionDep) -> dict:
    """The session's points as the plane shows them (before feature transforms) with
    their targets (class index or value), train and test apart, and the view the
    boundary grid spans (null for data that is not 2-D). Images come as envelopes (the
    `samples` view pages through them)."""
    with entry.lock:
        return JSONResponse(points_json(entry.session.data))


def points_json(d) -> dict:
    """Points and labels as lists; images (rank 4) as {dtype, shape, data} envelopes,
    which are a fraction of the size and parse without building nested lists."""

    def encode(a):
        return envelope(a) if a.ndim > 2 else array_to_json(a)[0]

    return {
        "task": d.task,
        "n_classes": d.n_classes,
        "view": list(d.view) if d.view else None,
        "train": {"points": encode(d.points_train), "labels": encode(d.labels_train)},
        "test": {"points": encode(d.points_test), "labels": encode(d.labels_test)},
    }
