"""A spec's `data` section: checked and filled in (`normalize`), what its samples are,
and the arrays built from it (`Data`; engine.build_data builds them).

Inline X may have any rank, which says what the samples are (see engine.data.inline):
grey images are (n, h, w, 1), since a rank-3 array is a sequence, never guessed to be
images. Data.modality and Data.shape tell the session and the page which workspace fits.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import numpy as np

from . import validate as v
from .data import DATASETS, parse_csv, resolve_params, sequential, validate_features
from .data.inline import data_shape, inline_X, modality_for
from .data.registry import SPECIAL_DATASETS, objectives_of
from .errors import SpecError

DATA_FIELDS = {
    "dataset",
    "params",
    "X",
    "y",
    "csv",
    "targets",
    "features",
    "test_fraction",
    "shuffle",
    "task",
    "view",
    "text",
    "series",
    "column",
    "normal_classes",
}
SEQUENTIAL_FIELDS = {"text": ("text",), "series": ("series", "csv", "column")}
"""What the user's own text and series take beside params and test_fraction."""
MAX_VIEW = 1e6
TASKS = ("classification", "regression")


@dataclass
class Data:
    X_train: np.ndarray  # model inputs (features applied), in the session's dtype
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    points_train: np.ndarray  # raw samples before features (images: X_train itself)
    points_test: np.ndarray
    labels_train: np.ndarray  # raw targets (class index or value), shape (n, k)
    labels_test: np.ndarray
    task: str
    n_classes: int | None
    view: tuple[float, float] | None
    modality: str = ""  # "points", "table", "sequence", "text" or "image": the workspace
    shape: tuple[int, ...] = ()  # one raw sample's shape, e.g. (28, 28, 1)
    class_names: list[str] | None = None
    vocab: list[str] | None = None  # text: the characters, in id order
    series: dict | None = None  # a series: its values, split, scaling (sequential.py)
    # what views derive from the data alone (an anomaly lab's PCA baseline), kept while
    # the data lives; shared with a session's twins, so set whole entries only
    derived: dict = dataclass_field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        """A Data rebuilt from saved arrays learns its shape and modality from them."""
        if not self.shape:
            self.shape = tuple(self.points_train.shape[1:])
        if not self.modality:
            self.modality = modality_for(self.shape)


def normalize(
    spec, loss_is_classification: bool, reconstruction: bool = False, path: str = "data"
) -> dict:
    """Fill defaults and check every field that can be checked without drawing data.
    `reconstruction`: the targets are the inputs (an autoencoder), so classification
    labels only name the samples."""
    v.mapping(spec, path)
    v.no_unknown_keys(spec, DATA_FIELDS, path)
    name = spec.get("dataset")
    if is_sequential(name):
        return _normalize_sequential(spec, name, path)
    out = _normalize_samples(spec, name, loss_is_classification, path)
    if "normal_classes" in spec:
        out["normal_classes"] = _normal_classes(spec["normal_classes"], out, path)
    return out


def _normal_classes(value, data: dict, path: str) -> list[int]:
    """An anomaly split: the classes that are normal (the rest are anomalies)."""
    where = v.join(path, "normal_classes")
    if not isinstance(value, list) or not value:
        raise SpecError(
            where, f"must be a non-empty list of class indices, received {v.describe(value)}"
        )
    classes = sorted({v.integer(c, v.join(where, i), low=0) for i, c in enumerate(value)})
    info = DATASETS.get(data["dataset"])
    count = info.classes(data.get("params")) if info is not None else None
    if info is not None and (info.kind != "classification" or count is None):
        raise SpecError(where, f"{data['dataset']!r} has no classes to call normal")
    if count is not None:
        if classes[-1] >= count:
            raise SpecError(
                where, f"{data['dataset']!r} has classes 0 to {count - 1}, received {classes[-1]}"
            )
        if len(classes) == count:
            raise SpecError(where, "leaves no class to be an anomaly: name fewer")
    return classes


def _normalize_samples(spec, name, loss_is_classification: bool, path: str) -> dict:
    if name not in SPECIAL_DATASETS:
        info = _info(name, path)
        params = resolve_params(name, spec.get("params"), v.join(path, "params"))
        out = {"dataset": name, "params": params}
        default_fraction = info.default_test_fraction
        for field in ("X", "y", "csv", "targets", "task", "view"):
            if field in spec:
                raise SpecError(
                    v.join(path, field), f"only for the inline and csv datasets, not for {name!r}"
                )
        shape = info.input_shape(params)
    else:
        out = {"dataset": name}
        default_fraction = 0.0
        default_task = "classification" if loss_is_classification else "regression"
        out["task"] = v.choice(spec.get("task", default_task), v.join(path, "task"), TASKS)
        if name == "inline":
            for field in ("X", "y"):
                if field not in spec:
                    raise SpecError(v.join(path, field), "is required for inline data")
            out["X"], out["y"] = spec["X"], spec["y"]
            shape = inline_X(spec["X"], v.join(path, "X")).shape[1:]
        else:
            if not isinstance(spec.get("csv"), str):
                raise SpecError(
                    v.join(path, "csv"),
                    "must be the CSV text (a header row, then one row of numbers per sample)",
                )
            targets = spec.get("targets")
            if isinstance(targets, str):
                targets = [targets]
            out["csv"], out["targets"] = spec["csv"], targets
            X, _, _ = parse_csv(spec["csv"], targets, v.join(path, "csv"))
            shape = X.shape[1:]
    if tuple(shape) == (2,):
        out["features"] = validate_features(
            spec.get("features", ["x1", "x2"]), v.join(path, "features")
        )
        if spec.get("view") is not None:
            out["view"] = _view(spec["view"], v.join(path, "view"))
    else:
        for field, what in (("features", "feature transforms need"), ("view", "a view needs")):
            if field in spec:
                raise SpecError(
                    v.join(path, field),
                    f"{what} 2-D points; this data has {_what_samples_are(shape)}",
                )
    out["test_fraction"] = v.number(
        spec.get("test_fraction", default_fraction),
        v.join(path, "test_fraction"),
        low=0.0,
        high=0.9,
    )
    out["shuffle"] = v.boolean(spec.get("shuffle", True), v.join(path, "shuffle"))
    return out


def check_objective(spec: Mapping, objective: str) -> None:
    """The data must suit what the network trains for (a forecasting series is not an
    autoencoder's data, for one), said at `objective`."""
    name = spec["dataset"]
    allowed = ("supervised",) if name in SEQUENTIAL_FIELDS else objectives_of(DATASETS.get(name))
    if objective not in allowed:
        raise SpecError(
            "objective",
            f"{name!r} data is for {' or '.join(repr(o) for o in allowed)}, not {objective!r}",
        )


def is_sequential(name) -> bool:
    """Text and series: prepared whole, split in time."""
    return name in SEQUENTIAL_FIELDS or (name in DATASETS and DATASETS[name].prepare is not None)


def _normalize_sequential(spec: Mapping, name: str, path: str) -> dict:
    """Text and series: the held-out part is the end, so `shuffle` only reorders the
    training windows from epoch to epoch."""
    own = SEQUENTIAL_FIELDS.get(name, ())
    labelled = name in DATASETS and DATASETS[name].fixed_classes is not None
    allowed = {"dataset", "params", "test_fraction", "shuffle", *own}
    for field in sorted(set(spec) - allowed - ({"normal_classes"} if labelled else set())):
        raise SpecError(v.join(path, field), f"is not a field of {name!r} data")
    out = {"dataset": name}
    out["params"] = resolve_params(name, spec.get("params"), v.join(path, "params"))
    if "normal_classes" in spec:
        out["normal_classes"] = _normal_classes(spec["normal_classes"], out, path)
    if name == "text":
        out["text"] = sequential.user_text(spec, path)
    elif name == "series":
        for field in own:
            if field in spec:
                out[field] = spec[field]
        sequential.user_series(out, path)  # checked now; building reuses what it read
    default = DATASETS[name].default_test_fraction if name in DATASETS else 0.1
    out["test_fraction"] = v.number(
        spec.get("test_fraction", default), v.join(path, "test_fraction"), low=0.0, high=0.9
    )
    out["shuffle"] = v.boolean(spec.get("shuffle", True), v.join(path, "shuffle"))
    return out


def vocabulary_of(spec: Mapping) -> list[str] | None:
    """A normalized text data spec's vocabulary (None for other data), without drawing."""
    name = spec["dataset"]
    if name == "text":
        return sequential.text_data.vocabulary(spec["text"])
    info = DATASETS.get(name)
    if info is not None and info.vocabulary is not None:
        return info.vocabulary(spec["params"])
    return None


def output_size_of(spec: Mapping) -> int | None:
    """What the output layer's units must be for sequential data: the vocabulary of a
    text (one logit a character), the horizon of a series; None for other data."""
    vocab = vocabulary_of(spec)
    if vocab is not None:
        return len(vocab)
    if modality_of(spec) == "sequence" and "horizon" in spec.get("params", {}):
        return spec["params"]["horizon"]
    return None


def _what_samples_are(shape) -> str:
    kind = modality_for(tuple(shape))
    if kind == "image":
        return f"images of shape {tuple(shape)}"
    if kind == "sequence":
        return f"sequences of shape {tuple(shape)} (time, features)"
    return f"{shape[0]} columns"


def _info(name, path):
    if not isinstance(name, str) or name not in DATASETS:
        names = ", ".join([*DATASETS, *SPECIAL_DATASETS])
        raise SpecError(v.join(path, "dataset"), f"unknown dataset {name!r}; choose one of {names}")
    return DATASETS[name]


def _view(value, path: str) -> list[float]:
    """The plane to draw for inline or CSV points: [low, high] of both axes. Without
    it the plane spans the points, which suits a file but not a plane being drawn on."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise SpecError(path, f"must be [low, high], received {v.describe(value)}")
    low = v.number(value[0], v.join(path, 0), low=-MAX_VIEW, high=MAX_VIEW)
    high = v.number(value[1], v.join(path, 1), low=-MAX_VIEW, high=MAX_VIEW)
    if not low < high:
        raise SpecError(path, f"low must be below high, received [{low}, {high}]")
    return [low, high]


def modality_of(spec_or_data) -> str:
    """The modality of a Data or of a normalized data spec (which picks the workspace)."""
    if isinstance(spec_or_data, Data):
        return spec_or_data.modality
    name = spec_or_data["dataset"]
    if name in DATASETS:
        return DATASETS[name].modality
    if name in SEQUENTIAL_FIELDS:
        return "text" if name == "text" else "sequence"
    return modality_for(tuple(data_shape(spec_or_data)[1]))
