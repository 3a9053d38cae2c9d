"""Fully connected layer with its activation fused in: a = f(x·W + b).

x has shape (..., inputs), W (inputs, units), b (units,), as the course writes it.
W and b sit one after the other in the model's flat vector, so together they are the
block [W; b] of shape (inputs + 1, units), and x·W + b = [x, 1]·[W; b]: one matrix
product forward and one backward (it yields dW and db together) instead of four
operations. `input_augmented` means the caller hands over x with the ones column
already appended (the previous dense layer wrote it so); `output_augmented` means this
layer returns its output with a ones column for the next one.

Fusing the activation saves a layer's worth of Python calls per step, and lets the
model hand the output layer the fused loss gradient at the pre-activation z.
"""

import numpy as np

from ..activations import get_activation
from .base import Layer, ParamSpec
from .config import BIAS_INIT, NAME, TRAINABLE, Field, activation_field, init_field

MAX_UNITS = 1_000_000


class Dense(Layer):
    type = "dense"
    description = (
        "Fully connected: a = activation(x·W + b) on the last axis (at every "
        "position of an image or a sequence)."
    )
    fields = (
        Field(
            "units",
            "int",
            "neurons (outputs); the output layer of text or series data may leave it "
            "out, and then has one unit a character (text) or a step ahead (series)",
            default=None,
            low=1,
            high=MAX_UNITS,
            optional=True,
        ),
        activation_field(),
        init_field(),
        BIAS_INIT,
        TRAINABLE,
        NAME,
    )
    has_params = True

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.units = config["units"]
        self.act = get_activation(config["activation"])
        self.activation = self.act.name
        self.init, self.bias_init = config["init"], config["bias_init"]
        self.x = self.z = self.a = None
        self._ws = None
        self.input_augmented = False
        self.output_augmented = False

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def param_specs(self):
        n_in = self.input_shape[-1]
        return [
            ParamSpec("W", (n_in, self.units), self.init, regularized=True),
            ParamSpec("b", (self.units,), self.bias_init, regularized=False),
        ]

    def bind(self, params, grads, flat_params, flat_grads):
        super().bind(params, grads, flat_params, flat_grads)
        block = (self.input_shape[-1] + 1, self.units)
        self.Wb, self.gWb = flat_params.reshape(block), flat_grads.reshape(block)

    def make_workspace(self, lead, dtype):
        n_in, units = self.input_shape[-1], self.units
        ws = {"z": np.empty((*lead, units), dtype)}
        if not self.input_augmented:
            ws["x_aug"] = np.ones((*lead, n_in + 1), dtype)
        if self.output_augmented:
            ws["a_aug"] = np.ones((*lead, units + 1), dtype)
            ws["a"] = ws["a_aug"][..., :units]
        elif self.activation != "linear":
            ws["a"] = np.empty((*lead, units), dtype)
        else:
            ws["a"] = ws["z"]
        return ws

    def forward(self, x, training=False, rng=None, *, augmented=False, z_into=None, a_into=None):
        """a = f([x, 1]·[W; b]).

        The keywords let a training loop save copies: `augmented` says x already
        carries the ones column; `z_into` / `a_into` are arrays (C-contiguous, the
        right shape) to write z / a into instead of this layer's own buffers.
        """
        ws = self._buffers.get(x.shape[:-1]) or self.workspace(x.shape[:-1], x.dtype)
        self._ws = ws
        if self.input_augmented or augmented:
            x_aug = x
        else:
            x_aug = ws["x_aug"]
            x_aug[..., :-1] = x
        if z_into is not None:
            z = z_into
        elif a_into is not None and self.activation == "linear":
            z = a_into
        else:
            z = ws["z"]
        if z.ndim == 2:
            np.dot(x_aug, self.Wb, z)  # np.dot costs less per call than matmul on 2-D
        else:
            np.matmul(x_aug, self.Wb, out=z)
        if self.activation == "linear":
            a = z
            if self.output_augmented:
                ws["a"][...] = z
        else:
            a = ws["a"] if a_into is None else a_into
            self.act.forward(z, a)
        self.x, self.z, self.a, self.out = x_aug, z, a, a
        return ws["a_aug"] if self.output_augmented else a

    def backward_workspace(self) -> dict[str, np.ndarray]:
        """Gradient buffers, made on the first backward for a batch shape: a shape that is
        only ever evaluated (a test set, a boundary grid) never pays for them."""
        ws = self._ws
        if "dx" not in ws:
            z = ws["z"]
            ws["dz"], ws["dloss"] = np.empty_like(z), np.empty_like(z)
            ws["dx"] = np.empty((*z.shape[:-1], self.input_shape[-1]), z.dtype)
        return ws

    def backward(self, dy, need_dx=True, at_preactivation=False):
        """`at_preactivation`: dy is already dL/dz (the fused loss gradient)."""
        ws = self._ws if "dx" in self._ws else self.backward_workspace()
        if at_preactivation or self.activation == "linear":
            dz = dy
        else:
            dz = self.act.backward(self.z, self.a, dy, ws["dz"])
        if self.trainable:
            x_aug = self.x
            if dz.ndim == 2:
                np.dot(x_aug.T, dz, self.gWb)
            else:
                np.matmul(
                    x_aug.reshape(-1, x_aug.shape[-1]).T, dz.reshape(-1, self.units), out=self.gWb
                )
        if not need_dx:
            return None
        if dz.ndim == 2 and dz.flags.c_contiguous:
            return np.dot(dz, self.params["W"].T, ws["dx"])
        return np.matmul(dz, self.params["W"].T, out=ws["dx"])


class ActivationLayer(Layer):
    """A stand-alone activation, for models written layer by layer (Keras style)."""

    type = "activation"
    description = "An activation on its own, applied element-wise (Keras's Activation)."
    fields = (Field("activation", "activation", "the function to apply"), NAME)

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.act = get_activation(config["activation"])
        self.activation = self.act.name
        self.z = self.a = None
        self._ws = None

    def make_workspace(self, lead, dtype):
        shape = (*lead, *self.input_shape[-1:])
        return {name: np.empty(shape, dtype) for name in ("a", "dz", "dloss")}

    def backward_workspace(self):
        return self._ws

    def forward(self, x, training=False, rng=None):
        ws = self._ws = self.workspace(x.shape[:-1], x.dtype)
        a = self.act.forward(x, ws["a"])
        self.z, self.a, self.out = x, a, a
        return a

    def backward(self, dy, need_dx=True, at_preactivation=False):
        if at_preactivation:
            return dy
        return self.act.backward(self.z, self.a, dy, self._ws["dz"])
