"""The text workspace's speed in a real browser: `python -m benchmarks.sequences_page`.

Starts a `playground` server on a free port (temporary data folder), opens the char-lstm
preset (or `--preset`) in headless Chromium (Debian's) at 1440×900, plays for `--seconds`
and prints, from the counters the page keeps on `window.__textStats`, how many times a
second it drew new sampled text and new hidden-state heatmaps while training (target
>= 10 each), with the training speed the server reported meanwhile.
"""

import argparse
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from benchmarks.page_rates import open_preset, rates_while_playing
from docs.screenshot import browser_on

COUNTERS = ["window.__textStats.sampleFrames", "window.__textStats.heatmapFrames"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--preset", default="char-lstm")
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = open_preset(
            browser,
            base,
            args.preset,
            "window.__textStats && document.querySelector('[data-testid=sampled-body] .ch')",
        )
        (texts, maps), steps = rates_while_playing(page, COUNTERS, args.seconds)
        page.get_by_test_id("play").click()
    print(f"{args.preset} preset, playing {args.seconds:.0f} s: {steps:.0f} steps a second")
    print(f"sampled text drawn a second:   {texts:6.1f}   (target >= 10)")
    print(f"hidden states drawn a second:  {maps:6.1f}   (target >= 10)")


if __name__ == "__main__":
    main()
