"""Data split in time: character-level text and forecasting series.

Their held-out part is the end of the corpus or of the series, never shuffled into
training, so these sets are prepared whole (windows of each part, the vocabulary,
the series' scaling) rather than drawn and then split like the others. Built-in sets
come from engine.data.text's corpora and engine.data.series' series; users bring a
text (`"dataset": "text"`) or a series (`"dataset": "series"`: numbers, or a CSV's
column).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .. import validate as v
from ..errors import SpecError
from . import series as series_data
from . import text as text_data
from .series_column import MIN_SERIES_POINTS, column_of


@dataclass
class Prepared:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    vocab: list[str] | None = None  # text: the characters, in id order
    series: dict | None = None  # series: the raw values, split, scaling and windows
    labels: tuple | None = None  # windows labelled by kind (the anomaly lab): (train, test)


def alphabet(name: str, params: Mapping[str, Any]) -> list[str]:
    """A built-in corpus's vocabulary, fixed by its name and parameters (not by the
    draw), so that a spec can size its embedding and output layer before any data."""
    if name == "brackets":
        return text_data.vocabulary("()[]{}\n")
    if name == "counting":
        return text_data.vocabulary("ab.")
    if name == "delayed-copy":
        chars = text_data.SYMBOLS[: params["symbols"]] + text_data.FILLER + text_data.SEPARATOR
        return text_data.vocabulary(chars)
    return _python_vocabulary(params["chars"])


@lru_cache(maxsize=8)
def _python_vocabulary(chars: int) -> list[str]:
    return text_data.vocabulary(text_data.python_source(chars))


def text_prepared(
    text: str, seq_len: int, test_fraction: float, vocab: list[str] | None = None, path="data"
) -> Prepared:
    vocab = vocab or text_data.vocabulary(text)
    X_train, y_train, X_test, y_test = text_data.windows(text, vocab, seq_len, test_fraction, path)
    return Prepared(X_train, y_train, X_test, y_test, vocab=vocab)


def series_prepared(
    values: np.ndarray,
    input_length: int,
    horizon: int,
    test_fraction: float,
    season: int,
    path: str = "data",
    relative: bool = False,
) -> Prepared:
    w = series_data.windows(values, input_length, horizon, test_fraction, path, relative)
    info = {
        "values": np.asarray(values, dtype=np.float64),
        "train_starts": w["train_starts"],
        "test_starts": w["test_starts"],
        "split": int(w["split"]),
        "mean": float(w["mean"]),
        "std": float(w["std"]),
        "relative": bool(relative),
        "input_length": input_length,
        "horizon": horizon,
        "season": season,
    }
    return Prepared(w["X_train"], w["y_train"], w["X_test"], w["y_test"], series=info)


def scaling_of(series: dict) -> series_data.Scaling:
    """A session's series scaling, from what Data.series keeps."""
    return series_data.Scaling(series["mean"], series["std"], series.get("relative", False))


SERIES_ARRAYS = ("values", "train_starts", "test_starts")
"""The series entries that are arrays (saved as arrays, the rest in the JSON meta)."""


def user_text(spec: Mapping, path: str = "data") -> str:
    return text_data.check_text(spec.get("text"), v.join(path, "text"))


def user_series(spec: Mapping, path: str = "data") -> np.ndarray:
    """The user's series: `series` (numbers) or `csv` with the `column` to read."""
    if "series" in spec:
        if "csv" in spec:
            raise SpecError(v.join(path, "csv"), "give either series or csv, not both")
        values = spec["series"]
        if not isinstance(values, list) or not all(_is_number(x) for x in values):
            raise SpecError(
                v.join(path, "series"), "must be a list of numbers (the series, in time order)"
            )
        values = np.asarray(values, dtype=np.float64)
        if len(values) < MIN_SERIES_POINTS:
            raise SpecError(
                v.join(path, "series"),
                f"needs at least {MIN_SERIES_POINTS} points, received {len(values)}",
            )
        if len(values) > MAX_SERIES_POINTS:
            raise SpecError(
                v.join(path, "series"),
                f"at most {MAX_SERIES_POINTS:,} points, received {len(values):,}",
            )
        return values
    if not isinstance(spec.get("csv"), str):
        raise SpecError(
            v.join(path, "series"),
            "is required for series data (a list of numbers), or give csv and column",
        )
    if "column" not in spec:
        raise SpecError(v.join(path, "column"), "is required with csv: the column to read")
    return _column(spec["csv"], spec["column"], v.join(path, "csv"))


_last_column: tuple | None = None  # (csv, column, path, values) of the last one read


def _column(csv: str, column, path: str) -> np.ndarray:
    """`column_of`, but the text a spec was checked with is not parsed again when its
    data is built (a million points take seconds): the last column read is kept."""
    global _last_column
    last = _last_column
    if last is not None and last[1:3] == (column, path) and (last[0] is csv or last[0] == csv):
        return last[3].copy()
    values = column_of(csv, column, path)
    _last_column = (csv, column, path, values)
    return values.copy()


MAX_SERIES_POINTS = 1_000_000


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and np.isfinite(x)
