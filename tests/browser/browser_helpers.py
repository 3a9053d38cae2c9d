"""Helpers for the browser tests: REST calls outside the browser, and waits on the page."""

import json
import urllib.error
import urllib.request


def api(server: str, path: str, method: str = "GET", body=None):
    """A JSON request to the server, outside the browser."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def open_playground(page, server: str, hash_: str = "") -> str:
    """Load the page and wait for its session and first boundary; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function("document.body.dataset.session && document.querySelector("
                           "'#boundary .heatmap-grid').style.visibility === 'visible'")
    return page.evaluate("document.body.dataset.session")


def epoch(page) -> int:
    return int("".join(ch for ch in page.get_by_test_id("epoch-counter").inner_text()
                       if ch.isdigit()))


def new_session(page, old: str) -> str:
    """Wait for the page to replace session `old` by a new one; its id."""
    page.wait_for_function("(old) => document.body.dataset.session && "
                           "document.body.dataset.session !== old", arg=old)
    return page.evaluate("document.body.dataset.session")


def spec_when(page, server: str, check, timeout: float = 10.0) -> dict:
    """Poll the page's current session until its spec satisfies `check`; that spec."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        sid = page.evaluate("document.body.dataset.session")
        try:
            spec = api(server, f"/api/sessions/{sid}")["spec"] if sid else None
        except urllib.error.HTTPError:  # replaced (and deleted) meanwhile
            spec = None
        if spec is not None and check(spec):
            return spec
        if time.monotonic() > deadline:
            raise AssertionError(f"the session's spec never matched; last: {spec}")
        page.wait_for_timeout(100)
