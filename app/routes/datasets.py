"""The built-in datasets, straight from the engine's registry (not a second list)."""

from typing import Any

from fastapi import APIRouter

from engine.data import describe_datasets

router = APIRouter(tags=["datasets"])


@router.get("/datasets", response_model=list[dict[str, Any]])
async def list_datasets() -> list[dict]:
    """Every dataset: name, title, kind, input width, classes, parameters with ranges."""
    return describe_datasets()
