"""Models of the session resource and its actions: SessionPatch (live changes),
SessionPublic (the summary every endpoint returns), and the small request/response
pairs of step, predict, activations, boundary and weights.

Floats in responses are `float | None`: the engine reports a non-finite loss as None,
and arrays are sent through app.encode, which turns NaN and infinity into null (JSON
has neither; a NaN would be a 500 here or invalid JSON in a browser).
"""

from typing import Any, Literal

from pydantic import BaseModel, Field, FiniteFloat, RootModel, create_model, model_validator
from typing_extensions import TypeAliasType

from engine import gan_spec
from engine import spec as engine_spec
from engine.objectives.adversarial import PARTS
from engine.optimizers import HYPERPARAMETERS
from engine.regularization import KINDS as REGULARIZATION_KINDS
from engine.regularization import MAX_RATE

from .spec import OptimizerName, Strict, hyperparameter_field

NumberArray = TypeAliasType("NumberArray", "FiniteFloat | list[NumberArray]")

Status = Literal["ready", "running", "paused", "diverged", "finished"]


def _optimizer_patch() -> type[BaseModel]:
    """Every hyperparameter of every optimizer, from the engine's table (the first
    optimizer that has one gives its range; the engine checks the rest)."""
    fields: dict[str, Any] = {"type": (OptimizerName, None)}
    for table in HYPERPARAMETERS.values():
        for key, row in table.items():
            fields.setdefault(key, hyperparameter_field(*row))
    return create_model(
        "OptimizerPatch",
        __base__=Strict,
        **fields,
        __doc__=(
            "Hyperparameters to change; a new `type` starts the optimizer's state afresh. Which "
            "hyperparameters apply depends on the optimizer (see the spec's optimizer)."
        ),
    )


OptimizerPatch = _optimizer_patch()


class RegularizationPatch(Strict):
    type: Literal[REGULARIZATION_KINDS] = None
    rate: FiniteFloat = Field(None, ge=0, le=MAX_RATE)


class SessionPatch(Strict):
    """Live changes: they apply from the next step, keeping weights and optimizer state."""

    optimizer: OptimizerPatch = None
    regularization: RegularizationPatch = None
    batch_size: int | Literal["full"] = Field(None, description="an integer >= 1 or 'full'")
    epochs: int | None = Field(None, ge=1, le=engine_spec.MAX_EPOCHS)
    shuffle: bool = None
    d_optimizer: OptimizerPatch = Field(None, description="adversarial: the discriminator's")
    g_optimizer: OptimizerPatch = Field(None, description="adversarial: the generator's")
    gan_loss: Literal[gan_spec.GAN_LOSSES] = Field(None, description="adversarial")
    d_steps: int = Field(None, ge=1, le=gan_spec.MAX_STEPS_PER_ROUND, description="adversarial")
    g_steps: int = Field(None, ge=1, le=gan_spec.MAX_STEPS_PER_ROUND, description="adversarial")

    @model_validator(mode="after")
    def _batch_size_positive(self):
        if isinstance(self.batch_size, int) and not 1 <= self.batch_size <= engine_spec.MAX_BATCH:
            raise ValueError(
                f"batch_size must be 'full' or between 1 and "
                f"{engine_spec.MAX_BATCH}, received {self.batch_size}"
            )
        return self

    def engine_changes(self) -> dict:
        return self.model_dump(exclude_unset=True, mode="json")


class Metrics(BaseModel):
    step: int
    epoch: int
    status: Status
    batch_loss: float | None = None
    train_loss: float | None = None
    test_loss: float | None = None
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    penalty: float | None = None
    d_loss: float | None = Field(None, description="adversarial: the last step's D loss")
    g_loss: float | None = Field(None, description="adversarial: the last step's G loss")
    d_real: float | None = Field(None, description="adversarial: mean D(x) on real samples")
    d_fake: float | None = Field(None, description="adversarial: mean D(G(z))")
    kl: float | None = Field(None, description="adversarial 2-D: KL(real ‖ fake) in bits")
    js: float | None = Field(None, description="adversarial 2-D: JS divergence in bits")
    modes: float | None = Field(None, description="adversarial mixtures: modes covered")
    high_quality: float | None = Field(
        None, description="adversarial mixtures: share of points within 3σ of a mode"
    )


class LayerSummary(BaseModel):
    name: str
    type: str
    output_shape: list[int]
    params: int
    trainable: bool


class SessionPublic(BaseModel):
    id: str
    name: str
    spec: dict[str, Any]
    step: int
    epoch: int
    status: Status
    n_params: int
    steps_per_epoch: int
    metrics: Metrics
    created: float = Field(description="Unix time")
    updated: float = Field(description="Unix time of the last change")
    modality: str | None = Field(None, description="the data's kind: points, table, image")
    layers: list[LayerSummary] | None = Field(
        None, description="one row a layer, as Keras's summary (sessions in memory)"
    )


class StepRequest(Strict):
    """Exactly one of `steps` (mini-batches) and `epochs`; at most --max-steps-per-request
    mini-batches in all, and training stops early after --step-time-budget seconds."""

    steps: int = Field(None, ge=1, description="mini-batches to train")
    epochs: int = Field(None, ge=1, description="epochs to finish")
    part: Literal[PARTS] = Field(
        None,
        description="adversarial: what a step is, a round (default), a discriminator step "
        "(d) or a generator step (g)",
    )

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.steps is None) == (self.epochs is None):
            raise ValueError("give exactly one of steps and epochs")
        return self


class StepResult(BaseModel):
    metrics: Metrics
    steps_done: int
    complete: bool = Field(
        description="false when the time budget stopped training early, "
        "or it diverged or finished first"
    )
    seconds: float


Matrix = list[list[float | None]]


class PredictRequest(Strict):
    inputs: list[NumberArray] = Field(
        min_length=1,
        description="raw points, one a row, or samples of the data's shape (images (h, w, c))",
    )


class PredictResponse(BaseModel):
    outputs: Matrix


class ActivationsRequest(Strict):
    """Either raw `inputs`, or the index of a `sample` of the `split` (train or test)."""

    inputs: list[NumberArray] = Field(None, min_length=1, description="as predict's")
    sample: int = Field(None, ge=0)
    split: Literal["train", "test"] = "train"

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.inputs is None) == (self.sample is None):
            raise ValueError("give exactly one of inputs and sample")
        return self


class ActivationsResponse(BaseModel):
    inputs: list[Any] = Field(description="the raw points (or samples)")
    features: list[Any] = Field(description="the model's inputs (features applied)")
    layers: list[list[Any]] = Field(description="every layer's output, one array a layer")


class BoundaryResponse(BaseModel):
    x: list[float]
    y: list[float]
    output: list[list[list[float | None]]] = Field(
        description="[row][column][unit]; row i, column j is (x[j], y[i])"
    )
    layers: list[list[list[list[float | None]]]] | None = None


class LayerWeights(RootModel[dict[str, NumberArray]]):
    """One layer's arrays by name, as the layer table names them: dense {W (inputs ×
    units), b (units)}; conv2d {W (kh, kw, in_channels, filters), b}; batchnorm {gamma,
    beta, running_mean, running_var}; layers without parameters {}."""
