"""Engine speed and memory figures: `python -m benchmarks` prints each one.

Each figure is a ratio or a time measured in this run on this machine, best of several
repeats (the least disturbed run), so figures from one run compare fairly.
"""

import argparse
import time

import numpy as np

from engine import Session

from . import naive


def best_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def best_times(fns, repeat: int = 7) -> list[float]:
    """Best-of-`repeat` for each function, run in turns so that a disturbance on the
    machine hits all of them alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def spiral_spec(dtype="float64"):
    return {
        "seed": 1,
        "dtype": dtype,
        "data": {
            "dataset": "spiral",
            "params": {"n_samples": 500, "noise": 0.0},
            "test_fraction": 0.5,
        },
        "model": {
            "layers": [
                {"units": 8, "activation": "tanh"},
                {"units": 8, "activation": "tanh"},
                {"units": 1, "activation": "sigmoid"},
            ]
        },
        "loss": "binary_crossentropy",
        "optimizer": {"type": "sgd", "lr": 0.03},
        "batch_size": 10,
    }


def spiral_epoch(epochs: int = 200) -> None:
    s = Session.from_spec(spiral_spec())
    X, y = s.data.X_train.copy(), s.data.y_train.copy()
    X_test, y_test = s.data.X_test.copy(), s.data.y_test.copy()
    net = naive.TanhMLP([2, 8, 8, 1], 0.03, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    engine, baseline = (
        t / epochs
        for t in best_times(
            [
                lambda: s.step(epochs=epochs),
                lambda: [net.train_epoch(X, y, 10, rng, X_test, y_test) for _ in range(epochs)],
            ]
        )
    )
    print(
        f"2-8-8-1 tanh, {len(X)} spiral points, batch 10, SGD, each epoch's batch losses "
        f"and test loss and accuracy kept: "
        f"engine {engine * 1e3:.3f} ms/epoch, naive loop {baseline * 1e3:.3f} ms/epoch, "
        f"ratio {engine / baseline:.2f} (target <= 0.60; TF Playground 0.40 ms)"
    )


def course_xor() -> None:
    from engine.presets import get_preset

    spec = get_preset("course-xor")["spec"]

    def run():
        Session.from_spec(spec).step(epochs=10_000)

    engine, baseline = best_times([run, naive.course_xor], 5)
    print(
        f"course XOR, 10,000 epochs: engine {engine * 1e3:.0f} ms, course loop "
        f"{baseline * 1e3:.0f} ms, ratio {engine / baseline:.2f} (target <= 1.5)"
    )


def boundary() -> None:
    s = Session.from_spec(spiral_spec())
    s.step(epochs=5)
    s.boundary(100)
    t = best_time(lambda: s.boundary(100), 50)
    print(
        f"100x100 boundary with every neuron, 2-8-8-1: {t * 1e3:.2f} ms "
        f"(target < 2 ms; TF Playground about 14 ms)"
    )


def mlp_step(steps: int = 30) -> None:
    spec = {
        "seed": 0,
        "dtype": "float32",
        "data": {
            "dataset": "inline",
            "X": np.zeros((1, 784)).tolist(),
            "y": [[0]],
            "task": "classification",
        },
        "model": {
            "layers": [
                {"units": 256, "activation": "relu"},
                {"units": 128, "activation": "relu"},
                {"units": 10, "activation": "softmax"},
            ]
        },
        "loss": "categorical_crossentropy",
        "optimizer": {"type": "adam", "lr": 1e-3},
        "batch_size": 128,
    }
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1024, 784)).astype(np.float32)
    labels = rng.integers(0, 10, 1024)
    spec["data"]["X"] = X.tolist()
    spec["data"]["y"] = labels[:, None].tolist()
    s = Session.from_spec(spec)
    s.step(steps=3)
    engine = best_time(lambda: s.step(steps=steps), 5) / steps
    matmuls = best_time(lambda: [_mlp_matmuls(X[:128], s) for _ in range(steps)], 5) / steps
    line = (
        f"MLP 784-256-128-10 relu/softmax, Adam, batch 128, float32: engine "
        f"{engine * 1e3:.2f} ms/step, its matrix products alone {matmuls * 1e3:.2f} ms, "
        f"ratio {engine / matmuls:.2f} (target <= 1.25)"
    )
    torch_time = _torch_mlp_step(steps)
    if torch_time:
        line += f"; PyTorch {torch_time * 1e3:.2f} ms/step"
    print(line)


def _mlp_matmuls(x, s):
    Ws = [layer.params["W"] for layer in s.model.layers]
    acts = [x]
    for W in Ws:
        acts.append(acts[-1] @ W)
    d = acts[-1]
    for i in range(len(Ws) - 1, -1, -1):
        acts[i].T @ d
        if i:
            d = d @ Ws[i].T


def _torch_mlp_step(steps):
    try:
        import torch
    except ImportError:
        print("  (PyTorch not installed here: `pip install torch==2.13.0` in this venv to compare)")
        return None
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256),
        torch.nn.ReLU(),
        torch.nn.Linear(256, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(128, 784)
    y = torch.randint(0, 10, (128,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def run():
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            loss.item()

    run()
    return best_time(run, 5) / steps


def memory() -> None:
    spec = spiral_spec()
    spec["data"]["params"]["n_samples"] = 1000
    s = Session.from_spec(spec)
    s.step(epochs=2)
    s.boundary(100)
    arrays = s.nbytes()
    s.step(steps=200_000)
    hist = s.step_history.nbytes() + s.epoch_history.nbytes()
    print(
        f"2-8-8-1 on 500 training points: {arrays / 1e6:.3f} MB of arrays besides history "
        f"(incl. a 100x100 boundary grid; target < 1 MB); history after "
        f"{s.step_count} steps: {hist / 1e3:.0f} kB, bounded "
        f"(step stride {s.step_history.stride}, epoch stride {s.epoch_history.stride})"
    )


FIGURES = {
    "spiral": spiral_epoch,
    "mlp": mlp_step,
    "boundary": boundary,
    "xor": course_xor,
    "memory": memory,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "figures", nargs="*", metavar="FIGURE", help=f"any of {', '.join(FIGURES)} (default: all)"
    )
    names = parser.parse_args().figures or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figure {unknown[0]!r}; choose from {', '.join(FIGURES)}")
    for name in names:
        FIGURES[name]()


if __name__ == "__main__":
    main()
