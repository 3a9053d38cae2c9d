"""The built-in datasets, straight from the engine's registry (not a second list)."""

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from engine import SpecError
from engine.data import DATASETS, describe_datasets, resolve_params

from ..deps import SettingsDep
from ..encode import array_to_json
from ..errors import ApiError, spec_error

SAMPLE_SEED_MAX = 2**32 - 1

router = APIRouter(tags=["datasets"])


@router.get("/datasets", response_model=list[dict[str, Any]])
async def list_datasets() -> list[dict]:
    """Every dataset: name, title, kind, input width, classes, parameters with ranges."""
    return describe_datasets()


@router.get("/datasets/{name}/sample")
async def sample_dataset(name: str, settings: SettingsDep,
                         n_samples: Annotated[int | None, Query(ge=1)] = None,
                         noise: Annotated[float | None, Query(ge=0)] = None,
                         classes: Annotated[int | None, Query(ge=2)] = None,
                         seed: Annotated[int, Query(ge=0, le=SAMPLE_SEED_MAX)] = 0) -> dict:
    """Points of a built-in dataset without making a session (for thumbnails and
    previews): {"points", "labels", "kind", "view"}, drawn from `seed`."""
    info = DATASETS.get(name)
    if info is None:
        raise ApiError(404, "not_found", f"no dataset {name!r}; GET /api/datasets lists "
                       "them", "name")
    given = {"n_samples": n_samples, "noise": noise, "classes": classes}
    params = {k: v for k, v in given.items() if v is not None}
    try:
        params = resolve_params(name, params, "params")
    except SpecError as exc:
        raise spec_error(exc) from None
    if params.get("n_samples", 0) > settings.max_samples:
        raise ApiError(422, "limit_exceeded", f"n_samples {params['n_samples']} is above "
                       f"this server's limit of {settings.max_samples} (--max-samples)",
                       "n_samples")
    X, y = info.generate(np.random.default_rng(seed), params)
    return JSONResponse({"name": name, "kind": info.kind, "params": params,
                         "view": list(info.view) if info.view else None,
                         "points": array_to_json(X)[0], "labels": array_to_json(y)[0]})
