"""Dependencies as Annotated aliases: `SessionDep` pins the session for the duration of
the request (so it is not unloaded under it) and answers 404 by itself.

They are `async` so that FastAPI runs them on the event loop: a sync dependency costs a
round trip through the thread pool (two for a generator), which measured ~0.5 ms each
here, most of a one-step REST call. Only loading a session from disk, or unloading
others to make room, goes to a thread.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from .live import LiveSession
from .manager import SessionManager
from .settings import Settings


async def get_manager(request: Request) -> SessionManager:
    return request.app.state.manager


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ManagerDep = Annotated[SessionManager, Depends(get_manager)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(manager: ManagerDep,
                      session_id: Annotated[str, Path(description="the session's id")]
                      ) -> AsyncIterator[LiveSession]:
    entry = manager.pin_loaded(session_id)
    if entry is None:
        entry = await run_in_threadpool(manager.pin, session_id)
    try:
        yield entry
    finally:
        if manager.over_limit():
            await run_in_threadpool(manager.unpin, entry)
        else:
            manager.unpin(entry)


SessionDep = Annotated[LiveSession, Depends(get_session)]
