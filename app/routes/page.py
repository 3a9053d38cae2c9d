"""The browser page: templates/index.html at "/" and the ES modules and CSS under /static.

The page is one Jinja2 template; everything else it needs is a static file (no build
step, no CDN), so the playground works offline. `static_files()` is mounted by
app.main at /static.
"""

import sysconfig
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from .. import __version__


def _page_root() -> Path:
    """The folder holding templates/ and static/: the source tree (a checkout or an
    editable install), else where a regular install put them (pyproject's data-files)."""
    source = Path(__file__).resolve().parents[2]
    if (source / "templates").is_dir():
        return source
    return Path(sysconfig.get_path("data")) / "share" / "nn-playground"


ROOT = _page_root()
TEMPLATES = Jinja2Templates(directory=ROOT / "templates")
# every module the page imports, announced up front: the browser fetches them all at
# once instead of discovering them one import level at a time
MODULES = sorted(
    p.relative_to(ROOT / "static" / "js").as_posix() for p in (ROOT / "static" / "js").rglob("*.js")
)

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The playground page; the version busts browser caches of the static files."""
    return TEMPLATES.TemplateResponse(
        request, "index.html", {"version": __version__, "modules": MODULES}
    )


class RevalidatedStaticFiles(StaticFiles):
    """Static files a browser must revalidate (a cheap 304 by ETag) before each use: the
    modules main.js imports carry no version in their URL, and a heuristically cached
    old module beside a new main.js would break the page after an upgrade."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_cache_control(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"cache-control", b"no-cache")]
            await send(message)

        await super().__call__(scope, receive, send_with_cache_control)


def static_files() -> StaticFiles:
    return RevalidatedStaticFiles(directory=ROOT / "static")
