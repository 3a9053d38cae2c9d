"""Nearest-neighbour upsampling of channels-last images.

Each pixel becomes a (sh, sw) block of copies: (h, w, c) -> (h·sh, w·sw, c). The output
seen as (h, sh, w, sw, c) is x broadcast over the two block axes, so the forward pass
is one broadcasting copy and the backward pass one sum over those axes.
"""

import numpy as np

from .base import Layer
from .config import MAX_SIDE, NAME, Field, pair
from .conv2d import image_input


class UpSample2D(Layer):
    type = "upsample2d"
    description = "Nearest-neighbour upsampling: each pixel repeated into a size[0]×size[1] block."
    fields = (
        Field(
            "size",
            "pair",
            "the factor: an integer for both axes, or [rows, columns]",
            default=2,
            low=1,
            high=MAX_SIDE,
        ),
        NAME,
    )

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.size = pair(config["size"])
        self._ws = None

    def compute_output_shape(self, input_shape):
        h, w, c = image_input(self, input_shape)
        return (h * self.size[0], w * self.size[1], c)

    def make_workspace(self, lead, dtype):
        (n,), (h, w, c), (sh, sw) = lead, self.input_shape, self.size
        out = np.empty((n, *self.output_shape), dtype)
        return {"out": out, "blocks": out.reshape(n, h, sh, w, sw, c)}

    def forward(self, x, training=False, rng=None):
        ws = self._ws = self._buffers.get(x.shape[:1]) or self.workspace(x.shape[:1], x.dtype)
        np.copyto(ws["blocks"], x[:, :, None, :, None, :])
        self.out = ws["out"]
        return self.out

    def backward(self, dy, need_dx=True):
        if not need_dx:
            return None
        ws = self._ws
        if "dx" not in ws:
            ws["dx"] = np.empty((len(ws["out"]), *self.input_shape), ws["out"].dtype)
        (h, w, c), (sh, sw) = self.input_shape, self.size
        return np.sum(dy.reshape(len(dy), h, sh, w, sw, c), axis=(2, 4), out=ws["dx"])
