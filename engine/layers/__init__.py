"""Layer registry: a layer spec (a dict with a `type`) becomes a Layer."""

from collections.abc import Mapping

from .. import validate as v
from .base import Layer, ParamSpec
from .dense import ActivationLayer, Dense

LAYER_FIELDS = {
    "dense": {"units", "activation", "init", "bias_init", "trainable"},
    "activation": {"activation"},
}
_DEFAULT_ACTIVATION = "linear"


def build_layer(spec: Mapping, path: str) -> Layer:
    v.mapping(spec, path)
    kind = v.choice(spec.get("type", "dense"), v.join(path, "type"), LAYER_FIELDS)
    v.no_unknown_keys(spec, {"type", *LAYER_FIELDS[kind]}, path)
    if kind == "dense":
        if "units" not in spec:
            raise v.SpecError(v.join(path, "units"), "is required for a dense layer")
        return Dense(spec["units"], spec.get("activation", _DEFAULT_ACTIVATION),
                     spec.get("init"), spec.get("bias_init", "zeros"),
                     spec.get("trainable", True), path=path)
    if "activation" not in spec:
        raise v.SpecError(v.join(path, "activation"), "is required for an activation layer")
    return ActivationLayer(spec["activation"], path=path)


__all__ = ["LAYER_FIELDS", "ActivationLayer", "Dense", "Layer", "ParamSpec", "build_layer"]
