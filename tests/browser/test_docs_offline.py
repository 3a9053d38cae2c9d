"""/docs (Swagger UI) and /redoc render with the network cut off: every request that is
not to the server itself is aborted. Swagger UI tries none (no CDN, no online
validator); ReDoc tries one only, the "API docs by Redocly" logo of its sidebar's
footer, which its bundle always loads from Redocly's site and hides when it fails."""

import re
from urllib.parse import urlsplit

import pytest

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def offline_page(browser, server):
    """A page that reaches only the server; `page.elsewhere` lists what it tried beyond."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    own = urlsplit(server).netloc
    elsewhere: list[str] = []

    def only_the_server(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.elsewhere = elsewhere
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


def test_swagger_ui_lists_the_operations_offline(offline_page, server):
    page = offline_page
    page.goto(f"{server}/docs")
    create = page.locator(".opblock.opblock-post").filter(
        has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/sessions$"))
    )
    create.first.wait_for()
    assert page.locator(".opblock").count() >= 25  # every operation, not just one
    create.first.locator(".opblock-summary").click()  # its answers, the error body's among them
    page.locator(".opblock-body .responses-table").first.wait_for()
    assert page.locator(".opblock-body .response-col_status", has_text="422").count() >= 1
    assert page.elsewhere == [] and page.errors == []


def test_redoc_renders_offline(offline_page, server):
    page = offline_page
    page.goto(f"{server}/redoc")
    page.get_by_role("heading", name="Create Session").first.wait_for()
    assert page.get_by_role("heading", name="Step Session").count() >= 1
    page.get_by_text("no session with this id").first.wait_for()  # the documented errors
    assert set(page.elsewhere) <= {REDOC_LOGO} and page.errors == []
