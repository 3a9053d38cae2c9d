"""Helpers for the browser tests: REST calls outside the browser, and waits on the page.

The tests wait on state, never on time: on what the page shows (Playwright's `expect`
and `wait_for_function` retry until it holds), on the data- attributes the page sets
for them (body's data-session, data-status, data-step and data-started; a workspace's
data-frame-step: the step of the snapshot it drew), or on the server's answers. A busy
machine makes them slower, not wrong.
"""

import json
import time
import urllib.error
import urllib.request


def api(server: str, path: str, method: str = "GET", body=None):
    """A JSON request to the server, outside the browser."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        server + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def open_playground(page, server: str, hash_: str = "") -> str:
    """Load the page and wait for its session and first boundary; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function(
        "document.body.dataset.session && document.querySelector("
        "'#boundary .heatmap-grid').style.visibility === 'visible'"
    )
    return page.evaluate("document.body.dataset.session")


def counter(epoch: int) -> str:
    """The epoch counter's text: six digits or more, with a thousands separator (000,042)."""
    digits, groups = str(epoch).zfill(6), []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ",".join(groups)


def epoch(page) -> int:
    return int(
        "".join(ch for ch in page.get_by_test_id("epoch-counter").inner_text() if ch.isdigit())
    )


def wait_epoch(page, at_least: int) -> int:
    """Wait for the counter to reach `at_least`; the epoch it shows."""
    page.wait_for_function(
        "(n) => Number(document.querySelector('[data-testid=epoch-counter]')"
        ".textContent.replace(/,/g, '')) >= n",
        arg=at_least,
    )
    return epoch(page)


def wait_status(page, status: str, timeout: float | None = None) -> None:
    page.wait_for_function(
        "(s) => document.body.dataset.status === s",
        arg=status,
        **({} if timeout is None else {"timeout": timeout}),
    )


def new_session(page, old: str) -> str:
    """Wait for the page to replace session `old` by a new one; its id."""
    page.wait_for_function(
        "(old) => document.body.dataset.session && document.body.dataset.session !== old", arg=old
    )
    return page.evaluate("document.body.dataset.session")


def spec_when(page, server: str, check, timeout: float = 30.0) -> dict:
    """Poll the page's current session until its spec satisfies `check`; that spec."""
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
        page.wait_for_timeout(100)  # a poll of the server, not a wait for time to pass


def record_commands(page) -> None:
    """From now on the commands the page sends on its websocket (play, pause, step, reset,
    set: not its requests for snapshots) are kept, to read with `commands`: what a click
    did not send can then be checked at once, without waiting to see nothing happen."""
    page.evaluate("""() => {
        if (window.__sent) return;
        window.__sent = [];
        const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (data) {
            const type = JSON.parse(data).type;
            if (type !== "snapshot") window.__sent.push(type);
            return send.call(this, data);
        };
    }""")


def commands(page) -> list[str]:
    return page.evaluate("window.__sent.slice()")


NUMBERS_MATCH = """([selector, expected, tol, caption, prefix]) => {
    if (caption && !(document.querySelector(caption)?.textContent ?? '').startsWith(prefix)) return false;
    const shown = [...document.querySelectorAll(selector)].map((e) => Number(e.textContent));
    return shown.length === expected.length && shown.every((v, i) => Math.abs(v - expected[i]) <= tol);
}"""


def wait_numbers(
    page, selector: str, expected: list[float], tol: float, caption: str = "", prefix: str = ""
) -> None:
    """Wait until the numbers in the elements `selector` matches are `expected` (within
    `tol`), and, if given, the text of `caption` starts with `prefix`; an AssertionError
    naming what is shown if they never do."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.wait_for_function(NUMBERS_MATCH, arg=[selector, expected, tol, caption, prefix])
    except PlaywrightError as e:
        shown = page.locator(selector).all_inner_texts()
        said = page.locator(caption).inner_text() if caption else ""
        raise AssertionError(
            f"expected {expected} ± {tol} {prefix!r}, shown {shown} {said!r}"
        ) from e
