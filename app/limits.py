"""The server's limits on what a spec may ask for, checked before the engine builds it.

The engine would build a 32-layer, million-unit model if asked; these checks keep one
request from taking the machine's memory. Each failure is a 422 that names the field,
the limit, and the flag that raises it.
"""

import numpy as np

from engine import gan_spec
from engine import spec as engine_spec
from engine.data.inline import data_shape
from engine.model import build_stack

from .errors import ApiError
from .settings import Settings


def _too_big(path: str, what: str, value: int, limit: int, flag: str) -> ApiError:
    return ApiError(
        422,
        "limit_exceeded",
        f"{what} is {value:,}, above this server's limit of {limit:,} (--{flag})",
        path,
    )


def check_spec(spec: dict, settings: Settings) -> dict:
    """Normalize `spec` with the engine (SpecError on bad input) and check the limits,
    before any array is allocated. Returns the normalized spec."""
    norm = engine_spec.normalize(spec)
    adversarial = norm["objective"] == "adversarial"
    sections = ("generator", "discriminator") if adversarial else ("model",)
    for section in sections:
        _check_layers(norm[section]["layers"], f"{section}.layers", settings)
    n_samples, shape = data_shape(norm["data"])
    if n_samples > settings.max_samples:
        raise _too_big(
            "data", "the number of samples", n_samples, settings.max_samples, "max-samples"
        )
    if norm["data"].get("features"):
        shape = (len(norm["data"]["features"]),)
    if adversarial:  # shapes only: nothing allocated
        stacks = gan_spec.stacks(norm)
    else:
        stacks = (build_stack(norm["model"]["layers"], tuple(shape)),)
    stack = [layer for part in stacks for layer in part]
    n_params = sum(
        int(np.prod(p.shape, dtype=np.int64)) for layer in stack for p in layer.param_specs()
    )
    check_params(n_params, settings)
    batch = norm["batch_size"]
    batch = n_samples if batch == "full" else min(batch, n_samples)
    # a GAN's discriminator step takes a real and a generated batch at once
    per_sample = sum(_training_bytes(layer, norm["dtype"]) for layer in stack) * (
        2 if adversarial else 1
    )
    if per_sample * batch > settings.max_step_bytes:
        raise ApiError(
            413,
            "limit_exceeded",
            f"one training step would hold about {per_sample * batch:,} bytes of "
            f"layer outputs and gradients ({per_sample:,} a sample × batch "
            f"{batch:,}), above this server's limit of {settings.max_step_bytes:,}"
            f" (--max-step-bytes); use fewer filters, smaller images, more "
            f"pooling or a smaller batch",
            sections[0] + ".layers",
        )
    return norm


def _check_layers(layers: list[dict], path: str, settings: Settings) -> None:
    if len(layers) > settings.max_layers:
        raise _too_big(path, "the number of layers", len(layers), settings.max_layers, "max-layers")
    for i, layer in enumerate(layers):
        units = layer.get("units")
        if units is not None and units > settings.max_units:
            raise _too_big(f"{path}[{i}].units", "units", units, settings.max_units, "max-units")


def _training_bytes(layer, dtype: str) -> int:
    """A sample's share of a training step's arrays in `layer`: its output, the
    gradient at it and its pre-activation, plus a convolution's unfolded patches (im2col,
    forward and backward)."""
    itemsize = np.dtype(dtype).itemsize
    total = 3 * layer.output_bytes(dtype)
    if layer.type == "conv2d":
        kh, kw = layer.kernel
        oh, ow = layer.output_shape[:2]
        total += 2 * oh * ow * kh * kw * layer.input_shape[-1] * itemsize
    return total


def check_params(n_params: int, settings: Settings) -> None:
    if n_params > settings.max_params:
        raise _too_big(
            "model.layers", "the number of parameters", n_params, settings.max_params, "max-params"
        )


def check_steps(
    steps: int | None, epochs: int | None, steps_per_epoch: int, settings: Settings
) -> int:
    """The most mini-batches the request can train; 422 beyond the per-request limit."""
    total = steps if steps is not None else epochs * steps_per_epoch
    if total > settings.max_steps_per_request:
        path = "steps" if steps is not None else "epochs"
        raise ApiError(
            422,
            "limit_exceeded",
            f"{total:,} mini-batches is above this server's limit of "
            f"{settings.max_steps_per_request:,} a request "
            f"(--max-steps-per-request); ask for fewer",
            path,
        )
    return total
