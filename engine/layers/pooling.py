"""Pooling over the height and width of channels-last images.

A pool_size (ph, pw) window moves by `stride` (default: the pool size, so windows do
not overlap). Padding is always "valid": windows that do not fit are dropped, so the
output is floor((h - ph) / sh) + 1 high, as PyTorch and Keras compute it, and the rows
and columns left over get a zero gradient.

Both poolings see the window as its ph·pw strided views of x, one per offset in the
window, each of the output's shape: a forward pass is ph·pw element-wise operations
(np.maximum, or additions), with no copy of the windows.

Max pooling sends each window's gradient to the first of its maxima in row-major order
(PyTorch's choice), which matters: after a ReLU, or over a blank background, windows
are often full of equal values.
"""

import numpy as np

from .. import validate as v
from ..errors import SpecError
from .base import Layer
from .config import MAX_SIDE, NAME, Field, pair
from .conv2d import image_input

POOL_FIELDS = (
    Field(
        "pool_size",
        "pair",
        "the window: an integer for a square, or [rows, columns]",
        default=2,
        low=1,
        high=MAX_SIDE,
    ),
    Field(
        "stride",
        "pair",
        "the step between windows (default: the pool size)",
        default=None,
        low=1,
        high=MAX_SIDE,
        optional=True,
    ),
    NAME,
)


class Pool2D(Layer):
    """What both poolings share: the window geometry and its views."""

    fields = POOL_FIELDS

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.pool = pair(config["pool_size"])
        self.stride = pair(config["stride"]) if config.get("stride") is not None else self.pool
        self.overlapping = self.stride[0] < self.pool[0] or self.stride[1] < self.pool[1]
        self.x = None
        self._views: tuple = (None, [])
        self._dx_views: tuple = (None, [])
        self._ws = None

    def compute_output_shape(self, input_shape):
        h, w, c = image_input(self, input_shape)
        (ph, pw), (sh, sw) = self.pool, self.stride
        if ph > h or pw > w:
            raise SpecError(
                v.join(self.path, "pool_size"), f"pool {ph}×{pw} is larger than the input {h}×{w}"
            )
        return ((h - ph) // sh + 1, (w - pw) // sw + 1, c)

    def offsets(self, x: np.ndarray) -> list[np.ndarray]:
        """For each offset (i, j) in the window, in row-major order, the view of x
        (n, oh, ow, c) holding every window's element at that offset."""
        (ph, pw), (sh, sw) = self.pool, self.stride
        oh, ow = self.output_shape[:2]
        return [
            x[:, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw]
            for i in range(ph)
            for j in range(pw)
        ]

    def input_offsets(self, x: np.ndarray) -> list[np.ndarray]:
        """`offsets(x)`, kept while the same array comes back (the previous layer's
        buffer, batch after batch)."""
        if self._views[0] is not x:
            self._views = (x, self.offsets(x))
        return self._views[1]

    def make_workspace(self, lead, dtype):
        return {"out": np.empty((*lead, *self.output_shape), dtype)}

    def dx_offsets(self, dx: np.ndarray) -> list[np.ndarray]:
        """`offsets(dx)` of the input gradient, kept while the batch shape stays
        (workspaces hold arrays only)."""
        if self._dx_views[0] is not dx:
            self._dx_views = (dx, self.offsets(dx))
        return self._dx_views[1]

    def dx_workspace(self) -> dict[str, np.ndarray]:
        """The input gradient (zero where no window reaches) and its offset views."""
        ws = self._ws
        if "dx" not in ws:
            n = ws["out"].shape[0]
            ws["dx"] = np.zeros((n, *self.input_shape), ws["out"].dtype)
            ws["tmp"] = np.empty_like(ws["out"])
            ws["hit"] = np.empty(ws["out"].shape, bool)
            ws["free"] = np.empty(ws["out"].shape, bool)
        return ws

    def combine(self, x, ufunc) -> np.ndarray:
        """`ufunc` folded over the window's offsets, into this batch shape's output."""
        ws = self._ws = self._buffers.get(x.shape[:1]) or self.workspace(x.shape[:1], x.dtype)
        views = self.input_offsets(x)
        out = ws["out"]
        if len(views) == 1:
            np.copyto(out, views[0])
        else:
            ufunc(views[0], views[1], out=out)
            for view in views[2:]:
                ufunc(out, view, out=out)
        return out


class MaxPool2D(Pool2D):
    type = "maxpool2d"
    description = (
        "Max pooling: each window's largest value, per channel (valid windows "
        "only: what does not fit a whole window is dropped)."
    )

    def forward(self, x, training=False, rng=None):
        out = self.combine(x, np.maximum)
        self.x, self.out = x, out
        return out

    def backward(self, dy, need_dx=True):
        if not need_dx:
            return None
        ws = self._ws if "dx" in self._ws else self.dx_workspace()
        views, out = self.input_offsets(self.x), ws["out"]
        targets = self.dx_offsets(ws["dx"])
        # per window: `hit`, this offset holds its first maximum; `free`, no maximum at
        # the offsets before (so the last offset takes what is still free)
        hit, free = ws["hit"], ws["free"]
        last = len(views) - 1
        if self.overlapping:
            ws["dx"].fill(0.0)
        for k, (view, target) in enumerate(zip(views, targets)):
            if k == last:
                mask = free if k else None
            else:
                np.equal(view, out, out=hit)
                if k == 0:
                    np.logical_not(hit, out=free)
                else:
                    np.logical_and(hit, free, out=hit)
                    np.logical_xor(free, hit, out=free)
                mask = hit
            if mask is None:
                np.copyto(target, dy)
            elif self.overlapping:
                np.multiply(dy, mask, out=ws["tmp"])
                target += ws["tmp"]
            else:
                np.multiply(dy, mask, out=target)
        return ws["dx"]


class AvgPool2D(Pool2D):
    type = "avgpool2d"
    description = (
        "Average pooling: each window's mean, per channel (valid windows only: "
        "what does not fit a whole window is dropped)."
    )

    def forward(self, x, training=False, rng=None):
        out = self.combine(x, np.add)
        area = self.pool[0] * self.pool[1]
        if area > 1:
            out *= 1.0 / area
        self.x, self.out = x, out
        return out

    def backward(self, dy, need_dx=True):
        if not need_dx:
            return None
        ws = self._ws if "dx" in self._ws else self.dx_workspace()
        targets = self.dx_offsets(ws["dx"])
        share = np.multiply(dy, 1.0 / len(targets), out=ws["tmp"])
        if self.overlapping:
            ws["dx"].fill(0.0)
            for target in targets:
                target += share
        else:
            for target in targets:
                np.copyto(target, share)
        return ws["dx"]


class GlobalAvgPool2D(Layer):
    type = "global_avgpool2d"
    description = (
        "Global average pooling: each channel's mean over the whole image, (h, w, c) -> (c,)."
    )
    fields = (NAME,)

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self._ws = None

    def compute_output_shape(self, input_shape):
        return image_input(self, input_shape)[2:]

    def make_workspace(self, lead, dtype):
        return {"out": np.empty((*lead, self.input_shape[2]), dtype)}

    def forward(self, x, training=False, rng=None):
        ws = self._ws = self._buffers.get(x.shape[:1]) or self.workspace(x.shape[:1], x.dtype)
        h, w, c = self.input_shape
        out = np.sum(x.reshape(len(x), h * w, c), axis=1, out=ws["out"])
        out *= 1.0 / (h * w)
        self.out = out
        return out

    def backward(self, dy, need_dx=True):
        if not need_dx:
            return None
        ws = self._ws
        if "dx" not in ws:
            ws["dx"] = np.empty((len(ws["out"]), *self.input_shape), ws["out"].dtype)
        h, w = self.input_shape[:2]
        return np.multiply(dy[:, None, None, :], 1.0 / (h * w), out=ws["dx"])
