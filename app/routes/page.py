"""The browser page: templates/index.html at "/" and the ES modules and CSS under /static.

The page is one Jinja2 template; everything else it needs is a static file (no build
step, no CDN), so the playground works offline. `static_files()` is mounted by
app.main at /static.
"""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Jinja2Templates(directory=ROOT / "templates")

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The playground page; the version busts browser caches of the static files."""
    return TEMPLATES.TemplateResponse(request, "index.html", {"version": __version__})


def static_files() -> StaticFiles:
    return StaticFiles(directory=ROOT / "static")
