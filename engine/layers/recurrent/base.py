"""Recurrent layers, rnn (Elman), lstm and gru, with PyTorch's formulas and gate order.

x (n, T, features) -> h (n, T, units) with return_sequences, else the last step's
(n, units). The arrays are PyTorch's transposed: W_ih (features, k·units), W_hh (units,
k·units), b_ih and b_hh (k·units,), gate after gate along the columns, k = 1, 4, 3:

    rnn   h_t = act(x_t W_ih + b_ih + h_{t-1} W_hh + b_hh), act tanh or relu
    lstm  [i f g o] = x_t W_ih + b_ih + h_{t-1} W_hh + b_hh; i, f, o sigmoid, g tanh
          c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
    gru   [r z] = sigmoid(x_t W_i[rz] + b_i[rz] + h_{t-1} W_h[rz] + b_h[rz])
          n = tanh(x_t W_in + b_in + r (h_{t-1} W_hn + b_hn));  h_t = (1 - z) n + z h_{t-1}

The initial state is zero; backpropagation runs through the whole window.

What makes it fast (the matrix products are most of the work; NumPy's element-wise
calls cost about 0.5 µs each, and twice as much on strided views):
- buffers are time-major, (T, n, ·), so that a step's slice is one block; the views of
  every step are made once per batch shape;
- rnn and lstm keep [h_{t-1}, x_t, 1] side by side, one row a sample (`hx`), so a step
  is one product with [W_hh; W_ih; b_ih + b_hh] and the weight and bias gradients are
  one product over all n·T rows after the loop; gru, whose n gate keeps h W_hn + b_hn
  apart, projects the inputs of all steps in one product first;
- the activated gates are kept gate-major, (T, gates, n, units), so that the
  element-wise work of a step is on whole blocks; lstm's gates are kept in the order
  o, i, f, g (the sigmoids together, and the three that the cell's gradient multiplies);
- a sigmoid is 0.5·tanh(z/2) + 0.5: the sigmoid columns of the weights are halved
  (working copies; exact, a power of two), and one tanh covers a step's gates.

What the views read (attributes, valid until the next forward or backward):
    h_seq     (n, T, units): every hidden state h_t
    gate_seq  {name: (n, T, units)}: lstm i, f, g, o and the cell state c; gru r, z, n;
              rnn none
    dh_seq    (n, T, units), after a backward: dL/dh_t in total, the gradient from the
              output at t plus the one flowing back from t + 1 (its norm per step shows
              vanishing and exploding gradients)

`step(x_t, state)` runs one time step for a batch through the same cell code as
forward, for sampling character by character.
"""

import math

import numpy as np

from ...errors import SpecError
from ..base import Layer, ParamSpec
from ..config import NAME, TRAINABLE, Field

MAX_UNITS = 65_536


def pytorch_uniform(config: dict) -> dict:
    """uniform(-1/√units, 1/√units), PyTorch's initialization of recurrent layers."""
    bound = 1.0 / math.sqrt(config["units"])
    return {"type": "uniform", "low": -bound, "high": bound}


UNITS = Field("units", "int", "the size of the hidden state", low=1, high=MAX_UNITS)
RETURN_SEQUENCES = Field(
    "return_sequences",
    "bool",
    "true: the hidden state at every step, (time, units); false: the last one, (units,)",
    default=False,
)
INIT = Field(
    "init",
    "initializer",
    "for W_ih and W_hh; default uniform(-1/√units, 1/√units), as PyTorch",
    default=pytorch_uniform,
)
BIAS_INIT = Field(
    "bias_init",
    "initializer",
    "for b_ih and b_hh; default uniform(-1/√units, 1/√units), as PyTorch",
    default=pytorch_uniform,
)


class Recurrent(Layer):
    """What the three share: fields, arrays, shapes and the outline of forward and
    backward. Subclasses set `gates` (PyTorch's column order), `order` (the order of
    their gate-major buffers) and `sigmoid_gates`, and write the loops over time."""

    gates: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    sigmoid_gates: tuple[str, ...] = ()
    gate_names: tuple[str, ...] = ()  # what gate_seq holds
    fields = (UNITS, RETURN_SEQUENCES, INIT, BIAS_INIT, TRAINABLE, NAME)
    has_params = True

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.units = config["units"]
        self.k = len(self.gates)
        self.return_sequences = config["return_sequences"]
        self.init, self.bias_init = config["init"], config["bias_init"]
        u = self.units
        blocks = [self.gates.index(name) for name in self.order]
        self.columns = np.concatenate([np.arange(j * u, (j + 1) * u) for j in blocks])
        """PyTorch's column of each column in `order`; its inverse puts them back."""
        self.inverse = np.argsort(self.columns)
        self.h_seq = self.dh_seq = None
        self.gate_seq: dict[str, np.ndarray] = {}
        self._ws = None
        self._steps: tuple = (None, [])  # (workspace, per-step views), as conv2d's col2im
        self._half: dict[np.dtype, np.ndarray] = {}

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise SpecError(
                self.path,
                f"{self.type} needs (time, features) inputs, received shape {tuple(input_shape)}",
            )
        return (input_shape[0], self.units) if self.return_sequences else (self.units,)

    def param_specs(self):
        f, ku = self.input_shape[-1], self.k * self.units
        return [
            ParamSpec("W_ih", (f, ku), self.init, regularized=True),
            ParamSpec("W_hh", (self.units, ku), self.init, regularized=True),
            ParamSpec("b_ih", (ku,), self.bias_init, regularized=False),
            ParamSpec("b_hh", (ku,), self.bias_init, regularized=False),
        ]

    def output_bytes(self, dtype):
        """A sample's forward buffers (states, gates, inputs), not only its output:
        the server's estimates count a layer's training arrays as a few times this."""
        T, f = self.input_shape
        per_step = (self.k + 3) * self.units + f + 1
        return T * per_step * np.dtype(dtype).itemsize

    def half(self, dtype) -> np.ndarray:
        """(k·units,) in `order`: 0.5 for the columns of sigmoid gates, 1 elsewhere."""
        key = np.dtype(dtype)
        if key not in self._half:
            values = [0.5 if g in self.sigmoid_gates else 1.0 for g in self.order]
            self._half[key] = np.repeat(np.array(values, key), self.units)
        return self._half[key]

    def step_views(self, ws) -> list[tuple]:
        """Each step's views, made once per workspace."""
        if self._steps[0] is not ws:
            T = ws["gates"].shape[0]
            self._steps = (ws, [self.views_at(ws, t) for t in range(T)])
        return self._steps[1]

    def views_at(self, ws, t: int) -> tuple:
        raise NotImplementedError

    def make_workspace(self, lead, dtype):
        n, T = lead
        u, k = self.units, self.k
        ws = {
            "gates": np.empty((T, k, n, u), dtype),  # activated, gate-major, in `order`
            "pre": np.empty((n, k * u), dtype),  # a step's product
            "out": np.empty((n, T, u), dtype),
            "last": np.empty((n, u), dtype),
            "tmp": np.empty((n, u), dtype),
        }
        return ws | self.more_workspace(n, T, dtype)

    def more_workspace(self, n, T, dtype) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def backward_workspace(self, ws) -> None:
        """Gradient buffers, made on the first backward for a batch shape."""
        T, _, n, u = ws["gates"].shape
        f, ku, dtype = self.input_shape[-1], self.k * self.units, ws["gates"].dtype
        ws["dz"] = np.empty((T, n, ku), dtype)  # dL/d(pre-activations), rows of samples
        ws["dh"] = np.empty((T, n, u), dtype)
        ws["dx_t"] = np.empty((T, n, f), dtype)
        ws["dx"] = np.empty((n, T, f), dtype)
        ws["W_hh_t"] = np.empty((ku, u), dtype)  # contiguous: BLAS is faster on it
        ws["W_ih_t"] = np.empty((ku, f), dtype)
        ws["factors"] = np.empty((self.k, n, u), dtype)
        ws |= self.more_backward_workspace(n, T, dtype)

    def more_backward_workspace(self, n, T, dtype) -> dict[str, np.ndarray]:
        return {}

    # -- forward --------------------------------------------------------------------
    def forward(self, x, training=False, rng=None):
        n, T = x.shape[:2]
        ws = self._buffers.get((n, T)) or self.workspace((n, T), x.dtype)
        self._ws = ws
        self.prepare(ws, x)
        self.run(ws)
        h = self.hidden(ws)  # (T, n, units), time-major
        self.h_seq = h.transpose(1, 0, 2)
        self.out = ws["out"] if self.return_sequences else ws["last"]
        np.copyto(self.out, self.h_seq if self.return_sequences else h[-1])
        self.gate_seq = self.gate_views(ws)
        return self.out

    def gate_views(self, ws) -> dict[str, np.ndarray]:
        """The activated gates by name, each (n, T, units) (views)."""
        gates = ws["gates"]
        return {g: gates[:, self.order.index(g)].transpose(1, 0, 2) for g in self.gate_names}

    def prepare(self, ws, x) -> None:
        """Copy x in and make the weight copies the loop multiplies by."""
        raise NotImplementedError

    def run(self, ws) -> None:
        raise NotImplementedError

    def hidden(self, ws) -> np.ndarray:
        """Every h_t, (T, n, units) (a view)."""
        raise NotImplementedError

    # -- backward -------------------------------------------------------------------
    def backward(self, dy, need_dx=True):
        ws = self._ws
        if "dz" not in ws:
            self.backward_workspace(ws)
        self.run_back(ws, dy)
        self.dh_seq = ws["dh"].transpose(1, 0, 2)
        if self.trainable:
            self.weight_gradients(ws)
        if not need_dx:
            return None
        T, n, f = ws["dx_t"].shape
        self.input_gradient(ws, ws["dx_t"].reshape(T * n, f))
        np.copyto(ws["dx"], ws["dx_t"].transpose(1, 0, 2))
        return ws["dx"]

    def output_gradient(self, ws, dy, t: int) -> np.ndarray:
        """ws["dh"][t] made dL/dh_t in total. At the last step it is the output's
        gradient; before it the loop has written there what flows back from t + 1,
        and the output's gradient at t is added (with return_sequences)."""
        dh = ws["dh"][t]
        if t == len(ws["dh"]) - 1:
            np.copyto(dh, dy[:, t] if self.return_sequences else dy)
        elif self.return_sequences:
            dh += dy[:, t]
        return dh

    def run_back(self, ws, dy) -> None:
        """ws["dz"] and ws["dh"] from dy, back through time."""
        raise NotImplementedError

    def weight_gradients(self, ws) -> None:
        raise NotImplementedError

    def input_gradient(self, ws, out: np.ndarray) -> None:
        """dx (T·n, features), time-major."""
        T, n, ku = ws["dz"].shape
        np.matmul(ws["dz"].reshape(T * n, ku), ws["W_ih_t"], out=out)

    # -- one step, for sampling -------------------------------------------------------
    def preactivations(self, x_t: np.ndarray, h: np.ndarray) -> np.ndarray:
        """x_t W_ih + b_ih + h W_hh + b_hh, the sigmoid columns halved, gate-major in
        `order`: (k, n, units)."""
        p = self.params
        a = x_t @ p["W_ih"]
        a += h @ p["W_hh"]
        a += p["b_ih"]
        a += p["b_hh"]
        a = a[:, self.columns]
        a *= self.half(a.dtype)
        return a.reshape(len(a), self.k, self.units).transpose(1, 0, 2)


class Concatenated(Recurrent):
    """rnn and lstm: a step is one product [h_{t-1}, x_t, 1] @ [W_hh; W_ih; b], into
    `pre` (n, k·units), its columns in `order`."""

    def more_workspace(self, n, T, dtype):
        u, f = self.units, self.input_shape[-1]
        hx = np.zeros((T + 1, n, u + f + 1), dtype)  # hx[t] = [h_{t-1}, x_t, 1]
        hx[..., -1] = 1.0
        return {"hx": hx, "W": np.empty((u + f + 1, self.k * u), dtype)}

    def prepare(self, ws, x):
        u, f, p, W = self.units, self.input_shape[-1], self.params, ws["W"]
        np.copyto(ws["hx"][:-1, :, u : u + f], x.transpose(1, 0, 2))
        np.take(p["W_hh"], self.columns, axis=1, out=W[:u])
        np.take(p["W_ih"], self.columns, axis=1, out=W[u : u + f])
        np.add(p["b_ih"][self.columns], p["b_hh"][self.columns], out=W[-1])
        if self.sigmoid_gates:
            W *= self.half(W.dtype)

    def hidden(self, ws):
        return ws["hx"][1:, :, : self.units]

    def backward_workspace(self, ws):
        super().backward_workspace(ws)
        u, f = self.units, self.input_shape[-1]
        ws["dW"] = np.empty((u + f + 1, self.k * u), ws["W"].dtype)

    def transposed_weights(self, ws) -> None:
        """W_hh and W_ih in `order`, transposed and contiguous, for the backward."""
        np.copyto(ws["W_hh_t"], self.params["W_hh"][:, self.columns].T)
        np.copyto(ws["W_ih_t"], self.params["W_ih"][:, self.columns].T)

    def weight_gradients(self, ws):
        """[dW_hh; dW_ih; db] in one product over all n·T rows, then PyTorch's order."""
        T, n, ku = ws["dz"].shape
        u, f, g, dW = self.units, self.input_shape[-1], self.grads, ws["dW"]
        hx = ws["hx"][:-1].reshape(T * n, -1)
        np.matmul(hx.T, ws["dz"].reshape(T * n, ku), out=dW)
        np.take(dW[:u], self.inverse, axis=1, out=g["W_hh"])
        np.take(dW[u : u + f], self.inverse, axis=1, out=g["W_ih"])
        np.take(dW[-1], self.inverse, out=g["b_ih"])
        np.copyto(g["b_hh"], g["b_ih"])
