"""Real-browser tests: the `playground` server in a subprocess, driven by Python
Playwright through Debian's Chromium (/usr/bin/chromium, headless).

Without Playwright or Chromium these tests skip and say how to get them; under CI
(CI=true) a missing browser fails the run instead.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WAIT_MS = 30_000
"""How long a wait for the page to reach a state may take before the test fails."""
INSTALL_HINT = (
    "install them with `pip install playwright` and `apt-get install -y chromium` "
    "(Debian's Chromium at /usr/bin/chromium; never `playwright install`)"
)


def _missing(what: str):
    message = f"browser tests need {what}: {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a real `playground` server on a free port with its own data folder."""
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("playground-data")
    command = [sys.executable, "-m", "app.cli", "--port", str(port), "--data-dir", str(data_dir)]
    if shutil.which("playground"):
        command = ["playground", "--port", str(port), "--data-dir", str(data_dir)]
    with open(data_dir / "server.log", "w") as log:
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2]
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:  # a poll of the server until it answers
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(
                        f"the server did not start: {(data_dir / 'server.log').read_text()}"
                    )
                time.sleep(0.2)
        yield base
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Python Playwright")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageProblems(list):
    """Console errors and uncaught exceptions the page produced."""


@pytest.fixture
def problems():
    return PageProblems()


@pytest.fixture
def page(browser, server, problems):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # the tests wait on state, and a busy machine may take a while to get there
    from playwright.sync_api import expect

    pg.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    yield pg
    context.close()
