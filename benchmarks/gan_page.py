"""The GAN workspace's speed in a real browser: `python -m benchmarks.gan_page`.

Starts a `playground` server on a free port (temporary data folder), opens GAN Lab's
default preset (or `--preset`) in headless Chromium (Debian's) at 1440×900, plays for
`--seconds` and prints, from the counters the page keeps on `window.__ganStats`, how
many times a second the page redrew GAN Lab's picture of the plane (the discriminator's
heatmap, the real and generated samples, the manifold and the gradients, each from a
new snapshot of the training session) while it trained (target >= 20), and the rounds
a second the server trained meanwhile.
"""

import argparse
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from benchmarks.page_rates import open_preset, rates_while_playing
from docs.screenshot import browser_on


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--preset", default="gan-lab")
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = open_preset(
            browser,
            base,
            args.preset,
            "document.body.dataset.workspace === 'gan' && window.__ganStats.planeFrames > 0",
        )
        (frames,), steps = rates_while_playing(
            page, ["window.__ganStats.planeFrames"], args.seconds
        )
        epoch = page.get_by_test_id("epoch-counter").inner_text()
        page.get_by_test_id("play").click()
    print(f"{args.preset} preset, playing ({args.seconds:.0f} s, epoch {epoch.strip()} at the end)")
    print(f"plane frames drawn a second:   {frames:6.1f}   (target >= 20)")
    print(f"rounds trained a second:       {steps:6.0f}   (on the server, meanwhile)")


if __name__ == "__main__":
    main()
