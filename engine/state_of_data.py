"""A session's data in its saved state (Session.state_dict) and back: the arrays by
name, the rest as JSON-able values."""

import numpy as np

from . import dataset
from .data.sequential import SERIES_ARRAYS

DATA_FIELDS = (
    "X_train",
    "y_train",
    "X_test",
    "y_test",
    "points_train",
    "points_test",
    "labels_train",
    "labels_test",
)


def data_state(d: dataset.Data) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) of `d`; the arrays are shared, not copied (data never changes)."""
    meta = {
        "task": d.task,
        "n_classes": d.n_classes,
        "view": list(d.view) if d.view else None,
        "modality": d.modality,
        "shape": list(d.shape),
        "class_names": d.class_names,
        "vocab": d.vocab,
        "series": None
        if d.series is None
        else {k: x for k, x in d.series.items() if k not in SERIES_ARRAYS},
    }
    arrays = {f"data.{k}": getattr(d, k) for k in DATA_FIELDS}
    if d.series is not None:
        arrays.update({f"data.series.{k}": d.series[k] for k in SERIES_ARRAYS})
    if d.points_train is d.X_train:  # images: the points are the inputs, kept once
        meta["points_are_inputs"] = True
        del arrays["data.points_train"], arrays["data.points_test"]
    return meta, arrays


def data_from_state(meta: dict, arrays: dict[str, np.ndarray]) -> dataset.Data:
    fields = dict(arrays)
    if meta.get("points_are_inputs"):
        fields["data.points_train"] = fields["data.X_train"]
        fields["data.points_test"] = fields["data.X_test"]
    series = meta.get("series")
    if series is not None:
        series = {**series, **{k: fields[f"data.series.{k}"] for k in SERIES_ARRAYS}}
    return dataset.Data(
        *(fields[f"data.{k}"] for k in DATA_FIELDS),
        task=meta["task"],
        n_classes=meta["n_classes"],
        view=tuple(meta["view"]) if meta["view"] else None,
        modality=meta.get("modality", ""),
        shape=tuple(meta.get("shape", ())),
        class_names=meta.get("class_names"),
        vocab=meta.get("vocab"),
        series=series,
    )
