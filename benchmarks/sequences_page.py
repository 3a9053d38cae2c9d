"""The text workspace's speed in a real browser: `python -m benchmarks.sequences_page`.

Starts a `playground` server on a free port (temporary data folder), opens the char-lstm
preset (or `--preset`) in headless Chromium (Debian's) at 1440×900, plays for `--seconds`
and prints, from the counters the page keeps on `window.__textStats`, how many times a
second it drew new sampled text and new hidden-state heatmaps while training (target
>= 10 each), with the training speed the server reported meanwhile.
"""

import argparse
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from docs.screenshot import browser_on

COUNTERS = "[performance.now(), window.__textStats.sampleFrames, window.__textStats.heatmapFrames]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--preset", default="char-lstm")
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + f"/#preset={args.preset}")
        page.wait_for_function(
            "document.body.dataset.session && window.__textStats"
            " && document.querySelector('[data-testid=sampled-body] .ch')"
        )
        page.get_by_test_id("play").click()
        page.wait_for_function("document.body.dataset.status === 'running'")
        page.wait_for_timeout(1000)  # past the start-up
        t0, s0, h0 = page.evaluate(COUNTERS)
        step0 = int(page.evaluate("document.body.dataset.step"))
        time.sleep(args.seconds)
        t1, s1, h1 = page.evaluate(COUNTERS)
        step1 = int(page.evaluate("document.body.dataset.step"))
        rate = page.locator("#rate").inner_text()
        page.get_by_test_id("play").click()
    seconds = (t1 - t0) / 1000
    print(
        f"{args.preset} preset, playing {seconds:.1f} s: steps {step0:,} to {step1:,} ({rate.strip()})"
    )
    print(f"sampled text drawn a second:   {(s1 - s0) / seconds:6.1f}   (target >= 10)")
    print(f"hidden states drawn a second:  {(h1 - h0) / seconds:6.1f}   (target >= 10)")


if __name__ == "__main__":
    main()
