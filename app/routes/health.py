"""Liveness: answered on the event loop without touching any session or lock, so its
latency shows how responsive the server is while sessions train."""

from fastapi import APIRouter, Request
from pydantic import BaseModel

from .. import __version__

router = APIRouter(tags=["meta"])


class Health(BaseModel):
    status: str
    version: str
    sessions_loaded: int
    sessions_playing: int
    checkpoints_pending: int


class Limits(BaseModel):
    """What this server accepts (set by `playground` flags or PLAYGROUND_* variables)."""

    max_params: int
    max_layers: int
    max_units: int
    max_samples: int
    max_steps_per_request: int
    max_resolution: int
    max_body_bytes: int
    max_upload_bytes: int


@router.get("/limits", response_model=Limits)
async def limits(request: Request) -> Limits:
    """The server's limits, so that clients (the page) can offer exactly what it allows."""
    settings = request.app.state.settings
    return Limits(**{name: getattr(settings, name) for name in Limits.model_fields})


@router.get("/health", response_model=Health)
async def health(request: Request) -> Health:
    manager = request.app.state.manager
    return Health(
        status="ok",
        version=__version__,
        sessions_loaded=manager.loaded,
        sessions_playing=manager.playing(),
        checkpoints_pending=manager.writer.pending,
    )
