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


@router.get("/health", response_model=Health)
async def health(request: Request) -> Health:
    manager = request.app.state.manager
    return Health(status="ok", version=__version__, sessions_loaded=manager.loaded,
                  sessions_playing=manager.playing(),
                  checkpoints_pending=manager.writer.pending)
