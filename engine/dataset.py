"""From a spec's `data` section to train/test arrays ready for the model.

Order of work: draw (or read) the raw samples, split them train/test after one seeded
shuffle (no shuffle when nothing is held out, so a course's four points stay in the
course's order), turn 2-D points into the chosen input features, and turn class
indices into one-hot rows when the output layer has one unit per class.

Inline X may have any rank, which says what the samples are (see engine.data.inline):
grey images are (n, h, w, 1), since a rank-3 array is a sequence, never guessed to be
images. Data.modality and Data.shape tell the session and the page which workspace fits.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import NamedTuple

import numpy as np

from . import validate as v
from .data import DATASETS, parse_csv, resolve_params, sequential, transform, validate_features
from .data.inline import (  # noqa: F401  (the limits and _matrix are used by others)
    MAX_INLINE_FEATURES,
    MAX_INLINE_SAMPLES,
    MAX_INLINE_VALUES,
    data_shape,
    inline_X,
    matrix,
    modality_for,
    sample_array,
)
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
_matrix = matrix  # the name engine.inspection knows


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


class Raw(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int | None
    view: tuple[float, float] | None
    class_names: list[str] | None


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
        sequential.user_series(out, path)  # checked now, read again when built
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


def raw_points(spec: Mapping, rng: np.random.Generator, path: str = "data") -> Raw:
    """The samples and targets before any split, with what is known about them."""
    name = spec["dataset"]
    if name == "inline":
        X = inline_X(spec["X"], v.join(path, "X"))
        y = matrix(spec["y"], v.join(path, "y"), MAX_INLINE_FEATURES)
        if len(y) != len(X):
            raise SpecError(v.join(path, "y"), f"has {len(y)} rows but X has {len(X)}")
    elif name == "csv":
        X, y, _ = parse_csv(spec["csv"], spec["targets"], v.join(path, "csv"))
    else:
        info = DATASETS[name]
        X, y = info.generate(rng, spec["params"])
        names = list(info.class_names) if info.class_names else None
        return Raw(X, y, info.kind, info.classes(spec["params"]), info.view, names)
    task = spec["task"]
    classes = None
    if task == "classification":
        classes = _count_classes(y, _labels_path(spec, path))
    view = None
    if X.shape[1:] == (2,):
        view = tuple(spec["view"]) if spec.get("view") else _view_of(X)
    return Raw(X, y, task, classes, view, None)


def _labels_path(spec: Mapping, path: str) -> str | None:
    """Where a user's own targets live: data.y inline, data.targets for CSV."""
    name = spec["dataset"]
    if name in SPECIAL_DATASETS:
        return v.join(path, "y" if name == "inline" else "targets")
    return None


def _count_classes(y: np.ndarray, path: str) -> int:
    if y.shape[1] > 1:  # one-hot or probability rows
        if (y < 0).any() or not np.allclose(y.sum(axis=1), 1.0):
            raise SpecError(
                path,
                "classification targets with several columns must be "
                "one-hot rows (each row sums to 1)",
            )
        return y.shape[1]
    bad = (y[:, 0] < 0) | (y[:, 0] != np.round(y[:, 0]))
    if bad.any():
        row = int(np.argmax(bad))
        raise SpecError(
            path,
            "classification targets must be class indices 0, 1, 2, ...; "
            f"sample {row} has {y[row, 0]:g}",
        )
    return max(2, int(y.max()) + 1)


def _view_of(X: np.ndarray) -> tuple[float, float]:
    """A square view spanning the points with a 10% margin."""
    low, high = float(X.min()), float(X.max())
    margin = 0.1 * (high - low) or 1.0
    return (low - margin, high + margin)


def build(
    spec: Mapping,
    output_units: int,
    dtype,
    rng: np.random.Generator,
    path: str = "data",
    units_path: str = "model.layers",
    reconstruction: bool = False,
) -> Data:
    """`reconstruction`: the targets are the inputs (the task is then a regression; class
    labels stay in labels_train/test), and `normal_classes` keeps only those classes in
    the training part (the test part keeps all: the others are the anomalies)."""
    if is_sequential(spec["dataset"]):
        return _build_sequential(spec, output_units, dtype, rng, path, units_path, reconstruction)
    raw = raw_points(spec, rng, path)
    X, y = raw.X, raw.y
    n = len(X)
    n_test = round(n * spec["test_fraction"])
    if n - n_test < 1:
        raise SpecError(v.join(path, "test_fraction"), f"leaves no training samples out of {n}")
    if n_test:
        order = rng.permutation(n)
        X, y = X[order], y[order]
    cut = n - n_test
    if "normal_classes" in spec:
        normal = np.isin(y[:, 0], spec["normal_classes"])
        keep = np.concatenate([np.flatnonzero(normal[:cut]), np.arange(cut, n)])
        X, y, cut = X[keep], y[keep], int(normal[:cut].sum())
        if cut == 0:
            raise SpecError(v.join(path, "normal_classes"), "leaves no training samples")
    if reconstruction:
        targets, task = None, "regression"
    else:
        task = raw.task
        targets = _targets(
            y, raw.task, raw.n_classes, output_units, units_path, _labels_path(spec, path)
        )
    features = spec.get("features")
    inputs = transform(X, features) if features else X
    cast = lambda a: np.ascontiguousarray(a, dtype=dtype)
    X_train, X_test = cast(inputs[:cut]), cast(inputs[cut:])
    shape = tuple(X.shape[1:])
    modality = modality_for(shape)
    # images are what the model reads: no second, float64 copy for the views
    points = (X_train, X_test) if modality == "image" else (X[:cut], X[cut:])
    y_train, y_test = (
        (X_train, X_test) if targets is None else (cast(targets[:cut]), cast(targets[cut:]))
    )
    return Data(
        X_train,
        y_train,
        X_test,
        y_test,
        *points,
        y[:cut],
        y[cut:],
        task,
        raw.n_classes,
        raw.view,
        modality,
        shape,
        raw.class_names,
    )


def _labelled_windows(spec, p, X_train, X_test, reconstruction: bool, path: str) -> Data:
    """Windows labelled by kind (the anomaly lab's series): an autoencoder's data."""
    info = DATASETS[spec["dataset"]]
    if not reconstruction:
        raise SpecError(
            v.join(path, "dataset"),
            f'{spec["dataset"]!r} is for an autoencoder: set "objective": "reconstruction"',
        )
    labels_train, labels_test = p.labels
    if "normal_classes" in spec:
        keep = np.isin(labels_train[:, 0], spec["normal_classes"])
        X_train, labels_train = X_train[keep], labels_train[keep]
    return Data(
        X_train,
        X_train,
        X_test,
        X_test,
        X_train,
        X_test,
        labels_train,
        labels_test,
        "regression",
        info.fixed_classes,
        None,
        "sequence",
        tuple(X_train.shape[1:]),
        list(info.class_names),
    )


def _build_sequential(
    spec, output_units, dtype, rng, path, units_path, reconstruction=False
) -> Data:
    name, params, fraction = spec["dataset"], spec["params"], spec["test_fraction"]
    if name == "text":
        p = sequential.text_prepared(spec["text"], params["seq_len"], fraction, path=path)
    elif name == "series":
        values = sequential.user_series(spec, path)
        p = sequential.series_prepared(
            values,
            params["input_length"],
            params["horizon"],
            fraction,
            params["season"],
            path,
            bool(params["relative"]),
        )
    else:
        p = DATASETS[name].prepare(rng, params, fraction, path)
    cast = lambda a: np.ascontiguousarray(a, dtype=dtype)
    X_train, X_test = cast(p.X_train), cast(p.X_test)
    if p.labels is not None:
        return _labelled_windows(spec, p, X_train, X_test, reconstruction, path)
    if p.vocab is not None:
        if len(p.vocab) > output_units:
            raise SpecError(
                units_path,
                f"the text has {len(p.vocab)} characters but the output layer has "
                f"{output_units} units (one logit a character: leave units out to fit it)",
            )
        # sparse targets: the next character's id at every step
        y_train, y_test = (np.ascontiguousarray(a, dtype=np.int32) for a in (p.y_train, p.y_test))
        task, classes = "classification", len(p.vocab)
    else:
        if p.y_train.shape[1] != output_units:
            raise SpecError(
                units_path,
                f"the output layer has {output_units} units but the series is forecast "
                f"{p.y_train.shape[1]} steps ahead (horizon): leave units out to fit it",
            )
        y_train, y_test = cast(p.y_train), cast(p.y_test)
        task, classes = "regression", None
    modality = "text" if p.vocab is not None else "sequence"
    return Data(
        X_train,
        y_train,
        X_test,
        y_test,
        X_train,  # the windows are what the model reads: kept once
        X_test,
        y_train,
        y_test,
        task,
        classes,
        None,
        modality,
        tuple(X_train.shape[1:]),
        None,
        p.vocab,
        p.series,
    )


def _targets(y, task, n_classes, output_units, units_path, labels_path=None):
    """Class indices become one-hot rows when the output layer has a unit per class.

    A user's own class index beyond the output layer is the data's fault as much as the
    model's, so it is reported at `labels_path` (data.y) naming both; a built-in
    dataset's class count is fixed, so there the output layer is at fault."""
    if task == "classification" and y.shape[1] == 1 and output_units > 1:
        if n_classes > output_units:
            if labels_path:
                row = int(np.argmax(y[:, 0] >= output_units))
                raise SpecError(
                    labels_path,
                    f"class index {y[row, 0]:g} (sample {row}) is out "
                    f"of range: the output layer ({units_path}) has "
                    f"{output_units} units, so classes run 0 to "
                    f"{output_units - 1}",
                )
            raise SpecError(
                units_path,
                f"the data has {n_classes} classes but the output layer has {output_units} units",
            )
        return np.eye(output_units)[y[:, 0].astype(int)]
    if task == "classification" and n_classes and n_classes > 2 and output_units == 1:
        raise SpecError(
            units_path,
            f"the data has {n_classes} classes: the output layer "
            f"needs {n_classes} units with softmax, not 1",
        )
    if y.shape[1] != output_units:
        raise SpecError(
            units_path,
            f"the output layer has {output_units} units but the "
            f"data has {y.shape[1]} target columns",
        )
    return y


def check_loss_fits(loss, data: Data) -> None:
    """Cross-entropy needs targets it can read as probabilities."""
    if loss.name == "binary_crossentropy":
        for y in (data.y_train, data.y_test):
            if len(y) and (y.min() < 0 or y.max() > 1):
                raise SpecError(
                    "loss",
                    "binary_crossentropy needs targets between 0 and 1; "
                    f"this data's run from {y.min():g} to {y.max():g} "
                    "(use mse for regression)",
                )
    if data.modality == "text" and loss.name != "categorical_crossentropy":
        raise SpecError(
            "loss",
            "a text model predicts the next character: use categorical_crossentropy "
            f"(with a softmax output layer), not {loss.name}",
        )
    if loss.name == "categorical_crossentropy" and data.task != "classification":
        raise SpecError(
            "loss",
            "categorical_crossentropy needs classification data; this "
            "data is a regression (use mse)",
        )
