"""From a normalized spec's `data` section to train/test arrays ready for the model
(engine.dataset checks the section and says what the samples are).

Order of work: draw (or read) the raw samples, split them train/test after one seeded
shuffle (no shuffle when nothing is held out, so a course's four points stay in the
course's order), turn 2-D points into the chosen input features, and turn class
indices into one-hot rows when the output layer has one unit per class.
"""

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from . import validate as v
from .data import DATASETS, parse_csv, sequential, transform
from .data.inline import MAX_INLINE_FEATURES, inline_X, matrix, modality_for
from .data.registry import SPECIAL_DATASETS
from .dataset import Data, is_sequential
from .errors import SpecError


class Raw(NamedTuple):
    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int | None
    view: tuple[float, float] | None
    class_names: list[str] | None


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
