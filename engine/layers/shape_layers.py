"""Layers that only rearrange values: flatten and reshape.

Both are views in the forward pass and in the backward pass (no copy) whenever the
array they get is contiguous, which every layer's output is. Order is row-major over
the sample's axes, so flattening an (h, w, c) image lists the channels of each pixel
together, pixel after pixel, as Keras's Flatten does on channels-last images.
"""

import math

from .. import validate as v
from ..errors import SpecError
from .base import Layer
from .config import NAME, Field


class Flatten(Layer):
    type = "flatten"
    description = "Flatten each sample to one axis, row-major: (h, w, c) -> (h·w·c,)."
    fields = (NAME,)

    def compute_output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def forward(self, x, training=False, rng=None):
        self.out = x.reshape(len(x), -1)
        return self.out

    def backward(self, dy, need_dx=True):
        return dy.reshape(len(dy), *self.input_shape) if need_dx else None


class Reshape(Layer):
    type = "reshape"
    description = (
        "Give each sample a new shape with the same number of values (one size "
        "may be -1: inferred), row-major."
    )
    fields = (Field("shape", "shape", "the new shape, without the batch axis"), NAME)

    def compute_output_shape(self, input_shape):
        shape = list(self.config["shape"])
        size = math.prod(input_shape)
        known = math.prod(s for s in shape if s != -1)
        if -1 in shape and size % known == 0:
            shape[shape.index(-1)] = size // known
        if -1 in shape or math.prod(shape) != size:
            raise SpecError(
                v.join(self.path, "shape"),
                f"cannot reshape the input {tuple(input_shape)} ({size} values) "
                f"into {tuple(self.config['shape'])}",
            )
        return tuple(shape)

    def forward(self, x, training=False, rng=None):
        self.out = x.reshape(len(x), *self.output_shape)
        return self.out

    def backward(self, dy, need_dx=True):
        return dy.reshape(len(dy), *self.input_shape) if need_dx else None
