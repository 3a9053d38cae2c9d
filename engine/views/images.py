"""Views of an image classifier: the data as a grid, every layer's output for one
image, each convolution's kernels, the confusion matrix and the misclassified images.

Everything runs in inference mode (dropout off, batch norm on its running statistics).
Arrays are returned as NumPy arrays; the server decides how they travel.
"""

import numpy as np

from .. import validate as v
from ..data.inline import inline_X
from ..errors import SpecError
from ..layers.config import Field
from .base import View, sample_index

SPLIT = Field(
    "split", "choice", "which part of the data", default="train", choices=("train", "test")
)
TEST_SPLIT = Field(
    "split", "choice", "which part of the data", default="test", choices=("train", "test")
)
MAX_CELL_SAMPLES = 50


def split_arrays(s, split: str) -> tuple[np.ndarray, np.ndarray]:
    """(model inputs, class indices) of a split."""
    d = s.data
    X, labels = (d.X_train, d.labels_train) if split == "train" else (d.X_test, d.labels_test)
    return X, labels.reshape(len(labels), -1)[:, 0].astype(np.int64)


def class_names(s) -> list[str]:
    names = getattr(s.data, "class_names", None)
    if names:
        return list(names)
    return [str(i) for i in range(int(s.model.output_shape[-1]))]


def one_input(s, sample: int | None, split: str, image) -> tuple[np.ndarray, int | None]:
    """The model input for a sample index or a posted image, and its label if known."""
    if image is not None:
        return fit_image(image, s.model.input_shape, "image")[None].astype(s.dtype), None
    X, labels = split_arrays(s, split)
    sample = sample_index(len(X), sample, split)
    return X[sample : sample + 1], int(labels[sample])


def fit_image(image, shape: tuple[int, ...], path: str) -> np.ndarray:
    """A posted image at the model's input size: as it is, or averaged down by whole
    blocks (a 64×64 drawing for an 8×8 model: each 8×8 block becomes one pixel).
    Grey images may come as (h, w)."""
    arr = inline_X([image], path)[0]
    if arr.ndim == 2 and shape[-1] == 1:
        arr = arr[..., None]
    h, w, c = shape
    factor = arr.shape[0] // h if arr.ndim == 3 else 0
    if not (1 <= factor <= 64 and arr.shape == (h * factor, w * factor, c)):
        raise SpecError(
            path,
            f"must be an image of shape {list(shape)}, or a whole multiple of its height "
            f"and width, received shape {list(arr.shape)}",
        )
    if factor > 1:
        arr = arr.reshape(h, factor, w, factor, c).mean(axis=(1, 3))
    return arr


MAX_SAMPLES = 512


def samples(s, split: str, start: int, count: int, indices) -> dict:
    """A page of images (`start`, `count`), or the images at `indices` (a confusion
    cell's, which may lie anywhere in the split)."""
    X, labels = split_arrays(s, split)
    if indices is None:
        picked = np.arange(start, min(len(X), start + count))
    else:
        picked = _indices(indices, len(X), split)
    return {
        "split": split,
        "start": start,
        "total": len(X),
        "indices": picked.tolist(),
        "images": X[picked],
        "labels": labels[picked].tolist(),
        "class_names": class_names(s),
    }


def _indices(value, n: int, split: str) -> np.ndarray:
    ok = (
        isinstance(value, list)
        and len(value) <= MAX_SAMPLES
        and all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n for i in value)
    )
    if not ok:
        raise SpecError(
            "indices",
            f"must be a list of at most {MAX_SAMPLES} sample indices "
            f"below {n} (the {split} split's size), received "
            f"{v.describe(value)}",
        )
    return np.array(value, dtype=np.int64)


def feature_maps(s, sample: int | None, split: str, image) -> dict:
    x, label = one_input(s, sample, split, image)
    with np.errstate(all="ignore"):
        outs = s.model.forward_all(x)
    layers = [
        {
            "name": layer.name,
            "type": layer.type,
            "shape": list(layer.output_shape),
            "values": out[0],
            "min": float(np.nanmin(out)),
            "max": float(np.nanmax(out)),
        }
        for layer, out in zip(s.model.layers, outs, strict=True)
    ]
    probabilities = outs[-1][0]
    return {
        "sample": None if image is not None else (sample or 0),
        "split": split,
        "input": x[0],
        "label": label,
        "layers": layers,
        "probabilities": probabilities.tolist(),
        "predicted": int(np.argmax(probabilities)),
        "class_names": class_names(s),
    }


def filters(s) -> dict:
    out = []
    for layer in s.model.layers:
        if layer.type == "conv2d":
            W, b = layer.params["W"], layer.params["b"]
            out.append(
                {
                    "name": layer.name,
                    "shape": list(W.shape),
                    "W": W.copy(),
                    "b": b.tolist(),
                    "min": float(W.min()),
                    "max": float(W.max()),
                }
            )
    return {"layers": out}


def predictions(s, split: str) -> np.ndarray:
    """The model's outputs on a split, kept until the weights change (a confusion matrix
    and the misclassified images both need them, at every snapshot)."""
    cache = s.prediction_cache  # shared with twins in other threads: read once, then set
    key = (split, s.step_count, s.weights_version)
    out = cache.get(key)
    if out is None:
        X, _ = split_arrays(s, split)
        with np.errstate(all="ignore"):
            out = s.objective.predict(X) if len(X) else np.zeros((0, 1))
        cache.clear()
        cache[key] = out
    return out


def confusion(s, split: str) -> dict:
    _, labels = split_arrays(s, split)
    out = predictions(s, split)
    k = len(class_names(s))
    predicted = out.argmax(axis=1) if len(out) else np.zeros(0, np.int64)
    matrix = np.zeros((k, k), np.int64)
    np.add.at(matrix, (np.clip(labels, 0, k - 1), predicted), 1)
    cells = [[[] for _ in range(k)] for _ in range(k)]
    for index, (truth, guess) in enumerate(zip(labels.tolist(), predicted.tolist())):
        cell = cells[min(truth, k - 1)][guess]
        if len(cell) < MAX_CELL_SAMPLES:
            cell.append(index)
    total = int(matrix.sum())
    return {
        "split": split,
        "class_names": class_names(s),
        "matrix": matrix.tolist(),
        "samples": cells,
        "accuracy": float(np.trace(matrix) / total) if total else None,
        "step": s.step_count,
    }


def misclassified(s, split: str, limit: int) -> dict:
    X, labels = split_arrays(s, split)
    out = predictions(s, split)
    if not len(out):
        return {
            "split": split,
            "indices": [],
            "labels": [],
            "predicted": [],
            "probabilities": [],
            "images": np.zeros((0, *s.model.input_shape)),
            "total": 0,
            "class_names": class_names(s),
        }
    predicted = out.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    order = wrong[np.argsort(-out[wrong, predicted[wrong]], kind="stable")][:limit]
    return {
        "split": split,
        "total": len(wrong),
        "indices": order.tolist(),
        "labels": labels[order].tolist(),
        "predicted": predicted[order].tolist(),
        "probabilities": out[order],
        "images": X[order],
        "class_names": class_names(s),
    }


def has_conv(s) -> bool:
    return any(layer.type == "conv2d" for layer in s.model.layers)


def classifier(s) -> bool:
    return s.data.task == "classification"


IMAGE = ("image",)
VIEWS = [
    View(
        "samples",
        "a page of the data's images with their labels",
        IMAGE,
        (
            SPLIT,
            Field("start", "int", "first sample", default=0, low=0),
            Field("count", "int", "how many", default=64, low=1, high=MAX_SAMPLES),
            Field(
                "indices",
                "array",
                "these samples instead of a page (at most 512)",
                default=None,
                optional=True,
            ),
        ),
        samples,
        objectives=("supervised", "reconstruction", "adversarial"),  # a GAN's real images
    ),
    View(
        "feature_maps",
        "every layer's output for one image (a sample, or a posted image)",
        IMAGE,
        (
            Field("sample", "int", "sample index (default 0)", default=None, low=0, optional=True),
            SPLIT,
            Field(
                "image",
                "array",
                "an image of the input's shape, or a whole multiple "
                "of its size (averaged down), instead of a sample",
                default=None,
                optional=True,
            ),
        ),
        feature_maps,
    ),
    View(
        "filters",
        "each convolution's kernels, W (kh, kw, in_channels, filters)",
        IMAGE,
        (),
        filters,
        fits=has_conv,
    ),
    View(
        "confusion",
        "true class × predicted class counts, with the samples in each cell",
        IMAGE,
        (TEST_SPLIT,),
        confusion,
        fits=classifier,
    ),
    View(
        "misclassified",
        "the images the model gets wrong, most confident first",
        IMAGE,
        (TEST_SPLIT, Field("limit", "int", "at most this many", default=24, low=1, high=256)),
        misclassified,
        fits=classifier,
    ),
]
