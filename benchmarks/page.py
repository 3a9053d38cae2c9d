"""The page's speed in a real browser: `python -m benchmarks.page [--seconds 10]`.

Starts a `playground` server on a free port (temporary data folder), opens the page
in headless Chromium (Debian's, /usr/bin/chromium) at 1440×900 with a 2-8-8-1 tanh
spiral (features x1, x2; batch 10; SGD), plays for `--seconds` and prints:

- epochs a second of progress the page shows (its epoch counter; target >= 300);
- redraws a second of the boundary plane and of the neuron heatmaps (target >= 20),
  from the counters the page keeps on `window.__playgroundStats`;
- the loss chart's draw time early and late in the run, and how many points it holds
  (bounded, so the time should stay flat as the run grows).
"""

import argparse
import statistics
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from docs.screenshot import browser_on

SPIRAL_2881 = (
    "#dataset=spiral&problem=classification&noise=0&ratio=50&batch=10&seed=1"
    "&features=x1,x2&hidden=8,8&activation=tanh&lr=0.03&optimizer=sgd"
)


def read(page) -> dict:
    return page.evaluate("""() => {
        const s = window.__playgroundStats;
        const text = document.querySelector('[data-testid=epoch-counter]').textContent;
        return {epoch: Number(text.replace(/[^0-9]/g, '')), outputFrames: s.outputFrames,
                neuronFrames: s.neuronFrames, boundary: s.boundaryDraws,
                network: s.networkDraws, chart: s.chartDraws, chartMs: s.chartMs.slice(),
                chartPoints: s.chartPoints, t: performance.now()};
    }""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--url", help="a running server (default: start one)")
    args = parser.parse_args()
    with browser_on(args.url) as (browser, base):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(base + "/" + SPIRAL_2881)
        page.wait_for_function(
            "document.body.dataset.session && document.querySelector("
            "'#boundary .heatmap-grid').style.visibility === 'visible'"
        )
        page.wait_for_timeout(500)
        page.get_by_test_id("play").click()
        page.wait_for_function("document.body.dataset.status === 'running'")
        page.wait_for_timeout(1000)  # past the start-up
        first = read(page)
        marks = [first]
        step = args.seconds / 5
        for _ in range(5):
            time.sleep(step)
            marks.append(read(page))
        last = marks[-1]
        page.get_by_test_id("play").click()
    seconds = (last["t"] - first["t"]) / 1000
    epochs = (last["epoch"] - first["epoch"]) / seconds
    boundary = (last["outputFrames"] - first["outputFrames"]) / seconds
    network = (last["neuronFrames"] - first["neuronFrames"]) / seconds
    draws = (last["boundary"] - first["boundary"]) / seconds
    chart = (last["chart"] - first["chart"]) / seconds
    ms = last["chartMs"]
    quarter = max(1, len(ms) // 4)
    early, late = statistics.median(ms[:quarter]), statistics.median(ms[-quarter:])
    print(
        f"2-8-8-1 tanh spiral, batch 10, SGD; played {seconds:.1f} s "
        f"(epoch {first['epoch']:,} to {last['epoch']:,})"
    )
    print(f"epochs per second shown:         {epochs:8.0f}   (target >= 300)")
    print(
        f"new boundary grids a second:     {boundary:8.1f}   (target >= 20; "
        f"{draws:.1f} redraws of the plane)"
    )
    print(f"new neuron heatmaps a second:    {network:8.1f}   (target >= 20)")
    print(f"loss chart redraws per second:   {chart:8.1f}")
    print(
        f"loss chart draw time, median:    {early:8.3f} ms early, {late:.3f} ms late "
        f"({last['chartPoints']} points held, at most 1024)"
    )
    per_mark = [(b["epoch"], b["chartPoints"]) for b in marks]
    print("epoch, chart points at each mark:", per_mark)


if __name__ == "__main__":
    main()
