"""The session spec: one JSON-able dict that fully determines a session.

`normalize(spec)` checks every field and returns a copy with every default filled in,
so that what a session reports as its spec rebuilds exactly the same session.
"""

import copy

from . import dataset as data_spec
from . import gan_spec, optimizers, regularization
from . import validate as v
from .errors import SpecError
from .losses import LOSSES

LIVE_FIELDS = {
    "optimizer",
    "regularization",
    "batch_size",
    "epochs",
    "shuffle",
    *gan_spec.GAN_LIVE_FIELDS,
}
TOP_FIELDS = {
    "seed",
    "dtype",
    "init_rng",
    "init_order",
    "data",
    "model",
    "loss",
    "optimizer",
    "regularization",
    "batch_size",
    "epochs",
    "name",
    "objective",
    "reconstruction",
    *gan_spec.GAN_FIELDS,
    *gan_spec.GAN_OPTIMIZERS,
}
OBJECTIVE_NAMES = ("supervised", "reconstruction", "adversarial")
MAX_NOISE = 10.0
DTYPES = ("float64", "float32")
INIT_RNGS = ("pcg64", "mt19937_legacy")
INIT_ORDERS = ("layer", "weights_first")
MAX_SEED = 2**32 - 1
MAX_BATCH = 1_000_000
MAX_EPOCHS = 10**9


def normalize(spec) -> dict:
    v.mapping(spec, "")
    v.no_unknown_keys(spec, TOP_FIELDS, "")
    objective = v.choice(spec.get("objective", "supervised"), "objective", OBJECTIVE_NAMES)
    if objective == "adversarial":
        return _adversarial(spec)
    for required in ("data", "model"):
        if required not in spec:
            raise SpecError(required, "is required")
    for field in (*gan_spec.GAN_FIELDS, *gan_spec.GAN_OPTIMIZERS):
        if field in spec:
            raise SpecError(field, 'only for "objective": "adversarial"')
    loss = spec.get("loss", "mse")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise SpecError("loss", f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    out = {
        "objective": objective,
        "name": _name(spec.get("name", "")),
        "seed": v.integer(spec.get("seed", 0), "seed", low=0, high=MAX_SEED),
        "dtype": v.choice(spec.get("dtype", "float64"), "dtype", DTYPES),
        "init_rng": v.choice(spec.get("init_rng", "pcg64"), "init_rng", INIT_RNGS),
        "init_order": v.choice(spec.get("init_order", "layer"), "init_order", INIT_ORDERS),
        "data": data_spec.normalize(
            spec["data"], LOSSES[loss].classification, objective == "reconstruction"
        ),
        "model": None,
        "loss": loss,
        "optimizer": optimizers.normalize(spec.get("optimizer", "sgd")),
        "regularization": regularization.normalize(spec.get("regularization")),
        "batch_size": batch_size(spec.get("batch_size", 10)),
        "epochs": epochs(spec.get("epochs")),
    }
    data_spec.check_objective(out["data"], objective)
    out["model"] = _fill_from_data(_model(spec["model"]), out["data"])
    if objective == "reconstruction":
        out["reconstruction"] = _reconstruction(spec.get("reconstruction"), out["model"])
    elif "reconstruction" in spec:
        raise SpecError("reconstruction", 'only for "objective": "reconstruction"')
    if "normal_classes" in out["data"] and objective != "reconstruction":
        raise SpecError(
            "data.normal_classes", 'an anomaly split is for "objective": "reconstruction"'
        )
    return out


def _adversarial(spec) -> dict:
    """A GAN's spec (engine.gan_spec): two networks, the noise, the loss, the steps of a
    round and an optimizer for each network."""
    if "data" not in spec:
        raise SpecError("data", "is required")
    out = {
        "objective": "adversarial",
        "name": _name(spec.get("name", "")),
        "seed": v.integer(spec.get("seed", 0), "seed", low=0, high=MAX_SEED),
        "dtype": v.choice(spec.get("dtype", "float64"), "dtype", DTYPES),
        "init_rng": v.choice(spec.get("init_rng", "pcg64"), "init_rng", INIT_RNGS),
        "init_order": v.choice(spec.get("init_order", "layer"), "init_order", INIT_ORDERS),
        "data": gan_spec.data(spec["data"]),
        **gan_spec.normalize(spec),
        "regularization": regularization.normalize(spec.get("regularization")),
        "batch_size": batch_size(spec.get("batch_size", 64)),
        "epochs": epochs(spec.get("epochs")),
    }
    gan_spec.stacks(out)
    return out


def _reconstruction(section, model: dict) -> dict:
    """An autoencoder's options: `noise`, the standard deviation of the Gaussian noise
    added to its inputs while training (a denoising autoencoder; 0 for none), and
    `bottleneck`, the layer whose output is the latent code (default: the narrowest)."""
    section = v.mapping({} if section is None else section, "reconstruction")
    v.no_unknown_keys(section, {"noise", "bottleneck"}, "reconstruction")
    noise = v.number(section.get("noise", 0.0), "reconstruction.noise", low=0.0, high=MAX_NOISE)
    bottleneck = section.get("bottleneck")
    names = [layer.get("name") for layer in model["layers"]]
    if bottleneck is not None and bottleneck not in names:
        given = [n for n in names if n]
        raise SpecError(
            "reconstruction.bottleneck",
            f"no layer named {v.describe(bottleneck)}"
            + (f"; the named layers are {', '.join(given)}" if given else "; name a layer first"),
        )
    return {"noise": noise, "bottleneck": bottleneck}


def _fill_from_data(model: dict, data: dict) -> dict:
    """Sizes the data fixes: an embedding's vocab_size, and the output layer's units
    for text (one logit a character) and series (one output a step ahead)."""
    layers = model["layers"]
    vocab = data_spec.vocabulary_of(data)
    size = data_spec.output_size_of(data)
    dense = [i for i, layer in enumerate(layers) if layer["type"] == "dense"]
    for i, layer in enumerate(layers):
        if layer["type"] == "embedding" and layer.get("vocab_size") is None:
            if vocab is None:
                raise SpecError(
                    f"model.layers[{i}].vocab_size",
                    "is required: only text data has a vocabulary to take it from",
                )
            layer["vocab_size"] = len(vocab)
        if layer["type"] == "dense" and layer["units"] is None:
            if size is None or i != dense[-1]:
                raise SpecError(
                    f"model.layers[{i}].units",
                    "is required for a dense layer (only the output layer of text or "
                    "series data may leave it out)",
                )
            layer["units"] = size
    return model


def _name(value) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise SpecError(
            "name", f"must be a text of at most 200 characters, received {v.describe(value)}"
        )
    return value


def _model(model) -> dict:
    return gan_spec.normalize_layers(model, "model")


def batch_size(value, path: str = "batch_size") -> int | str:
    """A positive integer, or "full" for the whole training set in one batch."""
    if value == "full":
        return "full"
    return v.integer(value, path, low=1, high=MAX_BATCH)


def epochs(value, path: str = "epochs") -> int | None:
    """Training stops (status "finished") after this many epochs; None runs forever."""
    if value is None:
        return None
    return v.integer(value, path, low=1, high=MAX_EPOCHS)


def apply_changes(spec: dict, changes) -> dict:
    """The spec after live changes, every change checked before any is taken.

    Accepts `optimizer` (hyperparameters, or a `type`: the other hyperparameters then
    start from that optimizer's defaults), `regularization`, `batch_size`, `epochs` and
    `shuffle`; partial objects update only what they name.
    """
    v.mapping(changes, "")
    v.no_unknown_keys(changes, LIVE_FIELDS, "")
    new = copy.deepcopy(spec)
    gan_spec.apply_changes(spec, changes, new)
    if "optimizer" in changes:
        opt = v.mapping(changes["optimizer"], "optimizer")
        kind = opt.get("type", new["optimizer"]["type"])
        base = new["optimizer"] if kind == new["optimizer"]["type"] else {"type": kind}
        new["optimizer"] = optimizers.normalize({**base, **opt, "type": kind})
    if "regularization" in changes:
        update = v.mapping(changes["regularization"], "regularization")
        new["regularization"] = regularization.normalize({**new["regularization"], **update})
    if "batch_size" in changes:
        new["batch_size"] = batch_size(changes["batch_size"])
    if "epochs" in changes:
        new["epochs"] = epochs(changes["epochs"])
    if "shuffle" in changes:
        new["data"]["shuffle"] = v.boolean(changes["shuffle"], "shuffle")
    return new
