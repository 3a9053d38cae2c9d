"""Dependencies as Annotated aliases: `SessionDep` pins the session for the duration of
the request (so it is not unloaded under it) and answers 404 by itself."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request

from .live import LiveSession
from .manager import SessionManager
from .settings import Settings


def get_manager(request: Request) -> SessionManager:
    return request.app.state.manager


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ManagerDep = Annotated[SessionManager, Depends(get_manager)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(manager: ManagerDep,
                session_id: Annotated[str, Path(description="the session's id")]
                ) -> Iterator[LiveSession]:
    with manager.pinned(session_id) as entry:
        yield entry


SessionDep = Annotated[LiveSession, Depends(get_session)]
