"""Assembles the application: settings, the session manager, middleware, routers.

`app` (the module attribute) is configured from PLAYGROUND_* environment variables,
so `uvicorn app.main:app` works; the `playground` command builds its own with
`create_app(settings)`.
"""

import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware

from . import __version__, actions, docs, errors
from .manager import SessionManager
from .routes import (
    archive,
    catalog,
    datasets,
    health,
    inspect,
    page,
    presets,
    sessions,
    stream,
    views,
)
from .security import Guard
from .settings import Settings

# Small networks train in Python with the GIL held; a 1 ms switch interval (default
# 5 ms) lets the event loop take the GIL back from the trainer thread sooner.
SWITCH_INTERVAL = 0.001


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    manager = SessionManager(settings, on_slice=actions.on_slice)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        previous = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        manager.start()
        try:
            yield
        finally:
            manager.shutdown()
            sys.setswitchinterval(previous)

    app = docs.create_api(
        title="Neural network playground",
        version=__version__,
        lifespan=lifespan,
        description="Train small neural networks one mini-batch at a time and watch them "
        'learn. Every error has the body `{"error": {"code", "message", "path"?}}`.',
    )
    app.state.settings = settings
    app.state.manager = manager
    errors.install(app)
    for module in (health, catalog, datasets, presets, sessions, archive, inspect, views, stream):
        # every route may get the guard's answers (app.security); routes add their own
        app.include_router(module.router, prefix="/api", responses=errors.error_responses())
    app.include_router(page.router)
    app.mount("/static", page.static_files(), name="static")
    # innermost first: body limit (counts streamed bodies), CORS if configured, guard
    app.add_middleware(
        RequestBodyLimitMiddleware,
        max_body_size=max(settings.max_body_bytes, settings.max_upload_bytes),
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(Guard, settings=settings)
    return app


app = create_app()
