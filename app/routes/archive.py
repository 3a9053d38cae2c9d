"""Export a session as a portable archive; import one as a new session."""

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from .. import archive
from ..deps import ManagerDep, SessionDep, SettingsDep
from ..errors import SESSION, UPLOAD, ApiError, error_responses
from ..schemas.sessions import SessionPublic

router = APIRouter(prefix="/sessions", tags=["archive"])


@router.get(
    "/{session_id}/export",
    responses={
        **error_responses(SESSION),
        200: {"content": {"application/zip": {}}, "description": "the archive"},
    },
)
def export_session(entry: SessionDep) -> Response:
    """A zip of spec.json, history.json, state.json and arrays.npz (no pickles)."""
    with entry.lock:
        blob = archive.export_archive(entry.session, entry.name)
    return Response(
        blob,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="session-{entry.id}.zip"'},
    )


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionPublic,
    responses=error_responses(UPLOAD),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def import_session(request: Request, manager: ManagerDep, settings: SettingsDep) -> dict:
    """Create a session from an exported archive (the raw zip as the body); it resumes
    training exactly where the exported one was."""
    blob = await request.body()
    if len(blob) > settings.max_upload_bytes:
        raise ApiError(
            413,
            "too_large",
            f"the archive is {len(blob):,} bytes; this server "
            f"accepts at most {settings.max_upload_bytes:,}",
        )
    if not blob:
        raise ApiError(422, "invalid_archive", "the body is empty; send the zip file itself")
    session, name = await run_in_threadpool(archive.import_archive, blob, settings)
    entry = await run_in_threadpool(manager.adopt, session, name)
    return entry.summary
