"""Time to accuracy on images: `python -m benchmarks.accuracy`.

Trains the digits CNN preset epoch by epoch for at most 60 s of training time and
prints when its test accuracy first reaches 98 % (the target), then does the same for
the pixel MLP preset beside it, for comparison. Then, where the two differ, `shapes`:
its CNN preset and a pixel MLP, each trained for the same time (`--shapes-seconds`). Wall-clock training time only: the test
evaluation at each epoch's end is part of an epoch, as on the page.
"""

import argparse
import copy
import time

from engine import Session
from engine.presets import get_preset

TARGET = 0.98
BUDGET = 60.0


def time_to_accuracy(name: str, budget: float, target: float) -> dict:
    s = Session.from_spec(get_preset(name)["spec"])
    spent, reached, best, epochs = 0.0, None, 0.0, 0
    while spent < budget:
        t0 = time.perf_counter()
        m = s.step(epochs=1)
        spent += time.perf_counter() - t0
        epochs += 1
        accuracy = m["test_accuracy"] or 0.0
        best = max(best, accuracy)
        if reached is None and accuracy >= target:
            reached = (spent, epochs)
            if name.endswith("cnn"):
                break
    return {
        "name": name,
        "reached": reached,
        "best": best,
        "epochs": epochs,
        "spent": spent,
        "params": s.n_params,
    }


def accuracy_after(spec: dict, seconds: float) -> tuple[int, int, float, float]:
    """(parameters, epochs, last and best test accuracy) after `seconds` of training."""
    s = Session.from_spec(spec)
    spent, best, m = 0.0, 0.0, {}
    while spent < seconds:
        t0 = time.perf_counter()
        m = s.step(epochs=1)
        spent += time.perf_counter() - t0
        best = max(best, m["test_accuracy"] or 0.0)
    return s.n_params, s.epoch, m["test_accuracy"] or 0.0, best


def shapes_specs() -> dict:
    cnn = get_preset("shapes-cnn")["spec"]
    mlp = copy.deepcopy(cnn)
    mlp["model"] = {
        "layers": [
            {"type": "flatten"},
            {"type": "dense", "units": 64, "activation": "relu"},
            {"type": "dense", "units": 4, "activation": "softmax"},
        ]
    }
    return {"shapes-cnn": cnn, "shapes pixel MLP": mlp}


def report(r: dict, target: float) -> str:
    if r["reached"]:
        seconds, epochs = r["reached"]
        return (
            f"{r['name']:12s} {r['params']:6d} params: {target:.0%} test accuracy after "
            f"{seconds:5.1f} s ({epochs} epochs); best {r['best']:.2%}"
        )
    return (
        f"{r['name']:12s} {r['params']:6d} params: below {target:.0%} after "
        f"{r['spent']:.1f} s ({r['epochs']} epochs); best {r['best']:.2%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=BUDGET)
    parser.add_argument("--shapes-seconds", type=float, default=15.0)
    args = parser.parse_args()
    cnn = time_to_accuracy("digits-cnn", args.budget, TARGET)
    print(
        report(cnn, TARGET),
        f"  [target: within {args.budget:.0f} s]",
        "MET" if cnn["reached"] and cnn["reached"][0] <= args.budget else "MISSED",
    )
    mlp = time_to_accuracy("digits-mlp", min(args.budget, 20.0), TARGET)
    print(report(mlp, TARGET), "  [baseline, 20 s at most]")
    for name, spec in shapes_specs().items():
        params, epochs, last, best = accuracy_after(spec, args.shapes_seconds)
        print(
            f"{name:16s} {params:6d} params: {last:.1%} test accuracy after "
            f"{args.shapes_seconds:.0f} s ({epochs} epochs; best {best:.1%})"
        )


if __name__ == "__main__":
    main()
