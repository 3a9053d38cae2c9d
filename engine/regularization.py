"""L1 and L2 penalties on the weights (kernels; never biases), rate changeable live.

How they enter the gradient, per step, before the optimizer sees it:
- l2: penalty ½·rate·Σw², so grad_w += rate·w (TF Playground's and PyTorch's
  weight_decay convention);
- l1: penalty rate·Σ|w|, so grad_w += rate·sign(w) (0 at w = 0).
The rate is not divided by the batch size. Reported losses exclude the penalty;
`penalty()` gives it separately.
"""

import numpy as np

from . import validate as v

KINDS = ("none", "l1", "l2")
MAX_RATE = 1e6


def normalize(spec, path: str = "regularization") -> dict:
    if spec is None:
        return {"type": "none", "rate": 0.0}
    if isinstance(spec, str):
        spec = {"type": spec}
    v.mapping(spec, path)
    v.no_unknown_keys(spec, {"type", "rate"}, path)
    kind = v.choice(spec.get("type", "none"), v.join(path, "type"), KINDS)
    rate = v.number(spec.get("rate", 0.0), v.join(path, "rate"), low=0.0, high=MAX_RATE)
    return {"type": kind, "rate": rate}


class Regularizer:
    def __init__(self, spec: dict, params: np.ndarray, grads: np.ndarray, mask: np.ndarray):
        """`mask` is 1 where a parameter is regularized (kernels) and 0 elsewhere."""
        self.spec = spec
        self.params, self.grads, self.mask = params, grads, mask
        self._tmp = np.empty_like(params)

    def set(self, spec: dict) -> None:
        self.spec = spec

    @property
    def active(self) -> bool:
        return self.spec["type"] != "none" and self.spec["rate"] > 0

    def add_gradient(self) -> None:
        kind, rate = self.spec["type"], self.spec["rate"]
        if kind == "none" or rate == 0:
            return
        tmp = self._tmp
        if kind == "l2":
            np.multiply(self.params, self.mask, out=tmp)
        else:
            np.sign(self.params, out=tmp)
            tmp *= self.mask
        tmp *= rate
        self.grads += tmp

    def penalty(self) -> float:
        kind, rate = self.spec["type"], self.spec["rate"]
        if kind == "none" or rate == 0:
            return 0.0
        weights = self.params[self.mask != 0]
        if kind == "l2":
            return 0.5 * rate * float(np.dot(weights, weights))
        if kind == "l1":
            return rate * float(np.abs(weights).sum())
        return 0.0
