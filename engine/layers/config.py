"""A layer kind's configuration, declared once.

Each layer class lists its fields as `Field`s. That one declaration is what the spec
validation runs (`normalize_config`), what the server's pydantic models are generated
from (app/schemas/spec.py), what the catalog describes (`describe_field`) and what
the page builds its layer editor from. No layer field is written down anywhere else.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import initializers
from .. import validate as v
from ..activations import ACTIVATIONS, get_activation
from ..activations import ALIASES as ACTIVATION_ALIASES
from ..errors import SpecError

REQUIRED = object()
"""The default of a field the spec must give."""

MAX_SIDE = 4096  # kernel sizes, strides, pool sizes and paddings
MAX_NAME = 64
MAX_TEXT = 10_000

KINDS = (
    "int",
    "float",
    "bool",
    "choice",
    "activation",
    "initializer",
    "pair",
    "padding",
    "shape",
    "name",
    "layer",
    "array",
    "text",
)
"""int, float: numbers in [low, high]; choice: one of `choices`; activation and
initializer: as the engine's tables; pair: an integer or [rows, columns]; padding:
"valid", "same" or an integer; shape: a list of positive integers (one may be -1);
name: a layer name; layer: a layer's name or index (views); array: numbers checked by
whoever takes them (a posted image); text: a string of at most `high` characters (a
text model's prime)."""


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str
    default: Any = REQUIRED  # or a value, or a function of the config filled so far
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    optional: bool = False  # None is allowed and means "derived" (stated in description)

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def check(self, value: Any, path: str) -> Any:
        """The value normalized, or SpecError naming `path` and what was received."""
        if value is None and self.optional:
            return None
        kind = self.kind
        if kind == "int":
            return v.integer(value, path, low=self.low, high=self.high)
        if kind == "float":
            return v.number(value, path, low=self.low, high=self.high)
        if kind == "bool":
            return v.boolean(value, path)
        if kind == "choice":
            return v.choice(value, path, self.choices)
        if kind == "activation":
            if not isinstance(value, str):
                raise SpecError(path, f"must be an activation name, received {v.describe(value)}")
            return get_activation(value, path).name
        if kind == "initializer":
            return initializers.normalize(value, path)
        if kind == "pair":
            return _pair(value, path, self.low, self.high)
        if kind == "padding":
            if isinstance(value, str):
                return v.choice(value, path, ("valid", "same"))
            return v.integer(value, path, low=0, high=MAX_SIDE)
        if kind == "shape":
            return _shape(value, path)
        if kind == "name":
            return layer_name(value, path)
        if kind == "layer":
            if isinstance(value, str):
                return layer_name(value, path)
            return v.integer(value, path, low=0)
        if kind == "array":
            return value
        if kind == "text":
            if not isinstance(value, str) or len(value) > (self.high or MAX_TEXT):
                raise SpecError(
                    path,
                    f"must be a text of at most {self.high or MAX_TEXT:,} characters, "
                    f"received {v.describe(value)}",
                )
            return value
        raise AssertionError(kind)


def _pair(value, path, low, high) -> int | list[int]:
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise SpecError(
                path, f"must be an integer or [rows, columns], received {v.describe(value)}"
            )
        return [
            v.integer(value[0], v.join(path, 0), low=low, high=high),
            v.integer(value[1], v.join(path, 1), low=low, high=high),
        ]
    return v.integer(value, path, low=low, high=high)


def _shape(value, path) -> list[int]:
    if not isinstance(value, (list, tuple)) or not value or len(value) > 8:
        raise SpecError(path, f"must be a list of 1 to 8 sizes, received {v.describe(value)}")
    out = [v.integer(x, v.join(path, i), low=-1, high=10**9) for i, x in enumerate(value)]
    if 0 in out or out.count(-1) > 1:
        raise SpecError(
            path, f"sizes must be positive, with at most one -1 (inferred), received {out}"
        )
    return out


def layer_name(value, path: str) -> str:
    ok = (
        isinstance(value, str)
        and 0 < len(value) <= MAX_NAME
        and all(c.isalnum() or c in "_-." for c in value)
    )
    if not ok:
        raise SpecError(
            path,
            f"must be 1 to {MAX_NAME} letters, digits, '_', '-' or '.', "
            f"received {v.describe(value)}",
        )
    return value


def pair(value: int | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


NAME = Field(
    "name",
    "name",
    "a name to refer to the layer by (default: type_k, as conv2d_1, dense_2)",
    default=None,
    optional=True,
)
TRAINABLE = Field(
    "trainable",
    "bool",
    "false freezes the layer's parameters (transfer learning): no gradient, no update",
    default=True,
)


def activation_field(default: Any = "linear") -> Field:
    return Field("activation", "activation", "applied to the layer's output", default=default)


def init_field(
    description: str = "for the kernel; default He for ReLU-like activations, Glorot otherwise",
) -> Field:
    return Field(
        "init",
        "initializer",
        description,
        default=lambda config: initializers.default_for(config["activation"]),
    )


BIAS_INIT = Field("bias_init", "initializer", "for the bias", default={"type": "zeros"})


def normalize_config(fields: tuple[Field, ...], spec: Mapping, path: str) -> dict:
    """Every field checked and its default filled, in declaration order; unknown
    fields rejected. `type` is kept first."""
    v.mapping(spec, path)
    v.no_unknown_keys(spec, {"type", *(f.name for f in fields)}, path)
    out: dict[str, Any] = {"type": spec["type"]}
    for field in fields:
        where = v.join(path, field.name)
        if field.name in spec:
            value = field.check(spec[field.name], where)
        elif field.required:
            raise SpecError(where, f"is required for a {spec['type']} layer")
        else:
            default = field.default
            value = field.check(default(out) if isinstance(default, Callable) else default, where)
        if value is None and field.name == "name":
            continue  # an unnamed layer stays unnamed in the spec
        out[field.name] = value
    return out


def describe_field(field: Field) -> dict:
    """A JSON-able description, for the catalog."""
    out: dict[str, Any] = {
        "name": field.name,
        "kind": field.kind,
        "description": field.description,
        "required": field.required,
    }
    if not field.required:
        out["default"] = None if callable(field.default) else field.default
        if callable(field.default):
            out["default_derived"] = True
    for key in ("low", "high"):
        if getattr(field, key) is not None:
            out[key] = getattr(field, key)
    if field.kind == "padding":
        out["choices"] = ["valid", "same"]
    elif field.kind == "activation":
        out["choices"] = sorted(ACTIVATIONS)
        out["aliases"] = dict(ACTIVATION_ALIASES)
    elif field.kind == "initializer":
        out["choices"] = sorted(initializers.INITIALIZERS)
    elif field.choices:
        out["choices"] = list(field.choices)
    if field.optional:
        out["nullable"] = True
    return out
