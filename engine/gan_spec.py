"""The spec of a GAN session ("objective": "adversarial"), checked and filled in.

    "generator": {"layers": [...]}        noise (noise.dim,) -> one sample of the data
    "discriminator": {"layers": [...]}    one sample -> one number
    "noise": {"dim": 2, "distribution": "uniform" | "normal"}
    "gan_loss": "minimax" | "non_saturating" | "least_squares"   (non_saturating)
    "d_steps": 1, "g_steps": 1            updates of each network in a round
    "optimizer": ...                      both networks' (Adam, lr 1e-3, beta1 0.5)
    "d_optimizer": ..., "g_optimizer": ... one network's own, on top of "optimizer"

The data section gives the real samples: 2-D points (a distribution of
engine.data.distributions, any other points dataset, or inline points, whose `y` may
then be left out), a table or images; nothing is held out unless `test_fraction`
says so, and 2-D points are the plane itself (no feature transforms). Uniform noise
is drawn on [-1, 1], normal noise from N(0, 1).

The networks' shapes (the generator's output is one real sample, the discriminator's
one number) are checked by `stacks`, before any array is allocated.
"""

from collections.abc import Mapping

import numpy as np

from . import dataset as data_spec
from . import optimizers
from . import validate as v
from .data.inline import MAX_INLINE_SAMPLES, data_shape
from .errors import SpecError
from .layers import Layer, normalize_layer
from .model import build_stack

GAN_FIELDS = ("generator", "discriminator", "noise", "gan_loss", "d_steps", "g_steps")
GAN_OPTIMIZERS = ("d_optimizer", "g_optimizer")
GAN_LIVE_FIELDS = ("gan_loss", "d_steps", "g_steps", *GAN_OPTIMIZERS)
GAN_LOSSES = ("minimax", "non_saturating", "least_squares")
NOISE_DISTRIBUTIONS = ("uniform", "normal")
DEFAULT_OPTIMIZER = {"type": "adam", "lr": 1e-3, "beta1": 0.5}
MAX_NOISE_DIM = 4096
MAX_STEPS_PER_ROUND = 100
SHAPE_ONLY = ("reshape", "flatten")  # layers after the output activation that only reshape


def normalize(spec: Mapping) -> dict:
    """The GAN part of a normalized spec (the data section is `data`'s)."""
    for field in ("model", "loss", "reconstruction"):
        if field in spec:
            hint = {
                "model": '"generator" and "discriminator"',
                "loss": '"gan_loss"',
                "reconstruction": "nothing of an autoencoder's",
            }[field]
            raise SpecError(field, f"an adversarial session takes {hint} instead")
    for field in ("generator", "discriminator"):
        if field not in spec:
            raise SpecError(field, 'is required for "objective": "adversarial"')
    base = optimizers.normalize(spec.get("optimizer", DEFAULT_OPTIMIZER))
    out = {
        "generator": normalize_layers(spec["generator"], "generator"),
        "discriminator": normalize_layers(spec["discriminator"], "discriminator"),
        "noise": noise(spec.get("noise")),
        "gan_loss": v.choice(spec.get("gan_loss", "non_saturating"), "gan_loss", GAN_LOSSES),
        "d_steps": steps(spec.get("d_steps", 1), "d_steps"),
        "g_steps": steps(spec.get("g_steps", 1), "g_steps"),
        "optimizer": base,
    }
    for field in GAN_OPTIMIZERS:
        out[field] = network_optimizer(spec.get(field), base, field)
    for section in ("generator", "discriminator"):
        for i, layer in enumerate(out[section]["layers"]):
            if layer["type"] == "dense" and layer["units"] is None:
                raise SpecError(f"{section}.layers[{i}].units", "is required for a dense layer")
            if layer["type"] == "embedding":
                raise SpecError(f"{section}.layers[{i}].type", "a GAN's networks take no embedding")
    return out


def data(section, path: str = "data") -> dict:
    """The real samples' section: inline points need no `y`, nothing is held out by
    default, and 2-D points are read as they are."""
    section = dict(v.mapping(section, path))
    name = section.get("dataset")
    if data_spec.is_sequential(name):
        raise SpecError(
            v.join(path, "dataset"), f"a GAN learns points, tables or images, not {name!r} data"
        )
    if name == "inline" and "X" in section and "y" not in section:
        X = section["X"]
        rows = X.get("shape", [None])[0] if isinstance(X, Mapping) else len(X)
        if isinstance(rows, int) and 0 <= rows <= MAX_INLINE_SAMPLES:
            section["y"] = [0.0] * rows
    section.setdefault("test_fraction", 0.0)
    features = section.get("features")
    if features is not None and list(features) != ["x1", "x2"]:
        raise SpecError(
            v.join(path, "features"),
            "a GAN generates points of the plane itself: no feature transforms "
            f"(leave features out or give ['x1', 'x2']), received {v.describe(features)}",
        )
    return data_spec.normalize(section, False, True, path)


def noise(section) -> dict:
    section = v.mapping({} if section is None else section, "noise")
    v.no_unknown_keys(section, {"dim", "distribution"}, "noise")
    return {
        "dim": v.integer(section.get("dim", 2), "noise.dim", low=1, high=MAX_NOISE_DIM),
        "distribution": v.choice(
            section.get("distribution", "uniform"), "noise.distribution", NOISE_DISTRIBUTIONS
        ),
    }


def steps(value, path: str) -> int:
    return v.integer(value, path, low=1, high=MAX_STEPS_PER_ROUND)


def network_optimizer(value, base: dict, path: str) -> dict:
    """One network's optimizer: `base` with what `value` changes (a new type starts
    from that optimizer's defaults)."""
    if value is None:
        return dict(base)
    if isinstance(value, str):
        value = {"type": value}
    value = v.mapping(value, path)
    kind = value.get("type", base["type"])
    start = base if kind == base["type"] else {"type": kind}
    try:
        return optimizers.normalize({**start, **value, "type": kind})
    except SpecError as exc:
        raise SpecError(path + exc.path.removeprefix("optimizer"), exc.message) from None


def stacks(spec: dict) -> tuple[list[Layer], list[Layer]]:
    """The generator's and the discriminator's layers, built for their shapes only
    (nothing allocated), with the shapes a GAN needs checked."""
    _, sample = data_shape(spec["data"])
    sample = tuple(sample)
    generator = build_stack(
        spec["generator"]["layers"], (spec["noise"]["dim"],), "generator.layers"
    )
    out = tuple(generator[-1].output_shape)
    if out != sample:
        raise SpecError(
            "generator.layers",
            f"the generator makes samples of shape {list(out)}, but the real samples have "
            f"shape {list(sample)}"
            + (" (end with a reshape layer)" if int(np.prod(out)) == int(np.prod(sample)) else ""),
        )
    discriminator = build_stack(spec["discriminator"]["layers"], sample, "discriminator.layers")
    if tuple(discriminator[-1].output_shape) != (1,):
        raise SpecError(
            "discriminator.layers",
            "the discriminator must give one number a sample (end with a dense layer of 1 "
            f"unit), but it gives shape {list(discriminator[-1].output_shape)}",
        )
    if spec["gan_loss"] != "least_squares":
        last = len(discriminator) - 1
        activation = getattr(discriminator[last], "activation", None)
        if activation not in ("sigmoid", "linear"):
            raise SpecError(
                f"discriminator.layers[{last}].activation",
                f"the {spec['gan_loss']} loss reads the discriminator's output as a "
                "probability: its last layer needs a sigmoid (or a linear output, read as "
                f"the logit), received {activation!r}",
            )
    return generator, discriminator


def output_activation(layers: list[Layer]) -> str | None:
    """The activation a stack's output comes out of, looking past reshapes."""
    for layer in reversed(layers):
        if layer.type not in SHAPE_ONLY:
            return getattr(layer, "activation", None)
    return None


def apply_changes(spec: dict, changes: Mapping, new: dict) -> None:
    """Live changes of a GAN into `new` (a copy of `spec`): `optimizer` changes both
    networks' (and is the base of what `d_optimizer` / `g_optimizer` then change),
    `gan_loss`, `d_steps` and `g_steps` apply from the next step."""
    if spec["objective"] != "adversarial":
        for field in GAN_LIVE_FIELDS:
            if field in changes:
                raise SpecError(field, 'only for "objective": "adversarial"')
        return
    if "optimizer" in changes:
        for field in GAN_OPTIMIZERS:
            new[field] = network_optimizer(changes["optimizer"], new[field], field)
    for field in GAN_OPTIMIZERS:
        if field in changes:
            new[field] = network_optimizer(changes[field], new[field], field)
    if "gan_loss" in changes:
        new["gan_loss"] = v.choice(changes["gan_loss"], "gan_loss", GAN_LOSSES)
        stacks(new)  # the discriminator's output must suit the new loss
    for field in ("d_steps", "g_steps"):
        if field in changes:
            new[field] = steps(changes[field], field)


def normalize_layers(section, path: str) -> dict:
    """{"layers": [...]} with every layer normalized and names unique."""
    v.mapping(section, path)
    v.no_unknown_keys(section, {"layers"}, path)
    layers = section.get("layers")
    where = v.join(path, "layers")
    if not isinstance(layers, list) or not layers:
        raise SpecError(where, f"must be a non-empty list of layers, received {v.describe(layers)}")
    out = [normalize_layer(layer, f"{where}[{i}]") for i, layer in enumerate(layers)]
    seen = set()
    for i, layer in enumerate(out):
        if "name" in layer and layer["name"] in seen:
            raise SpecError(
                f"{where}[{i}].name",
                f"the name {layer['name']!r} is already used by an earlier layer",
            )
        seen.add(layer.get("name"))
    return {"layers": out}
