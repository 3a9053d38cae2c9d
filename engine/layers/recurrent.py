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

from ..errors import SpecError
from .base import Layer, ParamSpec
from .config import NAME, TRAINABLE, Field

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


class LSTM(Concatenated):
    type = "lstm"
    description = (
        "Long short-term memory (PyTorch's nn.LSTM): input, forget and output gates "
        "and a cell state c; h_t = o·tanh(c_t)."
    )
    gates = ("i", "f", "g", "o")
    order = ("o", "i", "f", "g")
    sigmoid_gates = ("i", "f", "o")
    gate_names = ("i", "f", "g", "o")

    def more_workspace(self, n, T, dtype):
        u = self.units
        return super().more_workspace(n, T, dtype) | {
            "c": np.zeros((T + 1, n, u), dtype),  # c[0] is the initial state, zeros
            "tanh_c": np.empty((T, n, u), dtype),
        }

    def views_at(self, ws, t):
        c, hx, gates = ws["c"], ws["hx"], ws["gates"][t]
        return hx[t], gates, c[t], c[t + 1], ws["tanh_c"][t], hx[t + 1, :, : self.units]

    def run(self, ws):
        W, pre, tmp = ws["W"], ws["pre"], ws["tmp"]
        pre_gates = pre.reshape(len(pre), 4, self.units).transpose(1, 0, 2)
        for hx, gates, c_prev, c, tanh_c, h in self.step_views(ws):
            np.matmul(hx, W, out=pre)
            self.cell(pre_gates, gates, c_prev, c, tanh_c, h, tmp)

    @staticmethod
    def cell(pre, gates, c_prev, c, tanh_c, h, tmp) -> None:
        """pre (4, n, units): the step's pre-activations o, i, f, g, the sigmoid ones
        halved; writes the activated gates, c, tanh(c) and h."""
        np.tanh(pre, out=gates)
        sigmoids = gates[:3]
        sigmoids *= 0.5
        sigmoids += 0.5
        o, i, f, g = gates
        np.multiply(f, c_prev, out=c)
        np.multiply(i, g, out=tmp)
        c += tmp
        np.tanh(c, out=tanh_c)
        np.multiply(o, tanh_c, out=h)

    def gate_views(self, ws):
        return super().gate_views(ws) | {"c": ws["c"][1:].transpose(1, 0, 2)}

    def more_backward_workspace(self, n, T, dtype):
        u = self.units
        return {"dc": np.empty((n, u), dtype), "dc_next": np.empty((n, u), dtype)}

    def run_back(self, ws, dy):
        """Per step, with σ' = σ(1 - σ): dz_o = dh·tanh(c)·σ'(o), dc = dh·o·(1 -
        tanh²c) + dc_next, dz_i = dc·g·σ'(i), dz_f = dc·c_prev·σ'(f), dz_g = dc·i·(1 -
        g²), dc_next = dc·f, dh_{t-1} = dz W_hh^T."""
        self.transposed_weights(ws)
        u, dz, dh_all, W_t = self.units, ws["dz"], ws["dh"], ws["W_hh_t"]
        T, n = dz.shape[:2]
        fac, dc, dc_next = ws["factors"], ws["dc"], ws["dc_next"]
        fo, fi, ff, fg = fac
        c_all, tanh_all, gates_all = ws["c"], ws["tanh_c"], ws["gates"]
        for t in range(T - 1, -1, -1):
            dh = self.output_gradient(ws, dy, t)
            gates, tanh_c = gates_all[t], tanh_all[t]
            o, i, f, g = gates
            np.subtract(1.0, gates[:3], out=fac[:3])
            fac[:3] *= gates[:3]
            np.multiply(g, g, out=fg)
            np.subtract(1.0, fg, out=fg)
            fo *= tanh_c
            fi *= g
            ff *= c_all[t]
            fg *= i
            np.multiply(tanh_c, tanh_c, out=dc)
            np.subtract(1.0, dc, out=dc)
            dc *= o
            dc *= dh
            if t < T - 1:
                dc += dc_next
            dz_gates = dz[t].reshape(n, 4, u).transpose(1, 0, 2)
            np.multiply(dh, fo, out=dz_gates[0])
            np.multiply(dc, fac[1:], out=dz_gates[1:])
            if t:
                np.multiply(dc, f, out=dc_next)
                np.matmul(dz[t], W_t, out=dh_all[t - 1])

    def step(self, x_t, state=None):
        """One time step: x_t (n, features), state (h, c) or None for zeros ->
        (h, (h, c)), new arrays."""
        if state is None:
            state = (np.zeros((len(x_t), self.units), x_t.dtype),) * 2
        h_prev, c_prev = state
        c, tanh_c, h, tmp = (np.empty_like(h_prev) for _ in range(4))
        gates = np.empty((4, *h_prev.shape), h_prev.dtype)
        self.cell(self.preactivations(x_t, h_prev), gates, c_prev, c, tanh_c, h, tmp)
        return h, (h, c)


class GRU(Recurrent):
    type = "gru"
    description = (
        "Gated recurrent unit (PyTorch's nn.GRU): reset and update gates r, z; "
        "h_t = (1 - z)·n + z·h_{t-1}."
    )
    gates = order = gate_names = ("r", "z", "n")
    sigmoid_gates = ("r", "z")

    def more_workspace(self, n, T, dtype):
        u, f = self.units, self.input_shape[-1]
        x = np.empty((T, n, f + 1), dtype)  # with a column of ones
        x[..., -1] = 1.0
        return {
            "x": x,
            "xp": np.empty((T, n, 3 * u), dtype),  # x_t W_ih + biases, r and z halved
            "h": np.zeros((T + 1, n, u), dtype),  # h[0] is the initial state, zeros
            "hn": np.empty((T, n, u), dtype),  # h_{t-1} W_hn + b_hn
            "W_x": np.empty((f + 1, 3 * u), dtype),  # [W_ih; b_ih + (b_hr, b_hz, 0)]
            "W_hh": np.empty((u, 3 * u), dtype),
        }

    def prepare(self, ws, x):
        u, f, p, W_x = self.units, self.input_shape[-1], self.params, ws["W_x"]
        half = self.half(W_x.dtype)
        np.copyto(ws["x"][..., :f], x.transpose(1, 0, 2))
        np.multiply(p["W_ih"], half, out=W_x[:f])
        np.add(p["b_ih"], p["b_hh"], out=W_x[f])
        W_x[f, 2 * u :] = p["b_ih"][2 * u :]
        W_x[f] *= half
        np.multiply(p["W_hh"], half, out=ws["W_hh"])
        T, n = x.shape[1], x.shape[0]
        np.matmul(ws["x"].reshape(T * n, f + 1), W_x, out=ws["xp"].reshape(T * n, 3 * u))

    def hidden(self, ws):
        return ws["h"][1:]

    def views_at(self, ws, t):
        u, n = self.units, ws["h"].shape[1]
        xp = ws["xp"][t].reshape(n, 3, u).transpose(1, 0, 2)
        return ws["h"][t], xp, ws["gates"][t], ws["hn"][t], ws["h"][t + 1]

    def run(self, ws):
        W, pre, tmp, b_hn = ws["W_hh"], ws["pre"], ws["tmp"], self.params["b_hh"][2 * self.units :]
        pre_gates = pre.reshape(len(pre), 3, self.units).transpose(1, 0, 2)
        for h_prev, xp, gates, hn, h in self.step_views(ws):
            np.matmul(h_prev, W, out=pre)
            self.cell(xp, pre_gates, b_hn, gates, hn, h_prev, h, tmp)

    @staticmethod
    def cell(xp, hh, b_hn, gates, hn, h_prev, h, tmp) -> None:
        """xp, hh (3, n, units): x_t W_ih + biases and h_{t-1} W_hh, r and z halved;
        writes the activated gates r, z, n, hn = h_{t-1} W_hn + b_hn and h."""
        rz = gates[:2]
        np.add(xp[:2], hh[:2], out=rz)
        np.tanh(rz, out=rz)
        rz *= 0.5
        rz += 0.5
        r, z, n = gates
        np.add(hh[2], b_hn, out=hn)
        np.multiply(r, hn, out=tmp)
        np.add(tmp, xp[2], out=n)
        np.tanh(n, out=n)
        np.subtract(h_prev, n, out=tmp)  # h = n + z (h_prev - n)
        tmp *= z
        np.add(n, tmp, out=h)

    def more_backward_workspace(self, n, T, dtype):
        u = self.units
        return {
            "dn": np.empty((T, n, u), dtype),  # dL/d(n's pre-activation): the input side
            "carry": np.empty((n, u), dtype),
            "ones": np.ones(T * n, dtype),
            "dW_x": np.empty((self.input_shape[-1] + 1, 3 * u), dtype),
        }

    def run_back(self, ws, dy):
        """ws["dz"] holds dL/d(r, z, hn), the recurrent side, ws["dn"] the input side of
        n; per step: dn = dh·(1 - z)(1 - n²), dz_z = dh·(h_prev - n)·σ'(z), dz_r =
        dn·hn·σ'(r), dhn = dn·r, dh_{t-1} = dz W_hh^T + dh·z."""
        u, dz, dn, dh_all = self.units, ws["dz"], ws["dn"], ws["dh"]
        np.copyto(ws["W_hh_t"], self.params["W_hh"].T)
        T, n = dz.shape[:2]
        W_t, carry, fac = ws["W_hh_t"], ws["carry"], ws["factors"]
        f_r, f_z, f_n = fac
        for t in range(T - 1, -1, -1):
            dh = self.output_gradient(ws, dy, t)
            gates, h_prev, hn = ws["gates"][t], ws["h"][t], ws["hn"][t]
            r, z, n_gate = gates
            dz_gates = dz[t].reshape(n, 3, u).transpose(1, 0, 2)
            np.subtract(1.0, gates[:2], out=fac[:2])  # 1 - r, 1 - z
            np.multiply(n_gate, n_gate, out=f_n)
            np.subtract(1.0, f_n, out=f_n)
            f_n *= f_z
            np.multiply(dh, f_n, out=dn[t])
            f_z *= z
            np.subtract(h_prev, n_gate, out=carry)
            f_z *= carry
            np.multiply(dh, f_z, out=dz_gates[1])
            f_r *= r
            f_r *= hn
            np.multiply(dn[t], f_r, out=dz_gates[0])
            np.multiply(dn[t], r, out=dz_gates[2])
            if t:
                back = dh_all[t - 1]
                np.matmul(dz[t], W_t, out=back)
                np.multiply(dh, z, out=carry)
                back += carry

    def weight_gradients(self, ws):
        T, n, ku = ws["dz"].shape
        u, f, g, dW_x = self.units, self.input_shape[-1], self.grads, ws["dW_x"]
        dz = ws["dz"].reshape(T * n, ku)
        x = ws["x"].reshape(T * n, f + 1)
        np.matmul(ws["h"][:T].reshape(T * n, u).T, dz, out=g["W_hh"])
        np.matmul(ws["ones"], dz, out=g["b_hh"])
        np.matmul(x.T, dz[:, : 2 * u], out=dW_x[:, : 2 * u])
        np.matmul(x.T, ws["dn"].reshape(T * n, u), out=dW_x[:, 2 * u :])
        np.copyto(g["W_ih"], dW_x[:f])
        np.copyto(g["b_ih"], dW_x[f])

    def input_gradient(self, ws, out):
        T, n, _ = ws["dz"].shape
        u = self.units
        W_t = ws["W_ih_t"]
        np.copyto(W_t, self.params["W_ih"].T)
        np.matmul(ws["dz"].reshape(T * n, -1)[:, : 2 * u], W_t[: 2 * u], out=out)
        out += ws["dn"].reshape(T * n, u) @ W_t[2 * u :]

    def step(self, x_t, state=None):
        """One time step: x_t (n, features), state h (n, units) or None for zeros ->
        (h, h), new arrays."""
        h_prev = np.zeros((len(x_t), self.units), x_t.dtype) if state is None else state
        p, u, half = self.params, self.units, self.half(x_t.dtype)
        xp = x_t @ p["W_ih"]
        xp += p["b_ih"]
        xp[:, : 2 * u] += p["b_hh"][: 2 * u]
        xp *= half
        hh = h_prev @ p["W_hh"]
        hh *= half
        n = len(x_t)
        hn, h, tmp = (np.empty_like(h_prev) for _ in range(3))
        gates = np.empty((3, n, u), h_prev.dtype)
        self.cell(
            xp.reshape(n, 3, u).transpose(1, 0, 2),
            hh.reshape(n, 3, u).transpose(1, 0, 2),
            p["b_hh"][2 * u :],
            gates,
            hn,
            h_prev,
            h,
            tmp,
        )
        return h, h
