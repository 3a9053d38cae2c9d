"""What the catalogue knows of a dataset (`DatasetInfo`) and of each of its parameters
(`ParamInfo`): one declaration, from which the API's dataset list, spec validation
and generation all read."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from ..errors import SpecError
from ..validate import integer, join, mapping, number

TF_VIEW = (-6.0, 6.0)
# What the samples are, which picks the page's workspace: "points" (2-D, drawn on the
# plane), "table" (n features), "image" (h, w, c), "sequence" (time, features: a
# series' windows), "text" (time: character ids).
MODALITIES = ("points", "table", "image", "sequence", "text")


@dataclass(frozen=True)
class ParamInfo:
    """One generator parameter: its type, default and inclusive range."""

    type: Literal["int", "float"]
    default: int | float
    low: int | float
    high: int | float
    description: str


@dataclass(frozen=True)
class DatasetInfo:
    """A built-in dataset: how a UI presents it and how to draw it.

    `shape` is one sample's input shape at the default params: (2,) for points, (h, w, c)
    channels-last for images; an image set with a `size` parameter draws size×size
    images (see `input_shape`). `view` is the (low, high) range of both axes of the plane
    to draw, or None when the data is not 2-D. `fixed_classes` is the class count when it
    does not depend on a `classes` parameter (None for regression); `class_names` name
    the classes in index order where they have names.
    """

    name: str
    title: str
    description: str
    kind: Literal["classification", "regression"]
    modality: Literal["points", "table", "image", "sequence", "text"]
    shape: tuple[int, ...]
    params: Mapping[str, ParamInfo]
    default_test_fraction: float
    view: tuple[float, float] | None
    generator: Callable[..., tuple[np.ndarray, np.ndarray]] | None = field(
        repr=False, compare=False
    )
    fixed_classes: int | None = None
    class_names: tuple[str, ...] | None = None
    # data split in time (text, series): (rng, params, test_fraction, path) -> Prepared
    prepare: Callable[..., Any] | None = field(default=None, repr=False, compare=False)
    count: Callable[[Mapping], int] | None = field(default=None, repr=False, compare=False)
    vocabulary: Callable[[Mapping], list[str]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def n_features(self) -> int:
        """Numbers per sample (h·w·c for images); prefer `shape`, which keeps the axes."""
        return int(np.prod(self.shape))

    def input_shape(self, params: Mapping[str, Any] | None = None) -> tuple[int, ...]:
        """One sample's shape for these params: `size` sets an image's side."""
        if self.modality == "image" and "size" in self.params:
            size = resolve(self.params, self.name, params, "data.params")["size"]
            return (size, size, self.shape[2])
        if self.modality == "text":
            return (resolve(self.params, self.name, params, "data.params")["seq_len"],)
        if self.modality == "sequence":
            return (resolve(self.params, self.name, params, "data.params")["input_length"], 1)
        return self.shape

    def classes(self, params: Mapping[str, Any] | None = None) -> int | None:
        """Number of classes for these params; None for regression."""
        if self.kind == "regression":
            return None
        if self.vocabulary is not None:
            return len(self.vocabulary(resolve(self.params, self.name, params, "data.params")))
        if "classes" in self.params:
            return resolve(self.params, self.name, params, "data.params")["classes"]
        return self.fixed_classes

    def generate(
        self, rng: np.random.Generator, params: Mapping[str, Any] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Validate `params` (filling defaults) and draw (X, y) from `rng`."""
        return self.generator(rng, **resolve(self.params, self.name, params, "data.params"))


def param_table(params: Mapping[str, tuple]) -> Mapping[str, ParamInfo]:
    return MappingProxyType({key: ParamInfo(*p) for key, p in params.items()})


def resolve(
    table: Mapping[str, ParamInfo], name: str, params: Mapping[str, Any] | None, path: str
) -> dict[str, Any]:
    """`params` checked against `table` (dataset `name`'s), defaults filled in."""
    given = mapping({} if params is None else params, path)
    unknown = sorted(set(given) - set(table), key=str)
    if unknown:
        allowed = ", ".join(table) if table else "none (this dataset is fixed)"
        raise SpecError(
            join(path, str(unknown[0])),
            f"unknown parameter {unknown[0]!r} for dataset {name!r}; allowed: {allowed}",
        )
    resolved: dict[str, Any] = {}
    for key, spec in table.items():
        value = given.get(key, spec.default)
        key_path = join(path, key)
        value = integer(value, key_path) if spec.type == "int" else number(value, key_path)
        if not spec.low <= value <= spec.high:
            raise SpecError(
                key_path, f"must be between {spec.low} and {spec.high}, received {value!r}"
            )
        resolved[key] = value
    classes = resolved.get("classes")
    if classes is not None and resolved["n_samples"] < classes:
        raise SpecError(
            join(path, "n_samples"),
            f"must be at least {classes} (one point per class, classes={classes}), "
            f"received {resolved['n_samples']}",
        )
    return resolved
