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
import time

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from docs.screenshot import browser_on


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--preset", default="gan-lab")
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + f"/#preset={args.preset}")
        page.wait_for_function(
            "document.body.dataset.session && document.body.dataset.workspace === 'gan'"
            " && window.__ganStats.planeFrames > 0"
        )
        page.get_by_test_id("play").click()
        page.wait_for_function("document.body.dataset.status === 'running'")
        page.wait_for_timeout(1000)  # past the start-up
        read = (
            "[performance.now(), window.__ganStats.planeFrames, Number(document.body.dataset.step)]"
        )
        t0, f0, s0 = page.evaluate(read)
        time.sleep(args.seconds)
        t1, f1, s1 = page.evaluate(read)
        epoch = page.get_by_test_id("epoch-counter").inner_text()
        page.get_by_test_id("play").click()
    seconds = (t1 - t0) / 1000
    print(f"{args.preset} preset, playing ({args.seconds:.0f} s, epoch {epoch.strip()} at the end)")
    print(f"plane frames drawn a second:   {(f1 - f0) / seconds:6.1f}   (target >= 20)")
    print(f"rounds trained a second:       {(s1 - s0) / seconds:6.0f}   (on the server, meanwhile)")


if __name__ == "__main__":
    main()
