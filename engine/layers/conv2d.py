"""2-D convolution on channels-last images, its activation fused in as dense does.

x (n, h, w, c) -> a (n, oh, ow, filters) with W (kh, kw, c, filters) and b (filters,).
Like dense, W and b are one block [W; b] of shape (kh·kw·c + 1, filters) in the model's
flat vector, and the windows of x are laid out as the columns of a matrix with a row of
ones (im2col), so the forward pass is one copy and one matrix product, and the kernel
and bias gradients are one matrix product.

im2col is a single strided copy (a view of the padded input with the windows as axes)
into a buffer kept per batch shape. Of its two layouts the copy is faster for the one
whose contiguous runs are longer: rows of windows (n·oh·ow, kh·kw·c) when a window row
(kw·c values) is longer than an output row, else the transpose (kh·kw·c, n·oh·ow); the
matrix products take either (BLAS reads a transposed operand as it is).

The input gradient is one batched product, dz (N, filters) times W's (filters, c) slice
at every kernel offset, and then col2im: each offset's (n, oh, ow, c) block added into
a zero padded buffer, kh·kw additions whose contiguous runs are whole output rows.

Padding: "valid" (none), an integer p (p rows and columns on every side), or "same" as
TensorFlow/Keras have it: the output is ceil(h / stride) high, and an odd total (even
kernels) puts the extra row at the bottom and the extra column at the right.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import validate as v
from ..activations import get_activation
from ..errors import SpecError
from .base import Layer, ParamSpec
from .config import BIAS_INIT, MAX_SIDE, NAME, TRAINABLE, Field, activation_field, init_field, pair

MAX_FILTERS = 65_536
MAX_COLS = 1 << 22
"""Values of one im2col buffer in inference; larger batches are computed in chunks."""


def image_input(layer: Layer, input_shape: tuple[int, ...]) -> tuple[int, int, int]:
    """(h, w, c), or SpecError at the layer when the input is not an image."""
    if len(input_shape) != 3:
        raise SpecError(
            layer.path,
            f"{layer.type} needs (height, width, channels) inputs, "
            f"received shape {tuple(input_shape)}",
        )
    return input_shape


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """(before, after) as TensorFlow pads "same": the output is ceil(size / stride)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def windows(
    x: np.ndarray,
    kernel: tuple[int, int],
    stride: tuple[int, int],
    out_hw: tuple[int, int],
    rows_major: bool,
) -> np.ndarray:
    """A view of x (n, h, w, c) with the windows as axes: (n, oh, ow, kh, kw, c) when
    `rows_major`, else (kh, kw, c, n, oh, ow). No copy."""
    (kh, kw), (sh, sw), (oh, ow) = kernel, stride, out_hw
    n, c = x.shape[0], x.shape[3]
    s_n, s_h, s_w, s_c = x.strides
    if rows_major:
        shape = (n, oh, ow, kh, kw, c)
        strides = (s_n, s_h * sh, s_w * sw, s_h, s_w, s_c)
    else:
        shape = (kh, kw, c, n, oh, ow)
        strides = (s_h, s_w, s_c, s_n, s_h * sh, s_w * sw)
    if x.flags.c_contiguous:  # cheaper to make than as_strided's view
        return np.ndarray(shape, x.dtype, x, 0, strides)
    return as_strided(x, shape, strides, writeable=False)


class Conv2D(Layer):
    type = "conv2d"
    description = (
        "2-D convolution: a = activation(W ∗ x + b), each filter sliding over "
        "the image's height and width across all its channels."
    )
    fields = (
        Field("filters", "int", "output channels (feature maps)", low=1, high=MAX_FILTERS),
        Field(
            "kernel_size",
            "pair",
            "the window: an integer for a square, or [rows, columns]",
            low=1,
            high=MAX_SIDE,
        ),
        Field("stride", "pair", "the step between windows", default=1, low=1, high=MAX_SIDE),
        Field(
            "padding",
            "padding",
            '"valid" (none), "same" (the output is '
            "ceil(size / stride); an odd total goes to the "
            "bottom and right, as TensorFlow) or an integer "
            "(that many zeros on every side)",
            default="valid",
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
        self.filters = config["filters"]
        self.kernel = pair(config["kernel_size"])
        self.stride = pair(config["stride"])
        self.padding = config["padding"]
        self.act = get_activation(config["activation"])
        self.activation = self.act.name
        self.init, self.bias_init = config["init"], config["bias_init"]
        self.pads = ((0, 0), (0, 0))
        self.padded = False
        self.overlapping = self.stride[0] < self.kernel[0] or self.stride[1] < self.kernel[1]
        self.rows_major = True  # the im2col layout, see the module's docstring
        self.x = self.z = self.a = None
        self._ws = None
        self._col2im: tuple = (None, [])

    def compute_output_shape(self, input_shape):
        h, w, c = image_input(self, input_shape)
        (kh, kw), (sh, sw) = self.kernel, self.stride
        if self.padding == "same":
            self.pads = (same_padding(h, kh, sh), same_padding(w, kw, sw))
        elif isinstance(self.padding, int):
            self.pads = ((self.padding,) * 2, (self.padding,) * 2)
        hp, wp = h + sum(self.pads[0]), w + sum(self.pads[1])
        self.padded = (hp, wp) != (h, w)
        if kh > hp or kw > wp:
            what = "padded input" if self.padded else "input"
            raise SpecError(
                v.join(self.path, "kernel_size"),
                f"kernel {kh}×{kw} is larger than the {what} {hp}×{wp}",
            )
        oh, ow = (hp - kh) // sh + 1, (wp - kw) // sw + 1
        self.rows_major = kw * c > ow
        return (oh, ow, self.filters)

    def param_specs(self):
        kh, kw = self.kernel
        c = self.input_shape[-1]
        return [
            ParamSpec("W", (kh, kw, c, self.filters), self.init, regularized=True),
            ParamSpec("b", (self.filters,), self.bias_init, regularized=False),
        ]

    def bind(self, params, grads, flat_params, flat_grads):
        super().bind(params, grads, flat_params, flat_grads)
        kh, kw = self.kernel
        k = kh * kw * self.input_shape[-1]
        self.Wb = flat_params.reshape(k + 1, self.filters)
        self.gWb = flat_grads.reshape(k + 1, self.filters)

    # -- buffers ------------------------------------------------------------------
    def make_workspace(self, lead, dtype):
        if lead[0] == "chunked":  # the whole output of a batch computed in chunks
            z = np.empty((lead[1], *self.output_shape), dtype)
            return {"z": z, "a": z if self.activation == "linear" else np.empty_like(z)}
        (n,), (h, w, c), (oh, ow, f) = lead, self.input_shape, self.output_shape
        (kh, kw), ((top, bottom), (left, right)) = self.kernel, self.pads
        k, rows = kh * kw * c, n * oh * ow
        ws = {}
        if self.padded:
            xp = ws["xp"] = np.zeros((n, h + top + bottom, w + left + right, c), dtype)
            ws["xp_inner"] = xp[:, top : top + h, left : left + w]
            ws["src"] = windows(xp, self.kernel, self.stride, (oh, ow), self.rows_major)
        if self.rows_major:
            cols = np.empty((rows, k + 1), dtype)
            cols[:, k] = 1.0
            ws["cols_t"] = cols.T
            ws["dst"] = cols[:, :k].reshape(n, oh, ow, kh, kw, c)
        else:
            cols = np.empty((k + 1, rows), dtype)
            cols[k] = 1.0
            ws["cols_t"] = cols
            ws["dst"] = cols[:k].reshape(kh, kw, c, n, oh, ow)
        ws["z"] = np.empty((rows, f), dtype)
        ws["a"] = ws["z"] if self.activation == "linear" else np.empty((rows, f), dtype)
        ws["z4"], ws["a4"] = ws["z"].reshape(n, oh, ow, f), ws["a"].reshape(n, oh, ow, f)
        return ws

    def backward_workspace(self) -> dict[str, np.ndarray]:
        """Gradient buffers, made on the first backward for a batch shape."""
        ws = self._ws
        if ws is None:
            raise RuntimeError(
                f"{self.path}: backward needs a forward of the same batch "
                "first, in training mode or small enough to be one piece"
            )
        if "dloss" not in ws:
            ws["dz"] = np.empty_like(ws["z"])
            ws["dloss"] = np.empty_like(ws["z4"])
        return ws

    def _dx_workspace(self, ws) -> None:
        """The input gradient's buffers (a first layer never needs them)."""
        (h, w, c), (oh, ow, f) = self.input_shape, self.output_shape
        kh, kw = self.kernel
        ((top, bottom), (left, right)) = self.pads
        n = ws["z4"].shape[0]
        dtype = ws["z"].dtype
        ws["Wt"] = np.empty((kh * kw, f, c), dtype)
        ws["dcols"] = np.empty((kh * kw, n * oh * ow, c), dtype)
        dxp = ws["dxp"] = np.zeros((n, h + top + bottom, w + left + right, c), dtype)
        ws["dx"] = dxp[:, top : top + h, left : left + w]

    def col2im_pairs(self, ws) -> list[tuple[np.ndarray, np.ndarray]]:
        """(the view of the padded input gradient under kernel offset (i, j), that
        offset's block of dcols), for every offset; kept while the batch shape stays
        (workspaces hold arrays only)."""
        dxp = ws["dxp"]
        if self._col2im[0] is not dxp:
            (oh, ow, _), c = self.output_shape, self.input_shape[-1]
            (kh, kw), (sh, sw) = self.kernel, self.stride
            blocks = ws["dcols"].reshape(kh, kw, len(dxp), oh, ow, c)
            self._col2im = (
                dxp,
                [
                    (
                        dxp[:, i : i + sh * (oh - 1) + 1 : sh, j : j + sw * (ow - 1) + 1 : sw],
                        blocks[i, j],
                    )
                    for i in range(kh)
                    for j in range(kw)
                ],
            )
        return self._col2im[1]

    # -- computing ----------------------------------------------------------------
    def forward(self, x, training=False, rng=None):
        n = x.shape[0]
        if not training and n > 1:
            per_sample = self.gWb.shape[0] * self.output_shape[0] * self.output_shape[1]
            chunk = max(1, MAX_COLS // per_sample)
            if n > chunk:
                return self._forward_chunked(x, chunk)
        return self._forward(x)

    def _forward(self, x):
        ws = self._buffers.get(x.shape[:1]) or self.workspace(x.shape[:1], x.dtype)
        self._ws = ws
        if self.padded:
            np.copyto(ws["xp_inner"], x)
            src = ws["src"]
        else:
            src = windows(x, self.kernel, self.stride, self.output_shape[:2], self.rows_major)
        np.copyto(ws["dst"], src)
        z = ws["z"]
        np.dot(ws["cols_t"].T, self.Wb, out=z)
        if self.activation != "linear":
            self.act.forward(z, ws["a"])
        self.x, self.z, self.a = x, ws["z4"], ws["a4"]
        self.out = self.a
        return self.a

    def _forward_chunked(self, x, chunk: int) -> np.ndarray:
        """Inference on a large batch, `chunk` samples at a time, so that the im2col
        buffer stays within MAX_COLS values. There is no backward for it."""
        whole = self.workspace(("chunked", len(x)), x.dtype)
        z, a = whole["z"], whole["a"]
        for start in range(0, len(x), chunk):
            part = slice(start, start + chunk)
            a[part] = self._forward(x[part])
            if a is not z:
                z[part] = self.z
        self.x, self.z, self.a, self.out = x, z, a, a
        self._ws = None
        return a

    def backward(self, dy, need_dx=True, at_preactivation=False):
        """`at_preactivation`: dy is already dL/dz (the fused loss gradient)."""
        ws = self._ws
        if ws is None or "dloss" not in ws:
            ws = self.backward_workspace()
        z = ws["z"]
        dy = dy.reshape(z.shape)
        if at_preactivation or self.activation == "linear":
            dz = dy
        else:
            dz = self.act.backward(z, ws["a"], dy, ws["dz"])
        if self.trainable:
            np.dot(ws["cols_t"], dz, out=self.gWb)
        if not need_dx:
            return None
        if "dxp" not in ws:
            self._dx_workspace(ws)
        kh, kw = self.kernel
        W = self.params["W"].reshape(kh * kw, self.input_shape[-1], self.filters)
        np.copyto(ws["Wt"], W.transpose(0, 2, 1))
        np.matmul(dz, ws["Wt"], out=ws["dcols"])
        pairs = self.col2im_pairs(ws)
        if self.overlapping:
            ws["dxp"].fill(0.0)
            for target, block in pairs:
                target += block
        else:  # each input pixel in at most one window: the rest stays zero
            for target, block in pairs:
                np.copyto(target, block)
        return ws["dx"]
