"""Convolutional training steps: the NumPy engine against PyTorch on the CPU.

    .venv/bin/python -m benchmarks.cnn [--steps N]

Both run in this process on the same number of threads: one, unless OPENBLAS_NUM_THREADS
is set (it is read before NumPy loads, and PyTorch gets torch.set_num_threads of the
same number), in float32, with Adam (lr 0.001) and
categorical cross-entropy on random images of the right shape. The engine's side is a
Session built from an inline spec and timed through `session.step(steps=...)`, so the
figure includes the session's own work per step (batching, the loss log, the divergence
guard). Each figure is the median over rounds of `--steps` steps after a warm-up, the
two sides taking turns so that a disturbance on the machine hits both alike.
PyTorch is needed only here; the engine never imports it.
"""

import os

THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))

import argparse
import statistics
import time

import numpy as np

from engine import Session

DIGITS = {
    "title": "digits CNN, 8×8×1, batch 32",
    "input": (8, 8, 1),
    "batch": 32,
    "target": 1.0,
    "layers": [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"type": "maxpool2d", "pool_size": 2},
        {
            "type": "conv2d",
            "filters": 16,
            "kernel_size": 3,
            "padding": "same",
            "activation": "relu",
        },
        {"type": "maxpool2d", "pool_size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 10, "activation": "softmax"},
    ],
}
LENET = {
    "title": "LeNet-5, 28×28×1, batch 64",
    "input": (28, 28, 1),
    "batch": 64,
    "target": 1.5,
    "layers": [
        {"type": "conv2d", "filters": 6, "kernel_size": 5, "padding": "same", "activation": "relu"},
        {"type": "maxpool2d", "pool_size": 2},
        {
            "type": "conv2d",
            "filters": 16,
            "kernel_size": 5,
            "padding": "valid",
            "activation": "relu",
        },
        {"type": "maxpool2d", "pool_size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 120, "activation": "relu"},
        {"type": "dense", "units": 84, "activation": "relu"},
        {"type": "dense", "units": 10, "activation": "softmax"},
    ],
}


def engine_session(case: dict, n_samples: int) -> Session:
    rng = np.random.default_rng(0)
    X = rng.random((n_samples, *case["input"]), dtype=np.float32)
    y = rng.integers(0, 10, n_samples)
    return Session.from_spec(
        {
            "seed": 0,
            "dtype": "float32",
            "data": {
                "dataset": "inline",
                "X": X.tolist(),
                "y": y.tolist(),
                "task": "classification",
            },
            "model": {"layers": case["layers"]},
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "adam", "lr": 0.001},
            "batch_size": case["batch"],
        }
    )


def torch_step(case: dict):
    """One PyTorch training step on the same architecture (NCHW, as PyTorch has it)."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    h, w, c = case["input"]
    layers, shape = [], (c, h, w)
    for spec in case["layers"]:
        kind = spec["type"]
        if kind == "conv2d":
            k = spec["kernel_size"]
            layers.append(
                nn.Conv2d(
                    shape[0], spec["filters"], k, padding=k // 2 if spec["padding"] == "same" else 0
                )
            )
            shape = (
                spec["filters"],
                *(s if spec["padding"] == "same" else s - k + 1 for s in shape[1:]),
            )
        elif kind == "maxpool2d":
            layers.append(nn.MaxPool2d(spec["pool_size"]))
            shape = (shape[0], *(s // spec["pool_size"] for s in shape[1:]))
        elif kind == "flatten":
            layers.append(nn.Flatten())
            shape = (int(np.prod(shape)),)
        else:
            layers.append(nn.Linear(shape[0], spec["units"]))
            shape = (spec["units"],)
        if spec.get("activation") == "relu":
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()  # softmax + cross-entropy, as the engine fuses them
    x = torch.rand(case["batch"], c, h, w)
    y = torch.randint(0, 10, (case["batch"],))

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step


def per_step(fn, steps: int) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) / steps


def compare(case: dict, steps: int, rounds: int) -> None:
    import torch

    torch.set_num_threads(THREADS)
    # a round is one epoch: its shuffle and end-of-epoch bookkeeping are timed too, as
    # in real training
    session = engine_session(case, case["batch"] * steps)
    step = torch_step(case)

    def engine_round():
        session.step(steps=steps)

    def torch_round():
        for _ in range(steps):
            step()

    for _ in range(2):  # warm-up: buffers, caches, PyTorch's kernels
        engine_round()
        torch_round()
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(per_step(engine_round, steps))
        theirs.append(per_step(torch_round, steps))
    ours_ms, theirs_ms = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
    ratio = ours_ms / theirs_ms
    verdict = "ok" if ratio <= case["target"] else "MISSED"
    threads = "one thread" if THREADS == 1 else f"{THREADS} threads"
    print(
        f"{case['title']}, Adam, float32, {threads}: engine {ours_ms:.3f} ms/step, "
        f"PyTorch {theirs_ms:.3f} ms/step, ratio {ratio:.2f} "
        f"(target <= {case['target']:.1f}: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per side")
    args = parser.parse_args()
    for case in (DIGITS, LENET):
        compare(case, args.steps, args.rounds)


if __name__ == "__main__":
    main()
