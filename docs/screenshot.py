"""Make docs/screenshot.png (the README's picture of the page in use) and, with
--all, screenshots of the page's states at 1280×800 and 1920×1080 in docs/states/.

    python docs/screenshot.py [--all] [--url http://127.0.0.1:8000]

Without --url it starts its own `playground` server on a free port with a temporary
data folder. Needs Python Playwright and Debian's Chromium (/usr/bin/chromium).
"""

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SPIRAL = (
    "#preset=spiral&dataset=spiral&problem=classification&noise=0&ratio=50&batch=10"
    "&seed=1&features=x1,x2,x1%5E2,x2%5E2,x1*x2,sin(x1),sin(x2)&hidden=8,8"
    "&activation=tanh&lr=0.01&optimizer=adam&reg=none&regRate=0&showTest=0&discretize=0"
)


@contextmanager
def browser_on(url: str | None):
    """(Chromium, base URL): the server at `url`, or one started here on a free port
    with a temporary data folder, stopped afterwards."""
    proc = None
    base = url
    if not base:
        base, proc = start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            try:
                yield browser, base
            finally:
                browser.close()
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)


def start_server() -> tuple[str, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tempfile.mkdtemp(prefix="playground-shots-")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--port", str(port), "--data-dir", data], cwd=DOCS.parent
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/health", timeout=1)
            return base, proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def ready(page) -> None:
    page.wait_for_function("document.body.dataset.session")
    page.wait_for_timeout(1200)


def shoot(
    browser,
    base: str,
    out: Path,
    size: tuple[int, int],
    hash_: str = "",
    play_seconds: float = 0,
    hover: str | None = None,
    preset: str | None = None,
) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(base + "/" + hash_)
    ready(page)
    if preset:
        page.get_by_test_id("preset-select").select_option(preset)
        page.wait_for_timeout(1500)
    if play_seconds:
        page.get_by_test_id("play").click()
        page.wait_for_timeout(play_seconds * 1000)
        page.get_by_test_id("play").click()
        page.wait_for_timeout(600)
    if hover:
        page.hover(hover)
        page.wait_for_timeout(600)
    page.screenshot(path=str(out), full_page=True)
    page.close()
    print("saved", out)


def shoot_images(browser, base: str, out: Path) -> None:
    """The digits CNN after a few seconds of training, with a drawn stroke classified and
    the receptive field of a pixel of the second convolution's maps open."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/#preset=digits-cnn")
    ready(page)
    page.get_by_test_id("play").click()
    page.wait_for_timeout(5000)
    page.get_by_test_id("play").click()
    page.wait_for_function("document.body.dataset.status === 'paused'")
    box = page.get_by_test_id("draw-canvas").bounding_box()
    x, y, w = box["x"], box["y"], box["width"]
    page.mouse.move(x + 0.3 * w, y + 0.25 * w)
    page.mouse.down()
    for fx, fy in ((0.5, 0.12), (0.7, 0.3), (0.5, 0.6), (0.28, 0.85), (0.75, 0.85)):
        page.mouse.move(x + fx * w, y + fy * w, steps=6)
    page.mouse.up()
    page.wait_for_timeout(800)
    maps = page.locator(
        "[data-testid=layer-card][data-index='2'] [data-testid=feature-maps] canvas"
    )
    maps.first.click(position={"x": 20, "y": 12})  # the first map, a pixel inside it
    page.wait_for_timeout(800)
    page.screenshot(path=str(out))
    page.close()
    print("saved", out)


def shoot_text(browser, base: str, out: Path) -> None:
    """The char-LSTM on Python source after 20 seconds of training: its writing, the
    next character's bars, the hidden states and gates, the gradient through time."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(base + "/#preset=char-lstm")
    ready(page)
    page.get_by_test_id("play").click()
    page.wait_for_timeout(20000)
    page.get_by_test_id("play").click()
    page.wait_for_function("document.body.dataset.status === 'paused'")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(out))
    page.close()
    print("saved", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--all", action="store_true", help="also every state, both sizes")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        shoot(
            browser,
            base,
            DOCS / "screenshot.png",
            (1440, 900),
            SPIRAL,
            play_seconds=4,
            hover="#boundary .heatmap",
        )
        shoot_images(browser, base, DOCS / "screenshot-images.png")
        shoot_text(browser, base, DOCS / "screenshot-text.png")
        if args.all:
            states = DOCS / "states"
            states.mkdir(exist_ok=True)
            for w, h in ((1280, 800), (1920, 1080)):
                shoot(browser, base, states / f"default-{w}.png", (w, h))
                shoot(
                    browser,
                    base,
                    states / f"spiral-trained-{w}.png",
                    (w, h),
                    SPIRAL,
                    play_seconds=3,
                    hover="[data-node='h:0:0']",
                )
                shoot(
                    browser,
                    base,
                    states / f"course-xor-{w}.png",
                    (w, h),
                    preset="course-xor",
                    play_seconds=3,
                )
                shoot(
                    browser,
                    base,
                    states / f"course-exercise-{w}.png",
                    (w, h),
                    preset="course-exercise",
                    play_seconds=2,
                )


if __name__ == "__main__":
    main()
