"""A training step for a stack of dense layers, with every buffer bound in advance.

For a small network a step is a few dozen NumPy calls on tiny arrays, and the Python
around them (looking up a batch shape's buffers, keyword arguments, branches, keeping
each layer's last batch) cost about as much as the calls themselves. A plan does that
work once per batch size: it runs the same NumPy calls, in the same order, on the
same buffers as `Model.backprop`, so the results are bit for bit the same.

It covers the common case the session trains: every layer dense and trainable, the
inputs 2-D and already carrying the ones column (see `Dense`), and the source of the
batch loss written into the training log's slot. Anything else takes the general path.
"""

import numpy as np

from .layers import Dense
from .losses import Loss


def plan_applies(model) -> bool:
    return all(isinstance(layer, Dense) and layer.trainable for layer in model.layers)


class DensePlan:
    """`Model.backprop(x, y, loss, fused, augmented=True, source_into=into)` for batches
    of `rows` rows, on the layers' own buffers for that batch shape."""

    def __init__(self, model, rows: int, loss: Loss, fused: bool):
        self.loss, self.fused = loss, fused
        layers = model.layers
        ws = [layer.workspace((rows,), model.dtype) for layer in layers]
        for layer, w in zip(layers, ws, strict=True):
            layer._ws = w
            layer.backward_workspace()
        # forward of each hidden layer: (Wb, z, activation's forward or None, a, a_aug)
        self.hidden = [
            (
                layer.Wb,
                w["z"],
                None if layer.activation == "linear" else layer.act.forward,
                w["a"],
                w["a_aug"],
            )
            for layer, w in zip(layers[:-1], ws[:-1], strict=True)
        ]
        last, w = layers[-1], ws[-1]
        self.last = (
            last.Wb,
            last.act,
            last.activation == "linear",
            w["z"],
            w["a"],
            w["dz"],
            w["dloss"],
            last.gWb,
        )
        self.last_dx = (last.params["W"].T, w["dx"]) if len(layers) > 1 else None
        # backward of each hidden layer, the last one first: (activation's backward or
        # None, z, a, dz, x_aug.T or None for the batch itself, gWb, (W.T, dx) or None)
        self.back = []
        for index in range(len(layers) - 2, -1, -1):
            layer, w = layers[index], ws[index]
            self.back.append(
                (
                    None if layer.activation == "linear" else layer.act.backward,
                    w["z"],
                    w["a"],
                    w["dz"],
                    ws[index - 1]["a_aug"].T if index else None,
                    layer.gWb,
                    (layer.params["W"].T, w["dx"]) if index else None,
                )
            )

    def run(self, x: np.ndarray, y: np.ndarray, into: np.ndarray) -> np.ndarray:
        """One batch's forward and backward; gradients land in the model's flat vector.
        Returns `into`, where the logits (fused loss) or the outputs were written."""
        dot = np.dot
        a_in = x
        for Wb, z, forward, a, a_aug in self.hidden:
            dot(a_in, Wb, z)
            if forward is None:
                a[...] = z
            else:
                forward(z, a)
            a_in = a_aug
        Wb, act, linear, z, a, dz_buf, dloss, gWb = self.last
        if self.fused:
            dot(a_in, Wb, into)
            act.forward(into, a)
            dz = np.subtract(a, y, out=dloss)
            dz *= 1.0 / self.loss.count(a)
        else:
            z = into if linear else z
            dot(a_in, Wb, z)
            if not linear:
                act.forward(z, into)
            dy = self.loss.grad(into, y)
            dz = dy if linear else act.backward(z, into, dy, dz_buf)
        dot(a_in.T, dz, gWb)
        if self.last_dx is not None:
            dy = dot(dz, self.last_dx[0], self.last_dx[1])
        for backward, z, a, dz_buf, x_T, gWb, dx in self.back:
            dz = dy if backward is None else backward(z, a, dy, dz_buf)
            dot(x.T if x_T is None else x_T, dz, gWb)
            if dx is not None:
                dy = dot(dz, dx[0], dx[1])
        return into
