"""The 2-D playground's views, also reachable by their own routes (boundary,
activations): the output and each neuron's over a grid of the plane, and every layer's
values for given points or a sample."""

import numpy as np

from ..layers.config import Field
from .base import View, sample_index


def boundary(s, resolution: int) -> dict:
    return s.boundary(resolution)


def activations(s, sample, split: str, inputs) -> dict:
    if inputs is None:
        points = s.data.points_train if split == "train" else s.data.points_test
        sample = sample_index(len(points), sample, split)
        inputs = points[sample : sample + 1]
    arrays = s.activations(inputs)
    return {
        "inputs": np.asarray(inputs, dtype=np.float64),
        "features": arrays[0],
        "layers": arrays[1:],
    }


def two_d(s) -> bool:
    return s.data.view is not None and s.data.points_train.shape[1] == 2


VIEWS = [
    View(
        "boundary",
        "the output and every neuron's over an N×N grid of the plane",
        ("points",),
        (Field("resolution", "int", "N", default=50, low=2, high=1000),),
        boundary,
        fits=two_d,
        detached=False,
    ),  # its grids and shadow models are cached
    View(
        "activations",
        "every layer's values for points, or for one sample",
        ("points", "table"),
        (
            Field("sample", "int", "sample index", default=None, low=0, optional=True),
            Field(
                "split",
                "choice",
                "which part of the data",
                default="train",
                choices=("train", "test"),
            ),
            Field("inputs", "array", "raw points, one a row", default=None, optional=True),
        ),
        activations,
    ),
]
