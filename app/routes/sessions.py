"""The session resource: create, list, read, change, delete, and the actions step and
reset (POST sub-resources, as Jupyter's REST API does).

Endpoints that touch the engine are plain `def`: FastAPI runs them in its worker
threads, so training and lock waits never block the event loop.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from engine import SpecError

from .. import actions
from ..deps import ManagerDep, Pinned, SessionDep, SessionId
from ..errors import BODY, INVALID, ORIGIN, PLAYING, SESSION, error_responses, spec_error
from ..schemas.sessions import SessionPatch, SessionPublic, StepRequest, StepResult
from ..schemas.spec import SessionCreate

router = APIRouter(prefix="/sessions", tags=["sessions"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionPublic,
    responses=error_responses(BODY),
)
def create_session(spec: SessionCreate, manager: ManagerDep) -> dict:
    """Build a session from a spec (the same JSON `engine.Session.from_spec` takes)."""
    entry = manager.create(spec.engine_spec())
    return entry.summary


@router.get("", response_model=list[SessionPublic], responses=error_responses(INVALID))
def list_sessions(
    manager: ManagerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    """Sessions in memory and on disk, most recently changed first."""
    return manager.summaries()[offset : offset + limit]


@router.get("/{session_id}", response_model=SessionPublic, responses=error_responses(SESSION))
async def read_session(entry: SessionDep) -> dict:
    return entry.summary


@router.delete(
    "/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ORIGIN, {404: SESSION[404]}),
)
def delete_session(session_id: str, manager: ManagerDep) -> Response:
    """Delete for good: stops it, closes its viewers' streams, removes it from disk."""
    manager.delete(session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch(
    "/{session_id}", response_model=SessionPublic, responses=error_responses(SESSION, BODY)
)
def patch_session(changes: SessionPatch, entry: SessionDep, manager: ManagerDep) -> dict:
    """Change hyperparameters live (learning rate and the optimizer's others,
    regularization, batch size, epochs, shuffle), keeping weights and optimizer state;
    allowed while the session plays."""
    try:
        actions.set_live(manager, entry, changes.engine_changes())
    except SpecError as exc:
        raise spec_error(exc) from None
    return entry.summary


@router.post(
    "/{session_id}/step",
    response_model=StepResult,
    responses=error_responses(SESSION, BODY, PLAYING),
)
async def step_session(
    session_id: SessionId,
    manager: ManagerDep,
    request: Annotated[StepRequest, Body()],
    evaluate: Annotated[
        bool, Query(description="compute losses and accuracies on all data now (a forward pass)")
    ] = False,
) -> dict:
    """Train `steps` mini-batches or `epochs` epochs and return the new metrics (by
    default those of the last finished epoch, as the history has them). A GAN's step
    is a round (d_steps discriminator steps, then g_steps generator steps), or with
    `part` "d" or "g" one step of that network alone."""
    # training runs in a worker thread, unless the session's own pace says it takes less
    # than the trip there and back and its lock is free this instant; the result is built
    # JSON-safe already (StepResult documents it in /docs)
    async with Pinned(manager, session_id) as entry:
        quick = not evaluate and actions.quick(entry, request.steps)
        if quick and entry.lock.try_enter(ready=entry.here):
            try:
                result = actions.train_locked(
                    manager, entry, request.steps, request.epochs, evaluate, request.part
                )
            finally:
                entry.lock.leave()
        else:
            result = await run_in_threadpool(
                actions.train,
                manager,
                entry,
                request.steps,
                request.epochs,
                evaluate,
                request.part,
            )
    return JSONResponse(result)


@router.post(
    "/{session_id}/reset", response_model=SessionPublic, responses=error_responses(SESSION, ORIGIN)
)
def reset_session(entry: SessionDep, manager: ManagerDep) -> dict:
    """Back to step 0: the same data and initial weights (same seed); pauses it."""
    actions.reset(manager, entry)
    return entry.summary
