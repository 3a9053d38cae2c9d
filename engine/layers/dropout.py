"""Inverted dropout: while training, each value is kept with probability 1 - rate and
scaled by 1 / (1 - rate), so that inference (which keeps everything, unscaled) sees the
same expected activations.

The mask comes from the `rng` (a np.random.Generator) that training passes to forward:
a value is kept where its uniform draw u = rng.random(x.shape, dtype) is at least
`rate`. A session draws from its own seeded dropout stream, so runs are reproducible,
and a test can rebuild the mask from a copy of the generator's state.
"""

import numpy as np

from .. import validate as v
from ..errors import SpecError
from .base import Layer
from .config import NAME, Field


class Dropout(Layer):
    type = "dropout"
    description = (
        "Inverted dropout: while training, zero each value with probability "
        "`rate` and scale the rest by 1 / (1 - rate); inference passes values through."
    )
    fields = (
        Field(
            "rate",
            "float",
            "the probability of dropping a value, in [0, 1)",
            default=0.5,
            low=0.0,
            high=1.0,
        ),
        NAME,
    )
    uses_rng = True
    modes = True

    def __init__(self, config, path="layer"):
        super().__init__(config, path)
        self.rate = config["rate"]
        if self.rate >= 1.0:
            raise SpecError(
                v.join(path, "rate"),
                f"must be below 1 (1 would drop every value), received {self.rate!r}",
            )
        self.mask = None  # the last training forward's scaled mask, None when off
        self._ws = None

    def make_workspace(self, lead, dtype):
        return {name: np.empty(lead, dtype) for name in ("u", "mask", "out", "dx")} | {
            "keep": np.empty(lead, bool)
        }

    def forward(self, x, training=False, rng=None):
        if not training or self.rate == 0.0:
            self.mask, self.out = None, x
            return x
        if rng is None:
            raise ValueError(
                f"{self.path}: dropout needs the rng (a np.random.Generator) "
                "to draw its mask while training"
            )
        ws = self._ws = self._buffers.get(x.shape) or self.workspace(x.shape, x.dtype)
        u, keep, mask = ws["u"], ws["keep"], ws["mask"]
        rng.random(out=u, dtype=u.dtype)
        np.greater_equal(u, self.rate, out=keep)
        np.multiply(keep, 1.0 / (1.0 - self.rate), out=mask)
        self.mask = mask
        self.out = np.multiply(x, mask, out=ws["out"])
        return self.out

    def backward(self, dy, need_dx=True):
        if not need_dx:
            return None
        if self.mask is None:
            return dy
        return np.multiply(dy, self.mask, out=self._ws["dx"])
