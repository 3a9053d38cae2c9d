"""The session spec as pydantic models, generated from the engine's own registries
(activations, initializers, optimizers and their hyperparameter ranges, losses,
datasets, features), so that /docs documents every field and no list is kept twice.

These models check shapes, names and the engine's hard ranges; the server's
configurable limits (units, layers, parameters, samples) are checked afterwards in
app.limits, and the engine itself has the last word (cross-field rules such as a
dataset's parameter ranges). Requests are passed on with `exclude_unset`, so the
engine fills the defaults and reports paths exactly as the client wrote them.
"""

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, FiniteFloat, Tag, create_model
from typing_extensions import TypeAliasType

from engine import gan_spec
from engine import spec as engine_spec
from engine.activations import ACTIVATIONS
from engine.activations import ALIASES as ACTIVATION_ALIASES
from engine.data import DATASETS, FEATURES, SPECIAL_DATASETS
from engine.data.arrays import DTYPES as ENVELOPE_DTYPES
from engine.dataset import TASKS
from engine.initializers import ALIASES as INIT_ALIASES
from engine.initializers import INITIALIZERS
from engine.layers import DEFAULT_TYPE, LAYERS
from engine.layers.config import MAX_NAME, MAX_SIDE
from engine.losses import LOSSES
from engine.optimizers import HYPERPARAMETERS
from engine.regularization import KINDS as REGULARIZATION_KINDS
from engine.regularization import MAX_RATE


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def name_or_object(name_type, object_type):
    """`name_type | object_type`, decided by the JSON type, so that an error in the
    object form is reported once, at its field, and not once per union branch."""
    return Annotated[
        Annotated[name_type, Tag("by_name")] | Annotated[object_type, Tag("by_object")],
        Discriminator(lambda v: "by_name" if isinstance(v, str) else "by_object"),
    ]


ActivationName = Literal[tuple(sorted([*ACTIVATIONS, *ACTIVATION_ALIASES]))]
InitName = Literal[tuple(sorted([*INITIALIZERS, *INIT_ALIASES]))]
OptimizerName = Literal[tuple(HYPERPARAMETERS)]
FeatureName = Literal[tuple(FEATURES)]


class InitializerObject(Strict):
    """An initializer with parameters; which parameters apply depends on `type`."""

    type: InitName
    low: FiniteFloat | None = Field(None, description="uniform: lower bound")
    high: FiniteFloat | None = Field(None, description="uniform: upper bound (exclusive)")
    mean: FiniteFloat | None = Field(None, description="normal: mean")
    std: FiniteFloat | None = Field(None, ge=0, description="normal: standard deviation")
    value: FiniteFloat | None = Field(None, description="constant: the value")


Initializer = name_or_object(InitName, InitializerObject)


def _field_type(field) -> Any:
    """The pydantic type of a layer field, from its engine declaration."""
    limits = {k: x for k, x in (("ge", field.low), ("le", field.high)) if x is not None}
    kind = field.kind
    if kind == "int":
        kind_type = Annotated[int, Field(**limits)]
    elif kind == "float":
        kind_type = Annotated[FiniteFloat, Field(**limits)]
    elif kind == "bool":
        kind_type = bool
    elif kind == "choice":
        kind_type = Literal[tuple(field.choices)]
    elif kind == "activation":
        kind_type = ActivationName
    elif kind == "initializer":
        kind_type = Initializer
    elif kind == "pair":
        side = Annotated[int, Field(**limits)]
        kind_type = side | Annotated[list[side], Field(min_length=2, max_length=2)]
    elif kind == "padding":
        kind_type = Literal["valid", "same"] | Annotated[int, Field(ge=0, le=MAX_SIDE)]
    elif kind == "shape":
        kind_type = Annotated[list[Annotated[int, Field(ge=-1)]], Field(min_length=1, max_length=8)]
    elif kind == "name":
        kind_type = Annotated[
            str, Field(min_length=1, max_length=MAX_NAME, pattern=r"^[A-Za-z0-9_.\-]+$")
        ]
    elif kind == "text":
        kind_type = Annotated[str, Field(max_length=field.high)]
    else:
        raise AssertionError(kind)
    return kind_type | None if field.optional else kind_type


def _layer_model(cls) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "type": (Literal[cls.type], cls.type if cls.type == DEFAULT_TYPE else ...)
    }
    for field in cls.fields:
        default = (
            "required"
            if field.required
            else ("derived" if callable(field.default) else f"default {field.default!r}")
        )
        info = Field(
            ... if field.required else None, description=f"{field.description} ({default})"
        )
        fields[field.name] = (_field_type(field), info)
    name = "".join(part.capitalize() for part in cls.type.split("_")) + "Layer"
    return create_model(name, __base__=Strict, __doc__=cls.description, **fields)


LAYER_MODELS = {kind: _layer_model(cls) for kind, cls in LAYERS.items()}


def _layer_tag(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("type", DEFAULT_TYPE)
    return getattr(value, "type", DEFAULT_TYPE)


Layer = Annotated[
    Union[tuple(Annotated[model, Tag(kind)] for kind, model in LAYER_MODELS.items())],  # noqa: UP007
    Discriminator(_layer_tag),
]


class ModelSpec(Strict):
    layers: list[Layer] = Field(
        min_length=1, description="the last layer's units are the outputs; at most --max-layers"
    )


def hyperparameter_field(default, low, high) -> tuple[Any, Any]:
    """A pydantic field for one row of the engine's hyperparameter table."""
    if isinstance(default, bool):
        return bool, Field(None, description=f"default {default}")
    limits = {"ge": low} if high == float("inf") else {"ge": low, "le": high}
    return FiniteFloat, Field(None, description=f"default {default}", **limits)


def _optimizer_model(name: str, table: dict) -> type[BaseModel]:
    fields: dict[str, Any] = {"type": (Literal[name], ...)}
    for key, row in table.items():
        fields[key] = hyperparameter_field(*row)
    return create_model(f"{name.capitalize()}Optimizer", __base__=Strict, **fields)


OPTIMIZER_MODELS = {name: _optimizer_model(name, table) for name, table in HYPERPARAMETERS.items()}
OptimizerObject = Annotated[
    Union[tuple(Annotated[model, Tag(name)] for name, model in OPTIMIZER_MODELS.items())],  # noqa: UP007
    Discriminator(lambda v: v.get("type") if isinstance(v, dict) else getattr(v, "type", None)),
]
Optimizer = name_or_object(OptimizerName, OptimizerObject)


class Regularization(Strict):
    type: Literal[REGULARIZATION_KINDS] = Field(None, description="default none")
    rate: FiniteFloat = Field(None, ge=0, le=MAX_RATE, description="default 0")


DatasetName = Literal[(*DATASETS, *SPECIAL_DATASETS)]


NumberArray = TypeAliasType("NumberArray", "FiniteFloat | list[NumberArray]")


class ArrayEnvelope(Strict):
    """A large array: its little-endian bytes in base64 (uint8 images are read /255)."""

    dtype: Literal[ENVELOPE_DTYPES]
    shape: list[Annotated[int, Field(ge=0)]] = Field(min_length=1, max_length=8)
    data: str


class DataSpec(Strict):
    dataset: DatasetName = Field(
        description="a name from GET /api/datasets, 'inline' (X and "
        "y given here), 'csv' (csv text given here), 'text' (a text given here) or "
        "'series' (a series given here)"
    )
    params: dict[str, int | FiniteFloat] = Field(
        None, description="the dataset's parameters; GET /api/datasets lists them with ranges"
    )
    X: list[NumberArray] | ArrayEnvelope = Field(
        None,
        description="inline: one entry per sample, of any rank ((n, features) rows, "
        "(n, h, w, c) images), or an array envelope",
    )
    y: list[list[FiniteFloat]] | list[FiniteFloat] = Field(
        None, description="inline: targets, class indices or one-hot rows or values"
    )
    csv: str = Field(
        None,
        description="csv: a header row, then one row of numbers a sample; series: a CSV "
        "to read the series' column from",
    )
    targets: str | list[str] = Field(None, description="csv: the target column(s)")
    text: str = Field(None, description="text: the corpus (UTF-8), for a character model")
    normal_classes: list[Annotated[int, Field(ge=0)]] = Field(
        None,
        min_length=1,
        description="reconstruction: train on these classes only, test on all (the others "
        "are the anomalies)",
    )
    series: list[FiniteFloat] = Field(None, description="series: the values, in time order")
    column: str | int = Field(None, description="series with csv: the column's name or index")
    features: list[FeatureName] = Field(
        None, min_length=1, description="2-D data: input features to compute"
    )
    test_fraction: FiniteFloat = Field(None, ge=0, le=0.9)
    shuffle: bool = Field(None, description="shuffle the training set each epoch")
    task: Literal[TASKS] = Field(None, description="inline and csv data only")
    view: list[FiniteFloat] = Field(
        None,
        min_length=2,
        max_length=2,
        description="inline and csv 2-D data: [low, high] of both axes of the plane to draw "
        "(default: the points' span with a 10% margin)",
    )


class Reconstruction(Strict):
    """An autoencoder's options (objective "reconstruction")."""

    noise: FiniteFloat = Field(
        None,
        ge=0,
        le=engine_spec.MAX_NOISE,
        description="std of Gaussian noise added to the inputs while training (denoising)",
    )
    bottleneck: str | None = Field(
        None, description="the layer whose output is the code (default: the narrowest)"
    )


class Noise(Strict):
    """A GAN's noise: `dim` numbers a sample, uniform on [-1, 1] or standard normal."""

    dim: int = Field(None, ge=1, le=gan_spec.MAX_NOISE_DIM, description="default 2")
    distribution: Literal[gan_spec.NOISE_DISTRIBUTIONS] = Field(None, description="default uniform")


GanSteps = Annotated[int, Field(ge=1, le=gan_spec.MAX_STEPS_PER_ROUND)]


class SessionCreate(Strict):
    """A session spec: the same JSON builds a session in the engine and here."""

    objective: Literal[engine_spec.OBJECTIVE_NAMES] = Field(
        None,
        description="supervised (default), reconstruction (an autoencoder) or adversarial "
        "(a GAN: generator, discriminator, noise, gan_loss, d_steps, g_steps instead of "
        "model and loss)",
    )
    reconstruction: Reconstruction = Field(None, description="reconstruction only")
    generator: ModelSpec = Field(None, description="adversarial: noise to one sample of the data")
    discriminator: ModelSpec = Field(
        None, description="adversarial: one sample to one number (a sigmoid, or the logit)"
    )
    noise: Noise = Field(None, description="adversarial: the generator's input")
    gan_loss: Literal[gan_spec.GAN_LOSSES] = Field(
        None, description="adversarial: default non_saturating"
    )
    d_steps: GanSteps = Field(None, description="adversarial: discriminator steps a round (1)")
    g_steps: GanSteps = Field(None, description="adversarial: generator steps a round (1)")
    d_optimizer: Optimizer = Field(
        None, description="adversarial: the discriminator's, on top of optimizer"
    )
    g_optimizer: Optimizer = Field(
        None, description="adversarial: the generator's, on top of optimizer"
    )
    name: str = Field(None, max_length=200)
    seed: int = Field(None, ge=0, le=engine_spec.MAX_SEED)
    dtype: Literal[engine_spec.DTYPES] = Field(None, description="default float64")
    init_rng: Literal[engine_spec.INIT_RNGS] = Field(None, description="default pcg64")
    init_order: Literal[engine_spec.INIT_ORDERS] = Field(None, description="default layer")
    data: DataSpec
    model: ModelSpec = Field(None, description="required, except for adversarial")
    loss: Literal[tuple(LOSSES)] = Field(None, description="default mse")
    optimizer: Optimizer = Field(
        None,
        description="a name or an object with hyperparameters (adversarial: both "
        "networks', default adam lr 0.001 beta1 0.5)",
    )
    regularization: name_or_object(Literal[REGULARIZATION_KINDS], Regularization) | None = None
    batch_size: int | Literal["full"] = Field(None, description="an integer >= 1 or 'full'")
    epochs: int | None = Field(
        None,
        ge=1,
        le=engine_spec.MAX_EPOCHS,
        description="stop after this many epochs; null runs forever",
    )

    def engine_spec(self) -> dict:
        """The spec as the client gave it (no defaults added), for the engine."""
        return self.model_dump(exclude_unset=True, mode="json")


UNION_TAGS = frozenset({*LAYERS, *HYPERPARAMETERS, "by_name", "by_object"})
