"""Activation functions, each a forward and a backward that write into given buffers.

`forward(z, out)` computes a = f(z). `backward(z, a, da, out)` computes dL/dz from
dL/da, using whichever of z and a makes it cheapest. `out` may be the same array as
`da` (the gradient is then computed in place). Every function works on arrays of any
rank; softmax acts along the last axis.

`out` must be a different array from z, a and da: backward uses it as scratch, which
saves an allocation per call (it matters for small networks).
"""

import math

import numpy as np

from .errors import SpecError

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_C = 0.044715


class Activation:
    name = ""
    needs_z = False  # backward reads z (otherwise the output a is enough)

    def forward(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, z, a, da, out) -> np.ndarray:
        raise NotImplementedError


class Linear(Activation):
    name = "linear"

    def forward(self, z, out):
        np.copyto(out, z)
        return out

    def backward(self, z, a, da, out):
        np.copyto(out, da)
        return out


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z, out):
        # 1 / (1 + e^-z): overflow of e^-z gives inf and then exactly 0, as it should.
        np.negative(z, out=out)
        np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def backward(self, z, a, da, out):
        np.multiply(a, a, out=out)  # a(1 - a) = a - a^2
        np.subtract(a, out, out=out)
        out *= da
        return out


class Tanh(Activation):
    name = "tanh"

    def forward(self, z, out):
        return np.tanh(z, out=out)

    def backward(self, z, a, da, out):
        np.multiply(a, a, out=out)
        np.subtract(1.0, out, out=out)
        out *= da
        return out


class ReLU(Activation):
    name = "relu"

    def forward(self, z, out):
        return np.maximum(z, 0.0, out=out)

    def backward(self, z, a, da, out):
        # The subgradient at 0 is 0, as in PyTorch.
        np.greater(a, 0.0, out=out)
        out *= da
        return out


class LeakyReLU(Activation):
    name = "leaky_relu"
    needs_z = True

    def __init__(self, slope: float = 0.01):
        self.slope = slope

    def forward(self, z, out):
        np.multiply(z, self.slope, out=out)
        return np.maximum(z, out, out=out)  # right for 0 <= slope <= 1

    def backward(self, z, a, da, out):
        slope = np.where(z > 0, 1.0, self.slope).astype(da.dtype, copy=False)
        return np.multiply(da, slope, out=out)


class ELU(Activation):
    name = "elu"
    needs_z = True

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha

    def forward(self, z, out):
        neg = np.minimum(z, 0.0)
        np.expm1(neg, out=neg)
        neg *= self.alpha  # 0 where z > 0
        np.maximum(z, 0.0, out=out)
        out += neg
        return out

    def backward(self, z, a, da, out):
        slope = np.where(z > 0, 1.0, a + self.alpha).astype(da.dtype, copy=False)
        return np.multiply(da, slope, out=out)


class Softplus(Activation):
    name = "softplus"
    needs_z = True

    def forward(self, z, out):
        # log(1 + e^z) = max(z, 0) + log1p(e^-|z|), exact for large |z|.
        tmp = np.abs(z)
        np.negative(tmp, out=tmp)
        np.exp(tmp, out=tmp)
        np.log1p(tmp, out=tmp)
        np.maximum(z, 0.0, out=out)
        out += tmp
        return out

    def backward(self, z, a, da, out):
        return np.multiply(da, _sigmoid(z), out=out)


class Swish(Activation):
    """swish / SiLU: z * sigmoid(z)."""

    name = "swish"
    needs_z = True

    def forward(self, z, out):
        return np.multiply(z, _sigmoid(z), out=out)

    def backward(self, z, a, da, out):
        s = _sigmoid(z)
        slope = s + a * (1.0 - s)  # s + z s (1 - s)
        return np.multiply(da, slope, out=out)


class GELU(Activation):
    """GELU in its tanh form (PyTorch's approximate='tanh'), since NumPy has no erf."""

    name = "gelu"
    needs_z = True

    def forward(self, z, out):
        t = np.tanh(_SQRT_2_OVER_PI * (z + _GELU_C * z**3))
        t += 1.0
        t *= 0.5
        return np.multiply(z, t, out=out)

    def backward(self, z, a, da, out):
        u = _SQRT_2_OVER_PI * (z + _GELU_C * z**3)
        t = np.tanh(u)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_C * z * z)
        slope = 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * du
        return np.multiply(da, slope, out=out)


class Softmax(Activation):
    """Softmax over the last axis; backward applies its full Jacobian.

    When softmax feeds categorical cross-entropy the model skips this backward and
    uses the fused gradient p - y at the logits instead.
    """

    name = "softmax"

    def forward(self, z, out):
        np.subtract(z, z.max(axis=-1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= out.sum(axis=-1, keepdims=True)
        return out

    def backward(self, z, a, da, out):
        # dz_i = a_i (da_i - sum_j da_j a_j)
        dot = (da * a).sum(axis=-1, keepdims=True)
        np.subtract(da, dot, out=out)
        return np.multiply(out, a, out=out)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    out = np.empty_like(z)
    return Sigmoid().forward(z, out)


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls
    for cls in (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softplus, Swish, GELU, Softmax)
}
ALIASES = {"silu": "swish", "identity": "linear", "none": "linear"}


def get_activation(name: str, path: str = "activation") -> Activation:
    key = ALIASES.get(name, name) if isinstance(name, str) else None
    if key not in ACTIVATIONS:
        raise SpecError(
            path,
            f"unknown activation {name!r}; choose one of {', '.join(sorted(ACTIVATIONS))}",
        )
    return ACTIVATIONS[key]()
