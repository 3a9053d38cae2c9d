"""Batch normalization over the last axis, as PyTorch's BatchNorm1d/2d compute it.

Every axis but the last is the batch (samples, and pixels or time steps): after a
dense layer the statistics are per unit over (n,), after a convolution per channel
over (n, h, w). With x seen as a matrix (M, C):

    training:   x̂ = (x - mean) / sqrt(var + eps), with the batch's mean and biased
                variance; y = gamma·x̂ + beta; and the running statistics move by
                `momentum` (PyTorch's sense): running = (1 - m)·running + m·batch, the
                variance unbiased (times M / (M - 1); for M = 1 the biased one, 0).
    inference:  the same with running_mean and running_var instead.

gamma and beta are trained (not regularized); running_mean and running_var are state,
saved with the model but not trained. A frozen layer (trainable false) keeps gamma and
beta but still normalizes with, and updates, batch statistics in training, as PyTorch.

Sums over the M rows are matrix-vector products with a vector of ones (BLAS), which
beat NumPy's reductions along the first axis.
"""

import numpy as np

from .base import Layer, ParamSpec
from .config import NAME, TRAINABLE, Field

ONES, ZEROS = {"type": "ones"}, {"type": "zeros"}


class BatchNorm(Layer):
    type = "batchnorm"
    description = (
        "Batch normalization over the last axis (per feature or channel): "
        "batch statistics while training, running statistics in inference."
    )
    fields = (
        Field(
            "momentum",
            "float",
            "how far each batch moves the running statistics "
            "(PyTorch's sense: 0.1 = 10% of the way)",
            default=0.1,
            low=0.0,
            high=1.0,
        ),
        Field(
            "eps",
            "float",
            "added to the variance before its square root",
            default=1e-5,
            low=1e-12,
            high=1.0,
        ),
        TRAINABLE,
        NAME,
    )
    has_params = True
    modes = True

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.momentum, self.eps = config["momentum"], config["eps"]
        self.training = False  # the mode of the last forward
        self.x = None
        self._ws = None

    def param_specs(self):
        c = self.input_shape[-1]
        return [
            ParamSpec("gamma", (c,), ONES, regularized=False),
            ParamSpec("beta", (c,), ZEROS, regularized=False),
        ]

    def state_specs(self):
        c = self.input_shape[-1]
        return [
            ParamSpec("running_mean", (c,), ZEROS, regularized=False),
            ParamSpec("running_var", (c,), ONES, regularized=False),
        ]

    def check_array(self, name, value):
        if name == "running_var" and (value < 0).any():
            return "a variance cannot be negative"
        return None

    def make_workspace(self, lead, dtype):
        rows, c = int(np.prod(lead, dtype=np.int64)), self.input_shape[-1]
        ws = {name: np.empty((rows, c), dtype) for name in ("xhat", "out")}
        ws |= {name: np.empty(c, dtype) for name in ("mean", "var", "scale", "shift")}
        ws["ones"] = np.ones(rows, dtype)
        return ws

    def forward(self, x, training=False, rng=None):
        c = self.input_shape[-1]
        ws = self._ws = self._buffers.get(x.shape[:-1]) or self.workspace(x.shape[:-1], x.dtype)
        x2 = x.reshape(-1, c)
        rows = len(x2)
        xhat, out, ones = ws["xhat"], ws["out"], ws["ones"]
        scale, shift = ws["scale"], ws["shift"]
        gamma, beta = self.params["gamma"], self.params["beta"]
        if training:
            mean, var = ws["mean"], ws["var"]
            np.dot(ones, x2, out=mean)
            mean *= 1.0 / rows
            np.subtract(x2, mean, out=xhat)
            np.multiply(xhat, xhat, out=out)  # out as scratch
            np.dot(ones, out, out=var)
            var *= 1.0 / rows
            np.add(var, self.eps, out=scale)
            np.sqrt(scale, out=scale)
            np.reciprocal(scale, out=scale)  # 1 / std, kept for backward
            xhat *= scale
            np.multiply(xhat, gamma, out=out)
            out += beta
            m = self.momentum
            running_mean, running_var = self.state["running_mean"], self.state["running_var"]
            running_mean *= 1.0 - m
            running_mean += m * mean
            running_var *= 1.0 - m
            running_var += (m * rows / max(rows - 1, 1)) * var
        else:
            # y = x·(gamma / std) + (beta - mean·gamma / std), two passes over x
            np.add(self.state["running_var"], self.eps, out=scale)
            np.sqrt(scale, out=scale)
            np.reciprocal(scale, out=scale)
            np.multiply(gamma, scale, out=shift)
            np.multiply(x2, shift, out=out)
            np.multiply(self.state["running_mean"], shift, out=shift)
            np.subtract(beta, shift, out=shift)
            out += shift
        self.training, self.x = training, x2
        self.out = out.reshape(x.shape)
        return self.out

    def backward(self, dy, need_dx=True):
        ws = self._ws
        c = self.input_shape[-1]
        if "dx" not in ws:
            for name in ("dx", "tmp"):
                ws[name] = np.empty_like(ws["out"])
            for name in ("dgamma", "dbeta", "g"):
                ws[name] = np.empty(c, ws["out"].dtype)
        dy2 = dy.reshape(-1, c)
        rows = len(dy2)
        ones, xhat, dx, tmp, g = ws["ones"], ws["xhat"], ws["dx"], ws["tmp"], ws["g"]
        if not self.training:  # x̂ from the running statistics, for dgamma
            np.subtract(self.x, self.state["running_mean"], out=xhat)
            xhat *= ws["scale"]
        dgamma = self.grads["gamma"] if self.trainable else ws["dgamma"]
        dbeta = self.grads["beta"] if self.trainable else ws["dbeta"]
        np.dot(ones, dy2, out=dbeta)
        np.multiply(dy2, xhat, out=tmp)
        np.dot(ones, tmp, out=dgamma)
        if not need_dx:
            return None
        np.multiply(self.params["gamma"], ws["scale"], out=g)  # gamma / std
        if not self.training:
            return np.multiply(dy2, g, out=dx).reshape(dy.shape)
        # dx = gamma / std / M · (M·dy - sum(dy) - x̂·sum(dy·x̂))
        np.multiply(dy2, rows, out=dx)
        dx -= dbeta
        np.multiply(xhat, dgamma, out=tmp)
        dx -= tmp
        g *= 1.0 / rows
        dx *= g
        return dx.reshape(dy.shape)
