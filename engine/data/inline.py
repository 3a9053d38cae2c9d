"""Arrays given inline in a spec: their limits, their shape, and what that shape says.

An inline X's rank says what its samples are: (n, features) a table (2 features: points
on the plane), (n, time, features) sequences, (n, h, w, c) images. Grey images are
(n, h, w, 1): a rank-3 array is never guessed to be images.
"""

from collections.abc import Mapping

import numpy as np

from ..errors import SpecError
from .arrays import MAX_VALUES, decode_array, envelope_shape
from .csv_text import parse_csv
from .registry import DATASETS

MAX_INLINE_SAMPLES = 100_000
MAX_INLINE_FEATURES = 10_000  # columns of a rank-2 X; other ranks are bounded by MAX_VALUES
MAX_INLINE_VALUES = MAX_VALUES


def modality_for(shape: tuple[int, ...]) -> str:
    """What one sample of this shape is: points, table, sequence or image."""
    if len(shape) == 3:
        return "image"
    if len(shape) == 2:
        return "sequence"
    return "points" if tuple(shape) == (2,) else "table"


def inline_X(value, path: str) -> np.ndarray:
    """Inline inputs of any rank up to images; a flat list is one feature per sample."""
    arr = decode_array(value, path, MAX_INLINE_SAMPLES, MAX_INLINE_VALUES)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim == 2 and arr.shape[1] > MAX_INLINE_FEATURES:
        raise SpecError(
            path,
            f"at most {MAX_INLINE_SAMPLES} rows and {MAX_INLINE_FEATURES} "
            f"columns, received shape {arr.shape}",
        )
    return arr


def matrix(value, path: str, max_cols: int) -> np.ndarray:
    """A non-empty (rows, columns) float64 matrix of finite numbers; a flat list is a column."""
    arr = decode_array(value, path, MAX_INLINE_SAMPLES, MAX_INLINE_VALUES, max_rank=2)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[1] > max_cols:
        raise SpecError(
            path,
            f"at most {MAX_INLINE_SAMPLES} rows and {max_cols} columns, received shape {arr.shape}",
        )
    return arr


def sample_array(value, path: str, shape: tuple[int, ...]) -> np.ndarray:
    """Inputs to look at (predict, activations): samples of exactly `shape`, any rank;
    grey images may come as (h, w) for (h, w, 1)."""
    arr = inline_X(value, path)
    if len(shape) == 3 and shape[-1] == 1 and arr.shape[1:] == tuple(shape[:2]):
        arr = arr[..., None]
    if arr.shape[1:] != tuple(shape):
        raise SpecError(
            path,
            f"each input must have shape {tuple(shape)}, received "
            f"{arr.shape[1:]} (all inputs: {arr.shape})",
        )
    return arr


def data_shape(spec: Mapping) -> tuple[int, tuple[int, ...]]:
    """(samples, one raw sample's shape) of a normalized data spec, without drawing it
    and, for envelopes, without decoding: what a server checks against its limits."""
    name = spec["dataset"]
    if name == "inline":
        X = spec["X"]
        if isinstance(X, Mapping):
            shape = envelope_shape(X, "data.X")
            return shape[0], shape[1:] or (1,)
        return len(X), _nested_shape(X[0]) if X else ()
    if name == "csv":
        X, _, _ = parse_csv(spec["csv"], spec["targets"], "data.csv")
        return X.shape[0], X.shape[1:]
    params = spec.get("params") or {}
    if name == "text":
        return len(spec["text"]) // params["seq_len"], (params["seq_len"],)
    if name == "series":
        rows = len(spec["series"]) if "series" in spec else spec["csv"].count("\n")
        return rows, (params["input_length"], 1)
    info = DATASETS[name]
    if info.count is not None:
        return info.count(params), info.input_shape(params)
    n = params["n_samples"] if "n_samples" in params else len(info.generate(None, params)[0])
    return n, info.input_shape(params)


def _nested_shape(sample) -> tuple[int, ...]:
    shape = []
    while isinstance(sample, (list, tuple)):
        shape.append(len(sample))
        sample = sample[0] if sample else None
    return tuple(shape) or (1,)
