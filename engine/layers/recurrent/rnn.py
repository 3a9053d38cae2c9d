"""The rnn layer; the shared machinery and the formulas are in base.py."""

import numpy as np

from ..config import NAME, TRAINABLE, Field
from .base import BIAS_INIT, INIT, RETURN_SEQUENCES, UNITS, Concatenated


class RNN(Concatenated):
    type = "rnn"
    description = (
        "Elman recurrent layer (PyTorch's nn.RNN): "
        "h_t = act(x_t·W_ih + b_ih + h_{t-1}·W_hh + b_hh)."
    )
    gates = order = ("h",)
    fields = (
        UNITS,
        Field(
            "activation",
            "choice",
            "the nonlinearity, as nn.RNN's",
            default="tanh",
            choices=("tanh", "relu"),
        ),
        RETURN_SEQUENCES,
        INIT,
        BIAS_INIT,
        TRAINABLE,
        NAME,
    )

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.activation = config["activation"]

    def act(self, a: np.ndarray, out: np.ndarray) -> None:
        if self.activation == "tanh":
            np.tanh(a, out=out)
        else:
            np.maximum(a, 0.0, out=out)

    def views_at(self, ws, t):
        return ws["hx"][t], ws["hx"][t + 1, :, : self.units]

    def run(self, ws):
        W, pre = ws["W"], ws["pre"]
        for hx, h in self.step_views(ws):
            np.matmul(hx, W, out=pre)
            self.act(pre, h)

    def run_back(self, ws, dy):
        self.transposed_weights(ws)
        h_all, dz, dh_all, W_t = self.hidden(ws), ws["dz"], ws["dh"], ws["W_hh_t"]
        slope = ws["tmp"]
        for t in range(len(dz) - 1, -1, -1):
            dh = self.output_gradient(ws, dy, t)
            if self.activation == "tanh":  # 1 - h²
                np.multiply(h_all[t], h_all[t], out=slope)
                np.subtract(1.0, slope, out=slope)
            else:
                np.greater(h_all[t], 0.0, out=slope)
            np.multiply(dh, slope, out=dz[t])
            if t:
                np.matmul(dz[t], W_t, out=dh_all[t - 1])

    def step(self, x_t, state=None):
        """One time step: x_t (n, features), state h (n, units) or None for zeros ->
        (h, h), new arrays."""
        h = np.zeros((len(x_t), self.units), x_t.dtype) if state is None else state
        out = np.empty_like(h)
        self.act(self.preactivations(x_t, h)[0], out)
        return out, out
