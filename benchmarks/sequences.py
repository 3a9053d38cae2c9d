"""Sequence models: what the text and series presets reach, and how fast text is written.

    .venv/bin/python -m benchmarks.sequences [--seconds 180] [--only text|forecast|sampling|memory]

- text: the char-lstm preset trained for `--seconds` on Python source, its bits per
  character on the held-out text against a character 3-gram model with add-one
  smoothing fitted on the same training text (the figure to beat).
- forecast: the airline preset trained for 30 s, its MASE on the held-out years
  (horizon-step forecasts of every test window, scaled by the training part's
  seasonal-naive error) beside the seasonal-naive forecast's own MASE.
- sampling: writing 500 characters with the char-lstm preset (median of 5).
- memory: copy-rnn and copy-lstm for 45 s each: how often each gets the copied letter
  right (the plain RNN cannot carry it across the delay) and the gradient's norm 30
  steps back from the last step.

One run each, on one thread (OPENBLAS_NUM_THREADS, read before NumPy loads).
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import math
import statistics
import time

import numpy as np

from engine import Session, views
from engine.data import text as text_data
from engine.presets import get_preset


def trigram_bits(train: str, test: str, vocab: list[str]) -> float:
    """Bits per character of an add-one-smoothed 3-gram model: P(c | a b) =
    (n(abc) + 1) / (n(ab) + V), fitted on `train`, scored on `test` (each test
    character after its first two)."""
    V = len(vocab)
    index = {c: i for i, c in enumerate(vocab)}
    ids = np.array([index[c] for c in train], dtype=np.int64)
    tri = np.bincount((ids[:-2] * V + ids[1:-1]) * V + ids[2:], minlength=V**3)
    bi = tri.reshape(V * V, V).sum(axis=1)
    t = np.array([index[c] for c in test], dtype=np.int64)
    ctx = t[:-2] * V + t[1:-1]
    p = (tri[ctx * V + t[2:]] + 1) / (bi[ctx] + V)
    return float(-np.log2(p).mean())


def split_text(s) -> tuple[str, str]:
    d = s.data

    def text(X, y):
        return text_data.decode(X.astype(np.int64).ravel(), d.vocab) + d.vocab[int(y[-1, -1])]

    return text(d.X_train, d.y_train), text(d.X_test, d.y_test)


def text_quality(seconds: float) -> None:
    s = Session.from_spec(get_preset("char-lstm")["spec"])
    train, test = split_text(s)
    baseline = trigram_bits(train, test, s.data.vocab)
    print(
        f"char-lstm on python-source: {len(train):,} training and {len(test):,} held-out "
        f"characters, vocabulary {len(s.data.vocab)}"
    )
    print(f"  3-gram (add-one) on the held-out text: {baseline:.3f} bits/char")
    start = time.perf_counter()
    checkpoints = [30, 60, 120, seconds]
    beaten = None
    while True:
        s.step(steps=50)
        elapsed = time.perf_counter() - start
        if checkpoints and elapsed >= checkpoints[0]:
            checkpoints.pop(0)
            bits = s.metrics(evaluate=True)["test_loss"] / math.log(2)
            print(f"  after {elapsed:5.0f} s ({s.step_count:,} steps): {bits:.3f} bits/char")
            if beaten is None and bits < baseline:
                beaten = elapsed
            if not checkpoints or elapsed >= seconds:
                break
    sample = views.compute(s, "sample_text", {"length": 300, "seed": 0, "temperature": 0.7})
    print("  beats the 3-gram" + (f" by {beaten:.0f} s" if beaten else ": NO"))
    print(
        "  sample at temperature 0.7:\n" + "\n".join("    " + x for x in sample["text"].split("\n"))
    )


def forecast_quality(seconds: float = 30.0) -> None:
    s = Session.from_spec(get_preset("airline-forecast")["spec"])
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        s.step(epochs=10)
    f = views.compute(s, "forecast", {})
    print(
        f"airline-forecast after {seconds:.0f} s ({s.epoch} epochs): MASE {f['mase']:.3f} "
        f"on the held-out years; seasonal naive {f['naive_mase']:.3f} (target: below 1)"
    )


def memory(seconds: float = 45.0) -> None:
    """copy-rnn against copy-lstm for the same time: accuracy on the copied letters
    (the characters after the run of dots, which only memory predicts) and the gradient
    reaching back from the last step."""
    for name in ("copy-rnn", "copy-lstm"):
        s = Session.from_spec(get_preset(name)["spec"])
        d, vocab = s.data, s.data.vocab
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            s.step(steps=100)
        out = s.objective.predict(d.X_test)
        letters = [i for i, c in enumerate(vocab) if c.isalpha()]
        copies = (d.X_test == vocab.index(".")) & np.isin(d.y_test, letters)
        accuracy = float((out.argmax(-1) == d.y_test)[copies].mean())
        norms = views.compute(s, "gradient_norms", {"count": 64})["layers"][0]["norms"]
        print(
            f"{name} after {seconds:.0f} s ({s.step_count:,} steps): copied letters right "
            f"{accuracy:.0%} (chance {1 / len(letters):.0%}); ‖dL/dh_t‖ 30 steps before "
            f"the last step {norms[-31]:.1e}, at it {norms[-1]:.1e}"
        )


def sampling_speed() -> None:
    s = Session.from_spec(get_preset("char-lstm")["spec"])
    s.step(steps=5)
    times = []
    for seed in range(5):
        t = time.perf_counter()
        views.compute(s, "sample_text", {"length": 500, "seed": seed})
        times.append(time.perf_counter() - t)
    print(
        f"sampling 500 characters (char-lstm): {statistics.median(times) * 1e3:.1f} ms median (target < 200 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--only", choices=("text", "forecast", "sampling", "memory"))
    args = parser.parse_args()
    if args.only in (None, "sampling"):
        sampling_speed()
    if args.only in (None, "forecast"):
        forecast_quality()
    if args.only in (None, "memory"):
        memory()
    if args.only in (None, "text"):
        text_quality(args.seconds)


if __name__ == "__main__":
    main()
