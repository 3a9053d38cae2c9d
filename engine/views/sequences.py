"""Views of sequence models: sampled text, the next character's distribution, hidden
states and gates through time, the gradient's norm through time, and forecasts.

Sampling runs the network one character at a time: position-wise layers (embedding,
dense, activation, dropout) on a one-step slice, recurrent layers through their
`step`, so 500 characters cost 500 small steps rather than 500 whole windows. The
same seed gives the same text. Everything runs in inference mode.
"""

import math

import numpy as np

from ..data import series as series_data
from ..data import text as text_data
from ..data.sequential import scaling_of
from ..errors import SpecError
from ..layers.config import Field
from .base import View, sample_index
from .images import SPLIT

RECURRENT = ("rnn", "lstm", "gru")
POSITION_WISE = ("embedding", "dense", "activation", "dropout")
MAX_SAMPLE_CHARS = 5000
TOP = 5  # alternatives kept per sampled character


def recurrent_layers(s) -> list:
    return [layer for layer in s.model.layers if layer.type in RECURRENT]


def has_recurrent(s) -> bool:
    return bool(recurrent_layers(s))


def has_gates(s) -> bool:
    return any(layer.type in ("lstm", "gru") for layer in s.model.layers)


def can_step(s) -> bool:
    """Text data and a network that can run one character at a time."""
    return s.data.vocab is not None and all(
        layer.type in RECURRENT or layer.type in POSITION_WISE for layer in s.model.layers
    )


def window(s, sample: int | None, split: str) -> tuple[np.ndarray, int]:
    """One window of the split as a batch of one, and its index."""
    d = s.data
    X = d.X_train if split == "train" else d.X_test
    sample = sample_index(len(X), sample, split, "windows")
    return X[sample : sample + 1], sample


def shown_input(s, x: np.ndarray, sample: int, split: str) -> dict:
    """The window as a person reads it: characters, or the series' own values (with
    where the window starts in the series)."""
    d = s.data
    if d.vocab is not None:
        return {"chars": list(text_data.decode(x[0].astype(np.int64), d.vocab))}
    if d.series is None:
        return {"values": np.asarray(x[0, :, 0], dtype=np.float64)}
    first_target = int(d.series[f"{split}_starts"][sample])
    start = first_target - x.shape[1]
    return {"values": d.series["values"][start:first_target].copy(), "start": start}


def _run(s, sample, split) -> dict:
    x, sample = window(s, sample, split)
    with np.errstate(all="ignore"):
        s.model.forward(x)
    return {"sample": sample, "split": split, **shown_input(s, x, sample, split)}


def hidden_states(s, sample, split) -> dict:
    """Each recurrent layer's hidden state at every step: (time, units)."""
    out = _run(s, sample, split)
    out["layers"] = [
        {"name": layer.name, "type": layer.type, "states": layer.h_seq[0].copy()}
        for layer in recurrent_layers(s)
    ]
    return out


def gates(s, sample, split) -> dict:
    """LSTM's input, forget and output gates (and its cell), GRU's reset and update
    gates (and its candidate), each (time, units)."""
    out = _run(s, sample, split)
    out["layers"] = [
        {
            "name": layer.name,
            "type": layer.type,
            "gates": {name: a[0].copy() for name, a in layer.gate_seq.items()},
        }
        for layer in recurrent_layers(s)
        if layer.type in ("lstm", "gru")
    ]
    return out


def gradient_norms(s, sample, split, count, position) -> dict:
    """‖dL/dh_t‖ for every step t of each recurrent layer, averaged over `count`
    windows from `sample` on. position "last": the loss at the last step alone, which
    shows how far back a step's error reaches (vanishing or exploding); "all": the
    training loss over every step."""
    d, model, loss = s.data, s.model, s.loss
    X = d.X_train if split == "train" else d.X_test
    y = d.y_train if split == "train" else d.y_test
    window(s, sample, split)
    sample = sample or 0
    x, target = X[sample : sample + count], y[sample : sample + count]
    with np.errstate(all="ignore"):
        out = model.forward(x)
        last = model.layers[-1]
        fused = model.fused(loss)
        if fused:
            grad = loss.logit_grad(out, target, np.empty_like(out)) / loss.count(out)
        else:
            grad = np.asarray(loss.grad(out, target), dtype=out.dtype)
        if position == "last" and out.ndim == 3:
            grad[:, :-1] = 0.0
        grad = np.ascontiguousarray(grad)
        grad = last.backward(
            grad, len(model.layers) > 1, **({"at_preactivation": True} if fused else {})
        )
        for i in range(len(model.layers) - 2, -1, -1):
            grad = model.layers[i].backward(grad, i > 0)
    layers = [
        {
            "name": layer.name,
            "type": layer.type,
            "norms": np.linalg.norm(layer.dh_seq, axis=-1).mean(axis=0),
        }
        for layer in recurrent_layers(s)
    ]
    return {
        "sample": sample,
        "split": split,
        "count": len(x),
        "position": position,
        "layers": layers,
    }


# -- sampling -----------------------------------------------------------------------------


class Stepper:
    """The network run one character at a time, keeping each recurrent layer's state."""

    def __init__(self, s):
        self.model, self.dtype = s.model, s.dtype
        self.states = [None] * len(self.model.layers)

    def feed(self, char_id: int) -> np.ndarray:
        """The next character's logits after `char_id` (float64, (vocab,))."""
        x = np.full((1, 1), char_id, dtype=self.dtype)
        for i, layer in enumerate(self.model.layers):
            if layer.type in RECURRENT:
                h, self.states[i] = layer.step(x[:, 0], self.states[i])
                x = h[:, None]
            else:
                x = layer.forward(x, False)
        last = self.model.layers[-1]
        if getattr(last, "activation", None) == "softmax":
            return np.asarray(last.z[0, 0], dtype=np.float64)
        return np.log(np.clip(np.asarray(x[0, 0], dtype=np.float64), 1e-30, None))


def default_prime(s) -> str:
    """The training text's first character."""
    return s.data.vocab[int(s.data.X_train[0, 0])]


def probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    z = logits / temperature
    z = np.exp(z - z.max())
    return z / z.sum()


def sample_chars(s, prime: str | None, temperature: float, length: int, seed: int):
    """Yields (character, its probability, the top alternatives [(char, p)]) one at a
    time: what the websocket streams and sample_text collects."""
    vocab = s.data.vocab
    prime = prime or default_prime(s)
    ids = text_data.encode(prime, vocab, "prime")
    rng = np.random.default_rng(seed)
    stepper = Stepper(s)
    with np.errstate(all="ignore"):
        for char_id in ids[:-1].tolist():
            stepper.feed(char_id)
        logits = stepper.feed(int(ids[-1]))
        for _ in range(length):
            p = probabilities(logits, temperature)
            if not np.isfinite(p).all():
                raise SpecError("temperature", "the model's outputs are not finite (diverged?)")
            pick = min(int(np.searchsorted(np.cumsum(p), rng.random() * p.sum())), len(p) - 1)
            top = np.argsort(-p, kind="stable")[:TOP]
            yield vocab[pick], float(p[pick]), [(vocab[k], float(p[k])) for k in top.tolist()]
            logits = stepper.feed(pick)


def sample_text(s, prime, temperature, length, seed) -> dict:
    chars, probs, tops = [], [], []
    for char, p, top in sample_chars(s, prime, temperature, length, seed):
        chars.append(char)
        probs.append(p)
        tops.append(top)
    return {
        "prime": prime or default_prime(s),
        "text": "".join(chars),
        "probabilities": np.asarray(probs),
        "top": tops,
        "temperature": temperature,
        "seed": seed,
    }


def next_char(s, prefix, temperature) -> dict:
    """The distribution of the character after `prefix`."""
    vocab = s.data.vocab
    prefix = prefix or default_prime(s)
    ids = text_data.encode(prefix, vocab, "prefix")
    stepper = Stepper(s)
    with np.errstate(all="ignore"):
        for char_id in ids.tolist():
            logits = stepper.feed(char_id)
    return {
        "prefix": prefix,
        "chars": list(vocab),
        "probabilities": probabilities(logits, temperature),
    }


def corpus(s, split, start, length) -> dict:
    """A stretch of the split's text, with where each window begins: the windows are
    seq_len characters at stride seq_len, so window k covers [k·seq_len, (k+1)·seq_len)."""
    d = s.data
    X = d.X_train if split == "train" else d.X_test
    y = d.y_train if split == "train" else d.y_test
    seq_len = X.shape[1]
    total = len(X) * seq_len + (1 if len(X) else 0)
    start = min(start, max(total - 1, 0))
    first, last = start // seq_len, min(-(-(start + length) // seq_len), len(X))
    ids = X[first:last].astype(np.int64).ravel()
    if last == len(X) and len(X):
        ids = np.append(ids, int(y[-1, -1]))
    offset = start - first * seq_len
    text = text_data.decode(ids, d.vocab)[offset : offset + length]
    return {
        "split": split,
        "start": start,
        "text": text,
        "total": total,
        "seq_len": seq_len,
        "windows": len(X),
    }


# -- forecasting ------------------------------------------------------------------------


def forecast(s) -> dict:
    """One-step predictions along the whole series, the free-running forecast over the
    held-out part (each prediction fed back as input), and MASE of the model's
    horizon-step forecasts on the test windows against the seasonal-naive forecast."""
    info, model = s.data.series, s.model
    values, split = info["values"], info["split"]
    scaling = scaling_of(info)
    length, horizon, season = info["input_length"], info["horizon"], info["season"]
    starts = np.arange(length, len(values) - horizon + 1)
    raw = values[starts[:, None] + np.arange(-length, 0)]
    with np.errstate(all="ignore"):
        outputs = s.objective.predict(scaling.inputs(raw).astype(s.dtype))
        predicted = scaling.values(raw, outputs.reshape(len(starts), -1))
        free = []
        context = values[split - length : split][None].copy()
        while len(free) < len(values) - split:
            out = model.forward(scaling.inputs(context).astype(s.dtype)).reshape(1, -1)
            step = scaling.values(context, out.astype(np.float64))
            free.extend(step[0].tolist())
            context = np.concatenate([context, step], axis=1)[:, -length:]
    free = np.asarray(free[: len(values) - split])
    test = starts >= split
    test_starts = starts[test]
    metrics = {"mase": None, "naive_mase": None}
    if len(test_starts) and split > season:
        truth = values[test_starts[:, None] + np.arange(horizon)]
        train = values[:split]
        try:
            metrics["mase"] = series_data.mase(predicted[test], truth, train, season)
            naive = series_data.seasonal_naive(values, season, test_starts, horizon)
            metrics["naive_mase"] = series_data.mase(naive, truth, train, season)
        except ValueError:
            pass
    for key, x in metrics.items():
        if x is not None and not math.isfinite(x):
            metrics[key] = None
    return {
        "values": values,
        "split": split,
        "one_step": {"x": starts, "y": predicted[:, 0]},
        "free_run": {"x": np.arange(split, len(values)), "y": free},
        "horizon": horizon,
        "season": season,
        **metrics,
    }


def has_series(s) -> bool:
    return s.data.series is not None


SEQUENCES = ("text", "sequence")
TEXT = ("text",)
SAMPLE = Field("sample", "int", "window index (default 0)", default=None, low=0, optional=True)
TEMPERATURE = Field(
    "temperature",
    "float",
    "divides the logits: low is safe, high is adventurous",
    default=1.0,
    low=0.05,
    high=5.0,
)
VIEWS = [
    View(
        "sample_text",
        "text the model writes after a prime, one character at a time",
        TEXT,
        (
            Field(
                "prime",
                "text",
                "the text to start from (default: the corpus's first character)",
                default=None,
                high=1000,
                optional=True,
            ),
            TEMPERATURE,
            Field(
                "length", "int", "characters to write", default=200, low=1, high=MAX_SAMPLE_CHARS
            ),
            Field(
                "seed",
                "int",
                "the same seed writes the same text",
                default=0,
                low=0,
                high=2**32 - 1,
            ),
        ),
        sample_text,
        fits=can_step,
    ),
    View(
        "next_char",
        "the probability of each character after a prefix",
        TEXT,
        (
            Field(
                "prefix",
                "text",
                "the text so far (default: the corpus's first character)",
                default=None,
                high=1000,
                optional=True,
            ),
            TEMPERATURE,
        ),
        next_char,
        fits=can_step,
    ),
    View(
        "corpus",
        "a stretch of the text, with the windows the model reads",
        TEXT,
        (
            SPLIT,
            Field("start", "int", "first character", default=0, low=0),
            Field("length", "int", "characters", default=2000, low=1, high=20_000),
        ),
        corpus,
    ),
    View(
        "hidden_states",
        "each recurrent layer's hidden state at every step of a window, (time, units)",
        SEQUENCES,
        (SAMPLE, SPLIT),
        hidden_states,
        fits=has_recurrent,
    ),
    View(
        "gates",
        "LSTM (i, f, o, and its cell c) and GRU (r, z, and its candidate n) gates at every step",
        SEQUENCES,
        (SAMPLE, SPLIT),
        gates,
        fits=has_gates,
    ),
    View(
        "gradient_norms",
        "‖dL/dh_t‖ at every step t of each recurrent layer: vanishing or exploding gradients",
        SEQUENCES,
        (
            SAMPLE,
            SPLIT,
            Field("count", "int", "windows to average over", default=32, low=1, high=512),
            Field(
                "position",
                "choice",
                "the loss at the last step, or at every step",
                default="last",
                choices=("last", "all"),
            ),
        ),
        gradient_norms,
        fits=has_recurrent,
    ),
    View(
        "forecast",
        "one-step and free-running forecasts along the series, with MASE against seasonal-naive",
        ("sequence",),
        (),
        forecast,
        fits=has_series,
    ),
]
