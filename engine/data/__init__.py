"""Datasets: the built-in generators, 2-D input features and CSV upload parsing."""

from .csv_text import parse_csv
from .features import FEATURES, transform, validate_features
from .registry import (
    DATASETS,
    SPECIAL_DATASETS,
    DatasetInfo,
    ParamInfo,
    describe_datasets,
    get_dataset,
    resolve_params,
)

__all__ = [
    "DATASETS",
    "FEATURES",
    "SPECIAL_DATASETS",
    "DatasetInfo",
    "ParamInfo",
    "describe_datasets",
    "get_dataset",
    "parse_csv",
    "resolve_params",
    "transform",
    "validate_features",
]
