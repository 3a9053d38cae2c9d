"""Layer registry: a layer spec (a dict with a `type`) becomes a Layer.

`LAYERS` is the one list of layer kinds; everything else (spec validation, the
server's pydantic models and limits, the catalog) reads the classes' declarations.
"""

from collections.abc import Mapping
from types import MappingProxyType

from .. import validate as v
from .base import Layer, ParamSpec
from .batchnorm import BatchNorm
from .config import Field, describe_field, normalize_config
from .conv2d import Conv2D
from .dense import ActivationLayer, Dense
from .dropout import Dropout
from .embedding import Embedding
from .pooling import AvgPool2D, GlobalAvgPool2D, MaxPool2D
from .recurrent import GRU, LSTM, RNN
from .shape_layers import Flatten, Reshape
from .upsample import UpSample2D

LAYERS: Mapping[str, type[Layer]] = MappingProxyType(
    {
        cls.type: cls
        for cls in (
            Dense,
            ActivationLayer,
            Conv2D,
            MaxPool2D,
            AvgPool2D,
            GlobalAvgPool2D,
            Flatten,
            Reshape,
            UpSample2D,
            Dropout,
            BatchNorm,
            Embedding,
            RNN,
            LSTM,
            GRU,
        )
    }
)
DEFAULT_TYPE = "dense"


def layer_class(spec: Mapping, path: str) -> type[Layer]:
    v.mapping(spec, path)
    kind = spec.get("type", DEFAULT_TYPE)
    if not isinstance(kind, str) or kind not in LAYERS:
        raise v.SpecError(
            v.join(path, "type"),
            f"unknown layer type {v.describe(kind)}; choose one of {', '.join(LAYERS)}",
        )
    return LAYERS[kind]


def normalize_layer(spec: Mapping, path: str) -> dict:
    """The layer spec with every field checked and every default filled."""
    cls = layer_class(spec, path)
    return normalize_config(cls.fields, {**spec, "type": cls.type}, path)


def build_layer(spec: Mapping, path: str) -> Layer:
    cls = layer_class(spec, path)
    return cls(normalize_config(cls.fields, {**spec, "type": cls.type}, path), path)


def describe_layers() -> list[dict]:
    """Every layer kind with its fields, for the catalog."""
    return [
        {
            "type": cls.type,
            "description": cls.description,
            "fields": [describe_field(f) for f in cls.fields],
            "has_params": cls.has_params,
            "modes": cls.modes,
        }
        for cls in LAYERS.values()
    ]


__all__ = [
    "DEFAULT_TYPE",
    "LAYERS",
    "ActivationLayer",
    "Dense",
    "Field",
    "Layer",
    "ParamSpec",
    "build_layer",
    "describe_layers",
    "layer_class",
    "normalize_layer",
]
