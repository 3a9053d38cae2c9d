"""Named ready-made specs, straight from the engine's registry."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from engine.presets import list_presets

router = APIRouter(tags=["presets"])


class Preset(BaseModel):
    name: str
    title: str
    description: str
    spec: dict[str, Any]


@router.get("/presets", response_model=list[Preset])
async def presets() -> list[dict]:
    """Each preset's `spec` can be POSTed to /api/sessions as it is."""
    return list_presets()
