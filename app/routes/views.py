"""The views of a session: which fit it, and each one by name, with its parameters in
the query (GET) or a JSON body (POST, for a posted image). Arrays of two or more
dimensions travel as {"dtype", "shape", "data"} envelopes (little-endian base64)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse

from engine import views as engine_views

from .. import snapshots
from ..deps import SessionDep
from ..encode import view_to_json
from ..errors import BODY, SESSION, ApiError, error_responses

router = APIRouter(
    prefix="/sessions/{session_id}", tags=["views"], responses=error_responses(SESSION)
)
VIEW = {404: "no view by this name"}
ViewName = Annotated[
    str, Path(description="a name from GET .../views", examples=list(engine_views.VIEWS))
]


@router.get("/views", response_model=list[dict[str, Any]])
def list_views(entry: SessionDep) -> list[dict]:
    """The views that fit this session, with their parameters."""
    with entry.lock:
        return [view.describe() for view in engine_views.available(entry.session)]


def compute_view(entry, name: str, params: dict) -> dict:
    """A view as JSON; 422 naming the parameter on bad input. The lock is held only to
    copy the weights into a twin, unless the view needs the session itself."""
    if name not in engine_views.VIEWS:
        raise ApiError(
            404,
            "view_not_found",
            f"no view {name!r}; the views are {', '.join(engine_views.VIEWS)}",
            "name",
        )
    results, errors = {}, {}
    with entry.lock:
        step = entry.session.step_count
        rest, twin = snapshots.views_under_lock(entry.session, {name: params}, results, errors)
    snapshots.views_on_twin(twin, rest, results, errors)
    if name in errors:
        raise ApiError(422, "invalid_view", errors[name]["message"], errors[name]["path"])
    return {"name": name, "step": step, **view_to_json(results[name])}


def _query_value(text: str):
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


@router.get("/views/{name}", responses=error_responses(SESSION, VIEW))
def read_view(entry: SessionDep, name: ViewName, request: Request) -> dict:
    """One view, its parameters in the query (for example `?sample=3&split=test`)."""
    params = {k: _query_value(x) for k, x in request.query_params.items() if k != "token"}
    return JSONResponse(compute_view(entry, name, params))


@router.post("/views/{name}", responses=error_responses(SESSION, VIEW, BODY))
def post_view(
    entry: SessionDep,
    name: ViewName,
    params: Annotated[
        dict[str, Any], Body(description='the view\'s parameters, for example {"image": [[...]]}')
    ],
) -> dict:
    """One view, its parameters in the body (a drawn image for feature_maps)."""
    return JSONResponse(compute_view(entry, name, params))
