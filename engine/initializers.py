"""Weight initializers: a name or an object with parameters, drawn from a given RNG.

The RNG is either a `np.random.Generator` or a legacy `np.random.RandomState` (the
stream `np.random.seed(s)` gives, so that scripts written with it, like the course's,
can be reproduced digit for digit). Both offer `uniform(low, high, size)` and
`normal(loc, scale, size)`, which is all an initializer uses.

fan_in / fan_out: for a dense kernel of shape (inputs, units) they are inputs and
units; for kernels of higher rank (later: convolutions) the receptive field multiplies
both.
"""

import math
from collections.abc import Mapping

import numpy as np

from . import validate as v
from .errors import SpecError

# name -> allowed parameters with their defaults
INITIALIZERS: dict[str, dict[str, float]] = {
    "zeros": {},
    "ones": {},
    "constant": {"value": 0.0},
    "uniform": {"low": -0.05, "high": 0.05},
    "normal": {"mean": 0.0, "std": 0.05},
    "glorot_uniform": {},
    "glorot_normal": {},
    "he_uniform": {},
    "he_normal": {},
    "lecun_uniform": {},
    "lecun_normal": {},
}
ALIASES = {
    "xavier_uniform": "glorot_uniform",
    "xavier_normal": "glorot_normal",
    "kaiming_uniform": "he_uniform",
    "kaiming_normal": "he_normal",
}

RELU_LIKE = {"relu", "leaky_relu", "elu", "gelu", "swish", "silu", "softplus"}


def default_for(activation: str) -> str:
    """He for the ReLU family (keeps the variance of rectified units), Glorot otherwise."""
    return "he_normal" if activation in RELU_LIKE else "glorot_uniform"


def normalize(spec, path: str) -> dict:
    """Validate an initializer spec and return it as {"type": name, **params}."""
    if isinstance(spec, str):
        spec = {"type": spec}
    v.mapping(spec, path)
    name = spec.get("type")
    name = ALIASES.get(name, name) if isinstance(name, str) else name
    v.choice(name, v.join(path, "type"), INITIALIZERS)
    defaults = INITIALIZERS[name]
    v.no_unknown_keys(spec, {"type", *defaults}, path)
    out = {"type": name}
    for key, default in defaults.items():
        low = 0.0 if key == "std" else None
        out[key] = v.number(spec.get(key, default), v.join(path, key), low=low)
    if name == "uniform" and out["low"] >= out["high"]:
        raise SpecError(
            path, f"uniform needs low < high, received low={out['low']}, high={out['high']}"
        )
    return out


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2]) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def draw(spec: Mapping, shape: tuple[int, ...], rng) -> np.ndarray:
    """Draw an array of `shape` (float64) for a normalized spec."""
    name = spec["type"]
    fan_in, fan_out = fans(shape)
    if name == "zeros":
        return np.zeros(shape)
    if name == "ones":
        return np.ones(shape)
    if name == "constant":
        return np.full(shape, spec["value"])
    if name == "uniform":
        return rng.uniform(spec["low"], spec["high"], size=shape)
    if name == "normal":
        return rng.normal(spec["mean"], spec["std"], size=shape)
    scale_fan = {"glorot": (fan_in + fan_out) / 2.0, "he": fan_in / 2.0, "lecun": fan_in}
    family, kind = name.split("_")
    variance = 1.0 / scale_fan[family]
    if kind == "uniform":
        limit = math.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, size=shape)
    return rng.normal(0.0, math.sqrt(variance), size=shape)
