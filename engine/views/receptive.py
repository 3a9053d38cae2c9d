"""The receptive field of one pixel of a layer's output: the box of input pixels it
depends on, and for a convolution or a pooling the arithmetic that makes it (the patch
of the layer's input, the kernel, their products, the sum and the activation)."""

import numpy as np

from ..errors import SpecError
from ..layers.config import Field, pair
from .base import View
from .images import SPLIT, one_input

SPATIAL_IDENTITY = {"activation", "dropout", "batchnorm", "dense"}
WINDOWED = {"conv2d", "maxpool2d", "avgpool2d"}


def window(layer) -> tuple[int, int, int, int, int, int]:
    """(kh, kw, sh, sw, pad_top, pad_left) of a convolution or pooling layer, from the
    layer's own geometry (its padding rule is written once, in the layer)."""
    kh, kw = layer.kernel if layer.type == "conv2d" else layer.pool
    sh, sw = layer.stride
    pads = getattr(layer, "pads", ((0, 0), (0, 0)))
    return kh, kw, sh, sw, pads[0][0], pads[1][0]


def receptive_box(layers, index: int, y: int, x: int) -> tuple[int, int, int, int]:
    """(top, left, bottom, right), inclusive, in input pixels (may reach into padding)."""
    y0 = y1 = y
    x0 = x1 = x
    for layer in reversed(layers[: index + 1]):
        if layer.type in WINDOWED:
            kh, kw, sh, sw, top, left = window(layer)
            y0, y1 = y0 * sh - top, y1 * sh - top + kh - 1
            x0, x1 = x0 * sw - left, x1 * sw - left + kw - 1
        elif layer.type == "upsample2d":
            fh, fw = pair(layer.config["size"])
            y0, y1, x0, x1 = y0 // fh, y1 // fh, x0 // fw, x1 // fw
        elif layer.type not in SPATIAL_IDENTITY or len(layer.output_shape) != 3:
            raise SpecError(
                "layer",
                f"layer {layer.name} ({layer.type}) is not a map of "
                f"pixels; choose a convolution, pooling or a layer "
                f"between them",
            )
    return y0, x0, y1, x1


def receptive_field(s, layer, y: int, x: int, channel: int, sample, split: str, image) -> dict:
    model = s.model
    index, target = model.layer(layer, "layer")
    shape = target.output_shape
    if len(shape) != 3:
        raise SpecError(
            "layer",
            f"layer {target.name} ({target.type}) outputs shape {list(shape)}, not a map of pixels",
        )
    for name, value, size in (
        ("y", y, shape[0]),
        ("x", x, shape[1]),
        ("channel", channel, shape[2]),
    ):
        if value >= size:
            raise SpecError(
                name,
                f"must be below {size} for layer {target.name} (output "
                f"{list(shape)}), received {value}",
            )
    inputs, label = one_input(s, sample, split, image)
    with np.errstate(all="ignore"):
        outs = model.forward_all(inputs)
    top, left, bottom, right = receptive_box(model.layers, index, y, x)
    image_h, image_w = model.input_shape[:2]
    out = {
        "layer": target.name,
        "type": target.type,
        "index": index,
        "y": y,
        "x": x,
        "channel": channel,
        "label": label,
        "box": {
            "top": top,
            "left": left,
            "bottom": bottom,
            "right": right,
            "clipped": {
                "top": max(top, 0),
                "left": max(left, 0),
                "bottom": min(bottom, image_h - 1),
                "right": min(right, image_w - 1),
            },
        },
        "output": float(outs[index][0, y, x, channel]),
    }
    if target.type in WINDOWED:
        layer_input = outs[index - 1][0] if index else inputs[0]
        kh, kw, sh, sw, pad_top, pad_left = window(target)
        patch = _patch(layer_input, y * sh - pad_top, x * sw - pad_left, kh, kw)
        if target.type == "conv2d":
            kernel = target.params["W"][:, :, :, channel]
            products = patch * kernel
            bias = float(target.params["b"][channel])
            out.update(
                patch=patch,
                kernel=kernel.copy(),
                products=products,
                bias=bias,
                sum=float(products.sum()),
                preactivation=float(products.sum()) + bias,
                activation=target.config["activation"],
            )
        else:
            values = patch[:, :, channel]
            out.update(patch=values, operation="max" if target.type == "maxpool2d" else "mean")
    return out


def _patch(a: np.ndarray, top: int, left: int, kh: int, kw: int) -> np.ndarray:
    """a[top:top+kh, left:left+kw] with zeros where the window leaves `a` (padding)."""
    h, w, c = a.shape
    patch = np.zeros((kh, kw, c), a.dtype)
    y0, y1 = max(top, 0), min(top + kh, h)
    x0, x1 = max(left, 0), min(left + kw, w)
    if y0 < y1 and x0 < x1:
        patch[y0 - top : y1 - top, x0 - left : x1 - left] = a[y0:y1, x0:x1]
    return patch


def has_maps(s) -> bool:
    return any(len(layer.output_shape) == 3 for layer in s.model.layers)


VIEWS = [
    View(
        "receptive_field",
        "for one pixel of a layer's output: the input pixels it sees and, "
        "for a convolution, the kernel × patch arithmetic",
        ("image",),
        (
            Field("layer", "layer", "the layer (name or index)"),
            Field("y", "int", "row of the layer's output", low=0),
            Field("x", "int", "column of the layer's output", low=0),
            Field("channel", "int", "channel (filter) of the layer's output", default=0, low=0),
            Field("sample", "int", "sample index (default 0)", default=None, low=0, optional=True),
            SPLIT,
            Field(
                "image", "array", "a posted image instead of a sample", default=None, optional=True
            ),
        ),
        receptive_field,
        fits=has_maps,
    ),
]
