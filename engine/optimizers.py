"""Optimizers with PyTorch's update formulas and default hyperparameters.

Every parameter of a model lives in one flat vector, so each optimizer updates all of
them with a handful of whole-vector operations (in place, into preallocated scratch).
Hyperparameters can be changed between steps with `set` without losing state.
`weight_decay` is PyTorch's coupled L2 (added to the gradient) except for adamw, where
it is decoupled (the weights shrink by lr·wd before the Adam step).

Every optimizer also takes `clip_norm`: when positive, the gradient is first scaled
down to that global norm if it is longer, as torch.nn.utils.clip_grad_norm_ does
(factor clip_norm / (norm + 1e-6)), the remedy for a recurrent network's exploding
gradients. The norm before clipping is kept (`last_norm`) for the history.
"""

import math
from typing import Any

import numpy as np

from . import validate as v
from .errors import SpecError

# name -> {hyperparameter: (default, low, high)}; booleans have bounds None
_FLOAT = float("inf")
CLIP_NORM = (0.0, 0.0, _FLOAT)  # 0: no clipping
HYPERPARAMETERS: dict[str, dict[str, tuple[Any, Any, Any]]] = {
    "sgd": {
        "lr": (1e-3, 0.0, _FLOAT),
        "momentum": (0.0, 0.0, 1.0),
        "dampening": (0.0, 0.0, 1.0),
        "nesterov": (False, None, None),
        "weight_decay": (0.0, 0.0, _FLOAT),
        "clip_norm": CLIP_NORM,
    },
    "rmsprop": {
        "lr": (1e-2, 0.0, _FLOAT),
        "alpha": (0.99, 0.0, 1.0),
        "eps": (1e-8, 0.0, 1.0),
        "momentum": (0.0, 0.0, 1.0),
        "centered": (False, None, None),
        "weight_decay": (0.0, 0.0, _FLOAT),
        "clip_norm": CLIP_NORM,
    },
    "adagrad": {
        "lr": (1e-2, 0.0, _FLOAT),
        "lr_decay": (0.0, 0.0, _FLOAT),
        "eps": (1e-10, 0.0, 1.0),
        "initial_accumulator_value": (0.0, 0.0, _FLOAT),
        "weight_decay": (0.0, 0.0, _FLOAT),
        "clip_norm": CLIP_NORM,
    },
    "adam": {
        "lr": (1e-3, 0.0, _FLOAT),
        "beta1": (0.9, 0.0, 1.0),
        "beta2": (0.999, 0.0, 1.0),
        "eps": (1e-8, 0.0, 1.0),
        "weight_decay": (0.0, 0.0, _FLOAT),
        "clip_norm": CLIP_NORM,
    },
    "adamw": {
        "lr": (1e-3, 0.0, _FLOAT),
        "beta1": (0.9, 0.0, 1.0),
        "beta2": (0.999, 0.0, 1.0),
        "eps": (1e-8, 0.0, 1.0),
        "weight_decay": (1e-2, 0.0, _FLOAT),
        "clip_norm": CLIP_NORM,
    },
}


def check_hyperparameters(name: str, values: dict, path: str, base: dict | None = None) -> dict:
    """Validate `values` for optimizer `name`, on top of `base` (defaults if None)."""
    table = HYPERPARAMETERS[name]
    v.no_unknown_keys(values, set(table), path)
    out = dict(base) if base else {k: d for k, (d, _, _) in table.items()}
    for key, raw in values.items():
        default, low, high = table[key]
        where = v.join(path, key)
        if isinstance(default, bool):
            out[key] = v.boolean(raw, where)
        else:
            out[key] = v.number(raw, where, low=low, high=None if high == _FLOAT else high)
            if key in ("beta1", "beta2", "alpha") and out[key] >= 1.0:
                raise SpecError(where, f"must be below 1, received {out[key]!r}")
    if name == "sgd" and out["nesterov"] and (out["momentum"] <= 0 or out["dampening"] != 0):
        raise SpecError(v.join(path, "nesterov"), "nesterov needs momentum > 0 and dampening = 0")
    return out


class Optimizer:
    """Updates a flat parameter vector in place from the flat gradient vector.

    `step` first saves the parameters and then reports whether every updated value is
    finite, so that the caller can keep the last finite weights. (Splitting large
    vectors across threads was measured here: NumPy releases the GIL, but OpenBLAS's
    threads keep spinning on the other core after each matrix product, and the split
    step came out slower.)
    """

    name = ""
    state_names: tuple[str, ...] = ()

    def __init__(self, params: np.ndarray, grads: np.ndarray, hyper: dict):
        self.params, self.grads = params, grads
        self.hyper = dict(hyper)
        self.t = 0  # steps taken
        self.last_norm = math.nan  # the gradient's global norm at the last step
        self.state = {k: np.zeros_like(params) for k in self.state_names}
        self._tmp = np.empty_like(params)
        self._tmp2 = np.empty_like(params)

    def set(self, **changes) -> None:
        self.hyper = check_hyperparameters(self.name, changes, "optimizer", self.hyper)

    def step(self, backup: np.ndarray | None = None) -> bool:
        """One update. With `backup`, first copy the parameters there; return whether
        every updated parameter is finite."""
        self.t += 1
        p, g = self.params, self.grads
        if backup is not None:
            np.copyto(backup, p)
        norm = self.last_norm = math.sqrt(np.dot(g, g))
        clip = self.hyper["clip_norm"]
        if clip and clip / (norm + 1e-6) < 1.0:
            g *= clip / (norm + 1e-6)
        wd = self.hyper["weight_decay"]
        if wd and self.name != "adamw":
            np.multiply(p, wd, out=self._tmp2)
            self._tmp2 += g
            g = self._tmp2
        self._update(p, g, self.hyper, self.state, self._tmp)
        return math.isfinite(np.add.reduce(p)) if backup is not None else True

    def _update(self, p: np.ndarray, g: np.ndarray, h: dict, state: dict, tmp: np.ndarray):
        raise NotImplementedError

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies: training may go on while they are written."""
        return {"t": np.array(self.t), **{k: a.copy() for k, a in self.state.items()}}

    def load_state_dict(self, state: dict[str, np.ndarray]) -> None:
        self.t = int(state["t"])
        for key in self.state_names:
            np.copyto(self.state[key], state[key])


class SGD(Optimizer):
    name = "sgd"
    state_names = ("momentum_buffer",)

    def _update(self, p, g, h, state, tmp):
        mu = h["momentum"]
        if mu:
            buf = state["momentum_buffer"]
            if self.t == 1:
                np.copyto(buf, g)
            else:
                buf *= mu
                if h["dampening"]:
                    np.multiply(g, 1.0 - h["dampening"], out=tmp)
                    buf += tmp
                else:
                    buf += g
            if h["nesterov"]:
                np.multiply(buf, mu, out=tmp)
                tmp += g
                g = tmp
            else:
                g = buf
        np.multiply(g, h["lr"], out=tmp)
        p -= tmp


class RMSprop(Optimizer):
    name = "rmsprop"
    state_names = ("square_avg", "grad_avg", "momentum_buffer")

    def _update(self, p, g, h, state, tmp):
        a, sq = h["alpha"], state["square_avg"]
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - a
        sq *= a
        sq += tmp
        if h["centered"]:
            gavg = state["grad_avg"]
            gavg *= a
            np.multiply(g, 1.0 - a, out=tmp)
            gavg += tmp
            np.multiply(gavg, gavg, out=tmp)
            np.subtract(sq, tmp, out=tmp)
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(sq, out=tmp)
        tmp += h["eps"]
        np.divide(g, tmp, out=tmp)
        if h["momentum"]:
            buf = state["momentum_buffer"]
            buf *= h["momentum"]
            buf += tmp
            np.multiply(buf, h["lr"], out=tmp)
        else:
            tmp *= h["lr"]
        p -= tmp


class Adagrad(Optimizer):
    name = "adagrad"
    state_names = ("sum",)

    def __init__(self, params, grads, hyper):
        super().__init__(params, grads, hyper)
        self.state["sum"] += hyper["initial_accumulator_value"]

    def _update(self, p, g, h, state, tmp):
        clr = h["lr"] / (1.0 + (self.t - 1) * h["lr_decay"])
        acc = state["sum"]
        np.multiply(g, g, out=tmp)
        acc += tmp
        np.sqrt(acc, out=tmp)
        tmp += h["eps"]
        np.divide(g, tmp, out=tmp)
        tmp *= clr
        p -= tmp


class Adam(Optimizer):
    name = "adam"
    state_names = ("exp_avg", "exp_avg_sq")

    def _update(self, p, g, h, state, tmp):
        b1, b2 = h["beta1"], h["beta2"]
        m, s = state["exp_avg"], state["exp_avg_sq"]
        m *= b1
        np.multiply(g, 1.0 - b1, out=tmp)
        m += tmp
        s *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - b2
        s += tmp
        # p -= lr/bc1 * m / (sqrt(s)/sqrt(bc2) + eps), with sqrt(bc2) moved out of
        # the vector work: the same value in two fewer passes.
        sqrt_bc2 = math.sqrt(1.0 - b2**self.t)
        step_size = h["lr"] * sqrt_bc2 / (1.0 - b1**self.t)
        np.sqrt(s, out=tmp)
        tmp += h["eps"] * sqrt_bc2
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        p -= tmp


class AdamW(Adam):
    name = "adamw"

    def _update(self, p, g, h, state, tmp):
        if h["weight_decay"]:
            p *= 1.0 - h["lr"] * h["weight_decay"]
        super()._update(p, g, h, state, tmp)


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, RMSprop, Adagrad, Adam, AdamW)
}


def normalize(spec, path: str = "optimizer") -> dict:
    """{"type": name, **hyperparameters} with defaults filled in."""
    if isinstance(spec, str):
        spec = {"type": spec}
    v.mapping(spec, path)
    name = v.choice(spec.get("type"), v.join(path, "type"), OPTIMIZERS)
    hyper = {k: val for k, val in spec.items() if k != "type"}
    return {"type": name, **check_hyperparameters(name, hyper, path)}


def build_optimizer(spec: dict, params: np.ndarray, grads: np.ndarray) -> Optimizer:
    hyper = {k: val for k, val in spec.items() if k != "type"}
    return OPTIMIZERS[spec["type"]](params, grads, hyper)
