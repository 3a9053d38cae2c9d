"""The gru layer; the shared machinery and the formulas are in base.py."""

import numpy as np

from .base import Recurrent


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
