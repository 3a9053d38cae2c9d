"""Datasets: the built-in generators and image files, 2-D input features, arrays given
in a spec, and parsing of uploaded CSV text and image files."""

from .arrays import decode_array, encode_array
from .csv_text import parse_csv
from .features import FEATURES, transform, validate_features
from .image_files import parse_idx, parse_npz
from .registry import (
    DATASETS,
    MODALITIES,
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
    "MODALITIES",
    "SPECIAL_DATASETS",
    "DatasetInfo",
    "ParamInfo",
    "decode_array",
    "describe_datasets",
    "encode_array",
    "get_dataset",
    "parse_csv",
    "parse_idx",
    "parse_npz",
    "resolve_params",
    "transform",
    "validate_features",
]
