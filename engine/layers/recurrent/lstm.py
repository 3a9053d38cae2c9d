"""The lstm layer; the shared machinery and the formulas are in base.py."""

import numpy as np

from .base import Concatenated


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
