"""What the workspace benchmarks share: open a preset, play, and count what the page
drew over some seconds of training, from the counters it keeps on `window`."""

import time


def open_preset(browser, base: str, preset: str, ready: str):
    """A 1440×900 page on `preset`, once the JavaScript condition `ready` holds."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(base + f"/#preset={preset}")
    page.wait_for_function(f"document.body.dataset.session && ({ready})")
    return page


def rates_while_playing(page, counters: list[str], seconds: float) -> tuple[list[float], float]:
    """Press play, let the start-up pass, and return how fast each JavaScript counter in
    `counters` rose a second over `seconds` of training, with the server's steps a
    second meanwhile. The page is left playing."""
    page.get_by_test_id("play").click()
    page.wait_for_function("document.body.dataset.status === 'running'")
    page.wait_for_timeout(1000)  # past the start-up
    read = f"[performance.now(), Number(document.body.dataset.step), {', '.join(counters)}]"
    before = page.evaluate(read)
    time.sleep(seconds)
    after = page.evaluate(read)
    elapsed = (after[0] - before[0]) / 1000
    rates = [(b - a) / elapsed for a, b in zip(before[1:], after[1:], strict=True)]
    return rates[1:], rates[0]
