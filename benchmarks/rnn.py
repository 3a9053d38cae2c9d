"""A character model's training step: the NumPy engine against PyTorch on the CPU.

    .venv/bin/python -m benchmarks.rnn [--steps N] [--rounds N]

The model: vocabulary 65, embedding 32, LSTM 128 returning every step, dense 65 with
softmax at every step; sequences of 50, batch 32, Adam (lr 0.001), float32,
categorical cross-entropy on class indices (sparse targets, as PyTorch's
CrossEntropyLoss takes them). The engine's side is a Session on a text of 65 characters
stepped through `session.step`; PyTorch's nn.Embedding, nn.LSTM, nn.Linear. Both run in this
process on the same number of threads: one, unless OPENBLAS_NUM_THREADS is set (read
before NumPy loads; PyTorch gets torch.set_num_threads of the same number). Each figure
is the median over rounds of `--steps` steps after a warm-up, the two sides taking
turns so that a disturbance on the machine hits both alike.

Then sampling: the forward-only time of 500 characters one after another, batch 1,
(a) with the LSTM's `step` carrying the state, (b) running the model's whole forward
on a sequence of one character at a time (no state carried: the cost of the calls
alone), and PyTorch stepping nn.LSTM with its state. PyTorch is needed only here.
"""

import os

THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))

import argparse
import statistics
import time

import numpy as np

from engine import Session
from engine.model import Model

VOCAB, DIM, UNITS, LENGTH, BATCH = 65, 32, 128, 50, 32
TARGET = 1.5
SAMPLED = 500
LAYERS = [
    {"type": "embedding", "vocab_size": VOCAB, "dim": DIM},
    {"type": "lstm", "units": UNITS, "return_sequences": True},
    {"type": "dense", "units": VOCAB, "activation": "softmax"},
]


def batch(rng) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (n, T) and the next-character classes (n, T)."""
    ids = rng.integers(0, VOCAB, (BATCH, LENGTH + 1))
    return ids[:, :-1], ids[:, 1:]


def engine_step(ids, targets):
    """A Session on a text of VOCAB distinct characters, trained through `step`: the
    figure includes the session's own work a step (batching, the sparse loss, the log,
    the divergence guard). The text is the batch's windows, so both sides see the same
    characters."""
    symbols = [chr(0x21 + i) for i in range(VOCAB)]
    text = "".join(symbols[i] for i in ids.ravel()) + symbols[int(targets[-1, -1])]
    session = Session.from_spec(
        {
            "dtype": "float32",
            "data": {
                "dataset": "text",
                "text": text,
                "params": {"seq_len": LENGTH},
                "test_fraction": 0.0,
                "shuffle": False,
            },
            "model": {"layers": LAYERS},
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "adam", "lr": 0.001},
            "batch_size": BATCH,
        }
    )
    assert len(session.data.vocab) == VOCAB and session.steps_per_epoch == 1

    def step():
        session.step(steps=1)

    return session.model, step


def torch_model():
    import torch
    from torch import nn

    torch.manual_seed(0)
    embedding, lstm, linear = (
        nn.Embedding(VOCAB, DIM),
        nn.LSTM(DIM, UNITS, batch_first=True),
        nn.Linear(UNITS, VOCAB),
    )
    return embedding, lstm, linear


def torch_step(ids, targets):
    import torch
    from torch import nn

    embedding, lstm, linear = torch_model()
    params = [*embedding.parameters(), *lstm.parameters(), *linear.parameters()]
    optimizer = torch.optim.Adam(params, lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    x, y = torch.tensor(ids), torch.tensor(targets).reshape(-1)

    def step():
        optimizer.zero_grad()
        h, _ = lstm(embedding(x))
        loss_fn(linear(h).reshape(-1, VOCAB), y).backward()
        optimizer.step()

    return step


def per_step(fn, steps: int) -> float:
    t0 = time.perf_counter()
    for _ in range(steps):
        fn()
    return (time.perf_counter() - t0) / steps


def training(steps: int, rounds: int) -> Model:
    ids, targets = batch(np.random.default_rng(1))
    model, ours_step = engine_step(ids, targets)
    theirs_step = torch_step(ids, targets)
    for _ in range(2):  # warm-up: buffers, caches, PyTorch's kernels
        per_step(ours_step, steps)
        per_step(theirs_step, steps)
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(per_step(ours_step, steps))
        theirs.append(per_step(theirs_step, steps))
    ours_ms, theirs_ms = statistics.median(ours) * 1e3, statistics.median(theirs) * 1e3
    ratio = ours_ms / theirs_ms
    verdict = "ok" if ratio <= TARGET else "MISSED"
    threads = "one thread" if THREADS == 1 else f"{THREADS} threads"
    print(
        f"char model (embedding {DIM}, LSTM {UNITS}, dense {VOCAB} softmax at every step), "
        f"sequences of {LENGTH}, batch {BATCH}, Adam, float32, {threads}: "
        f"engine {ours_ms:.2f} ms/step, PyTorch {theirs_ms:.2f} ms/step, ratio {ratio:.2f} "
        f"(target <= {TARGET:.1f}: {verdict})"
    )
    return model


def sampling(model: Model, rounds: int) -> None:
    import torch

    embedding, lstm, dense = model.layers
    ids = np.random.default_rng(2).integers(0, VOCAB, SAMPLED).astype(np.float32)

    def by_step():
        state = None
        for token in ids:
            x_t = embedding.forward(np.array([[token]], np.float32))[:, 0]
            h, state = lstm.step(x_t, state)
            dense.forward(h)

    def by_forward():
        for token in ids:
            model.forward(np.array([[token]], np.float32))

    t_embedding, t_lstm, t_linear = torch_model()
    tokens = torch.tensor(ids.astype(np.int64)).reshape(-1, 1, 1)

    def torch_by_step():
        state = None
        with torch.no_grad():
            for token in tokens:
                h, state = t_lstm(t_embedding(token), state)
                torch.softmax(t_linear(h), -1)

    times = {name: [] for name in ("step", "forward", "torch")}
    for _ in range(rounds):
        for name, fn in (("step", by_step), ("forward", by_forward), ("torch", torch_by_step)):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    ms = {name: statistics.median(ts) * 1e3 for name, ts in times.items()}
    print(
        f"sampling {SAMPLED} characters one at a time, batch 1, forward only: "
        f"LSTM.step carrying the state {ms['step']:.1f} ms, the model's whole forward on "
        f"one character at a time {ms['forward']:.1f} ms, PyTorch stepping nn.LSTM "
        f"{ms['torch']:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per side")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(THREADS)
    model = training(args.steps, args.rounds)
    sampling(model, 5)


if __name__ == "__main__":
    main()
