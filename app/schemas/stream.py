"""Websocket messages from clients, one model per `type` (a discriminated union, so a
bad message's error names its type and field). Server frames are documented in
app.routes.stream."""

from typing import Annotated, Any, Literal

from pydantic import Field, FiniteFloat, TypeAdapter

from engine.objectives.adversarial import PARTS

from .sessions import SessionPatch
from .spec import Strict

MAX_SNAPSHOT_FPS = 30  # feature maps redrawn live want more than 10 a second
ViewRequests = Annotated[dict[str, dict[str, Any]], Field(max_length=8)]


class Play(Strict):
    type: Literal["play"]
    steps_per_frame: int = Field(
        None,
        ge=1,
        le=100_000,
        description="train this many steps per frame (30 frames a second) instead of full speed",
    )


class Pause(Strict):
    type: Literal["pause"]


class Step(Strict):
    type: Literal["step"]
    steps: int = Field(None, ge=1)
    epochs: int = Field(None, ge=1)
    part: Literal[PARTS] = Field(
        None, description="adversarial: a round (default), a D step (d) or a G step (g)"
    )


class Reset(Strict):
    type: Literal["reset"]


class Set(SessionPatch):
    """The same fields, and checks, as PATCH /api/sessions/{id}."""

    type: Literal["set"]


class Snapshot(Strict):
    type: Literal["snapshot"]
    resolution: int = Field(
        None, ge=2, le=1000, description="boundary grid; 0 or absent: the connection's setting"
    )
    layers: bool = None
    neurons: int = Field(
        None,
        ge=2,
        le=1000,
        description="also every neuron's output over a "
        "grid of this resolution (often "
        "coarser than the boundary's)",
    )
    weights: bool = True
    inputs: list[list[FiniteFloat]] = Field(
        None, min_length=1, max_length=10_000, description="also every layer's activations"
    )
    encoding: Literal["json", "base64"] = Field(
        "json", description="grids as lists of numbers, or as base64 float32 bytes"
    )
    views: ViewRequests = Field(
        None,
        description="views to include, by name with their "
        "parameters, as GET /api/sessions/{id}/views/{name} gives them",
    )


class Config(Strict):
    """This connection's pace: metrics frames a second, snapshots a second (0: only on
    request), and what periodic snapshots hold."""

    type: Literal["config"]
    fps: FiniteFloat = Field(None, gt=0, le=60)
    snapshot_fps: FiniteFloat = Field(None, ge=0, le=MAX_SNAPSHOT_FPS)
    resolution: int = Field(None, ge=0, le=1000)
    layers: bool = None
    views: ViewRequests = Field(
        None, description="views that periodic snapshots carry ({} for none)"
    )


class Sample(Strict):
    """Write text with the model, streamed back as `sample_text` frames as it is
    written: the sample_text view's parameters (prime, temperature, length, seed)."""

    type: Literal["sample"]
    params: dict[str, Any] = Field(None, description="the sample_text view's parameters")
    id: int | str = Field(None, description="echoed in the frames, to match a request")


ClientMessage = TypeAdapter(
    Annotated[
        Play | Pause | Step | Reset | Set | Snapshot | Config | Sample,
        Field(discriminator="type"),
    ]
)
