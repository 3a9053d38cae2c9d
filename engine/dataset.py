"""From a spec's `data` section to train/test arrays ready for the model.

Order of work: draw (or read) the raw points, split them train/test after one seeded
shuffle (no shuffle when nothing is held out, so a course's four points stay in the
course's order), turn 2-D points into the chosen input features, and turn class
indices into one-hot rows when the output layer has one unit per class.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import validate as v
from .data import DATASETS, parse_csv, resolve_params, transform, validate_features
from .data.registry import SPECIAL_DATASETS
from .errors import SpecError

MAX_INLINE_SAMPLES = 100_000
MAX_INLINE_FEATURES = 10_000
DATA_FIELDS = {"dataset", "params", "X", "y", "csv", "targets", "features", "test_fraction",
               "shuffle", "task", "view"}
MAX_VIEW = 1e6
TASKS = ("classification", "regression")


@dataclass
class Data:
    X_train: np.ndarray  # model inputs (features applied), in the session's dtype
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    points_train: np.ndarray  # raw points before features (2-D sets: what the plane shows)
    points_test: np.ndarray
    labels_train: np.ndarray  # raw targets (class index or value), shape (n, k)
    labels_test: np.ndarray
    task: str
    n_classes: int | None
    view: tuple[float, float] | None


def normalize(spec, loss_is_classification: bool, path: str = "data") -> dict:
    """Fill defaults and check every field that can be checked without drawing data."""
    v.mapping(spec, path)
    v.no_unknown_keys(spec, DATA_FIELDS, path)
    name = spec.get("dataset")
    if name not in SPECIAL_DATASETS:
        info = _info(name, path)
        params = resolve_params(name, spec.get("params"), v.join(path, "params"))
        out = {"dataset": name, "params": params}
        default_fraction, task = info.default_test_fraction, info.kind
        for field in ("X", "y", "csv", "targets", "task", "view"):
            if field in spec:
                raise SpecError(v.join(path, field), f"only for the inline and csv datasets, "
                                                     f"not for {name!r}")
        n_features = info.n_features
    else:
        out = {"dataset": name}
        default_fraction = 0.0
        default_task = "classification" if loss_is_classification else "regression"
        task = v.choice(spec.get("task", default_task), v.join(path, "task"), TASKS)
        out["task"] = task
        if name == "inline":
            for field in ("X", "y"):
                if field not in spec:
                    raise SpecError(v.join(path, field), "is required for inline data")
            out["X"], out["y"] = spec["X"], spec["y"]
            n_features = _matrix(spec["X"], v.join(path, "X"), MAX_INLINE_FEATURES).shape[1]
        else:
            if not isinstance(spec.get("csv"), str):
                raise SpecError(v.join(path, "csv"), "must be the CSV text (a header row, then "
                                                     "one row of numbers per sample)")
            targets = spec.get("targets")
            if isinstance(targets, str):
                targets = [targets]
            out["csv"], out["targets"] = spec["csv"], targets
            X, _, _ = parse_csv(spec["csv"], targets, v.join(path, "csv"))
            n_features = X.shape[1]
    if n_features == 2:
        out["features"] = validate_features(spec.get("features", ["x1", "x2"]),
                                            v.join(path, "features"))
        if spec.get("view") is not None:
            out["view"] = _view(spec["view"], v.join(path, "view"))
    else:
        for field, what in (("features", "feature transforms need"), ("view", "a view needs")):
            if field in spec:
                raise SpecError(v.join(path, field), f"{what} 2-D points; this data has "
                                                     f"{n_features} columns")
    out["test_fraction"] = v.number(spec.get("test_fraction", default_fraction),
                                    v.join(path, "test_fraction"), low=0.0, high=0.9)
    out["shuffle"] = v.boolean(spec.get("shuffle", True), v.join(path, "shuffle"))
    return out


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


def _matrix(value, path: str, max_cols: int) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        lengths = sorted({len(r) for r in value if isinstance(r, (list, tuple))}) \
            if isinstance(value, (list, tuple)) else []
        got = f"rows of lengths {lengths}" if len(lengths) > 1 else v.describe(value)
        raise SpecError(path, f"must be a list of rows of numbers of equal length, "
                              f"received {got}") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise SpecError(path, f"must be a non-empty list of rows, received shape {arr.shape}")
    if arr.shape[0] > MAX_INLINE_SAMPLES or arr.shape[1] > max_cols:
        raise SpecError(path, f"at most {MAX_INLINE_SAMPLES} rows and {max_cols} columns, "
                              f"received shape {arr.shape}")
    if not np.isfinite(arr).all():
        row = int(np.argwhere(~np.isfinite(arr))[0][0])
        raise SpecError(path, f"row {row} contains NaN or infinity")
    return arr


def raw_points(spec: Mapping, rng: np.random.Generator, path: str = "data"):
    """The points and targets before any split: (X, y, task, n_classes, view)."""
    name = spec["dataset"]
    if name == "inline":
        X = _matrix(spec["X"], v.join(path, "X"), MAX_INLINE_FEATURES)
        y = _matrix(spec["y"], v.join(path, "y"), MAX_INLINE_FEATURES)
        if len(y) != len(X):
            raise SpecError(v.join(path, "y"), f"has {len(y)} rows but X has {len(X)}")
    elif name == "csv":
        X, y, _ = parse_csv(spec["csv"], spec["targets"], v.join(path, "csv"))
    else:
        info = DATASETS[name]
        X, y = info.generate(rng, spec["params"])
        classes = info.classes(spec["params"])
        return X, y, info.kind, classes, info.view
    task = spec["task"]
    classes = None
    if task == "classification":
        classes = _count_classes(y, v.join(path, "y" if name == "inline" else "targets"))
    view = None
    if X.shape[1] == 2:
        view = tuple(spec["view"]) if spec.get("view") else _view_of(X)
    return X, y, task, classes, view


def _count_classes(y: np.ndarray, path: str) -> int:
    if y.shape[1] > 1:  # one-hot or probability rows
        if (y < 0).any() or not np.allclose(y.sum(axis=1), 1.0):
            raise SpecError(path, "classification targets with several columns must be "
                                  "one-hot rows (each row sums to 1)")
        return y.shape[1]
    if (y < 0).any() or (y != np.round(y)).any():
        raise SpecError(path, "classification targets must be class indices 0, 1, 2, ...")
    return max(2, int(y.max()) + 1)


def _view_of(X: np.ndarray) -> tuple[float, float]:
    """A square view spanning the points with a 10% margin."""
    low, high = float(X.min()), float(X.max())
    margin = 0.1 * (high - low) or 1.0
    return (low - margin, high + margin)


def build(spec: Mapping, output_units: int, dtype, rng: np.random.Generator,
          path: str = "data", units_path: str = "model.layers") -> Data:
    X, y, task, n_classes, view = raw_points(spec, rng, path)
    n = len(X)
    n_test = round(n * spec["test_fraction"])
    if n - n_test < 1:
        raise SpecError(v.join(path, "test_fraction"), f"leaves no training samples out of {n}")
    if n_test:
        order = rng.permutation(n)
        X, y = X[order], y[order]
    targets = _targets(y, task, n_classes, output_units, units_path)
    features = spec.get("features")
    inputs = transform(X, features) if features else X
    cut = n - n_test
    cast = lambda a: np.ascontiguousarray(a, dtype=dtype)
    return Data(cast(inputs[:cut]), cast(targets[:cut]), cast(inputs[cut:]), cast(targets[cut:]),
                X[:cut], X[cut:], y[:cut], y[cut:], task, n_classes, view)


def _targets(y, task, n_classes, output_units, units_path):
    if task == "classification" and y.shape[1] == 1 and output_units > 1:
        if n_classes > output_units:
            raise SpecError(units_path, f"the data has {n_classes} classes but the output "
                                            f"layer has {output_units} units")
        return np.eye(output_units)[y[:, 0].astype(int)]
    if task == "classification" and n_classes and n_classes > 2 and output_units == 1:
        raise SpecError(units_path, f"the data has {n_classes} classes: the output layer "
                                    f"needs {n_classes} units with softmax, not 1")
    if y.shape[1] != output_units:
        hint = ""
        if task == "classification" and n_classes and n_classes > 2 and output_units == 1:
            hint = f" (use {n_classes} units with softmax for {n_classes} classes)"
        raise SpecError(units_path, f"the output layer has {output_units} units but the "
                                        f"data has {y.shape[1]} target columns{hint}")
    return y


def check_loss_fits(loss, data: Data) -> None:
    """Cross-entropy needs targets it can read as probabilities."""
    if loss.name == "binary_crossentropy":
        for y in (data.y_train, data.y_test):
            if len(y) and (y.min() < 0 or y.max() > 1):
                raise SpecError("loss", "binary_crossentropy needs targets between 0 and 1; "
                                        f"this data's run from {y.min():g} to {y.max():g} "
                                        "(use mse for regression)")
    if loss.name == "categorical_crossentropy" and data.task != "classification":
        raise SpecError("loss", "categorical_crossentropy needs classification data; this "
                                "data is a regression (use mse)")
