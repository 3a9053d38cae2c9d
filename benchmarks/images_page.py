"""The images workspace's speed in a real browser: `python -m benchmarks.images_page`.

Starts a `playground` server on a free port (temporary data folder), opens the digits
CNN preset (or `--preset`) in headless Chromium (Debian's) at 1440×900, plays for `--seconds` and
prints, from the counters the page keeps on `window.__imagesStats`:

- how many new feature maps a second the page drew while training (target >= 10);
- how long a drawn digit took to be classified, from the stroke's end to the answer
  (the POST of the drawing, the forward pass, the reply), over `--strokes` strokes drawn
  while training (target < 50 ms).
"""

import argparse
import statistics
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from benchmarks.page_rates import open_preset, rates_while_playing
from docs.screenshot import browser_on


def stroke(page, k: int) -> None:
    box = page.get_by_test_id("draw-canvas").bounding_box()
    x, y, w = box["x"], box["y"], box["width"]
    page.mouse.move(x + (0.3 + 0.05 * (k % 5)) * w, y + 0.15 * w)
    page.mouse.down()
    page.mouse.move(x + 0.5 * w, y + 0.85 * w, steps=6)
    page.mouse.up()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--strokes", type=int, default=10)
    parser.add_argument("--preset", default="digits-cnn")
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = open_preset(browser, base, args.preset, "window.__imagesStats")
        (rate,), _ = rates_while_playing(page, ["window.__imagesStats.featureFrames"], args.seconds)
        for k in range(args.strokes):
            done = page.evaluate("window.__imagesStats.drawMs.length")
            stroke(page, k)
            page.wait_for_function(f"window.__imagesStats.drawMs.length > {done}")
        draws = page.evaluate("window.__imagesStats.drawMs.slice()")[-args.strokes :]
        epoch = page.get_by_test_id("epoch-counter").inner_text()
        page.get_by_test_id("play").click()
    print(f"{args.preset} preset, playing ({args.seconds:.0f} s, epoch {epoch.strip()} at the end)")
    print(f"feature maps drawn a second:   {rate:6.1f}   (target >= 10)")
    print(
        f"drawn digit classified in:     {statistics.median(draws):6.1f} ms median, "
        f"{max(draws):.1f} ms at most over {len(draws)} strokes while training "
        f"(target < 50 ms)"
    )


if __name__ == "__main__":
    main()
