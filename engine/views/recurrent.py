"""Views of recurrent networks: the hidden states and gates through time for one
window, and the gradient's norm through time (vanishing and exploding gradients)."""

import numpy as np

from ..data import text as text_data
from ..layers.config import Field
from .base import View, sample_index
from .images import SPLIT

RECURRENT = ("rnn", "lstm", "gru")


def recurrent_layers(s) -> list:
    return [layer for layer in s.model.layers if layer.type in RECURRENT]


def has_recurrent(s) -> bool:
    return bool(recurrent_layers(s))


def has_gates(s) -> bool:
    return any(layer.type in ("lstm", "gru") for layer in s.model.layers)


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


SEQUENCES = ("text", "sequence")
SAMPLE = Field("sample", "int", "window index (default 0)", default=None, low=0, optional=True)
VIEWS = [
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
]
