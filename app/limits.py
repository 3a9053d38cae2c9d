"""The server's limits on what a spec may ask for, checked before the engine builds it.

The engine would build a 32-layer, million-unit model if asked; these checks keep one
request from taking the machine's memory. Each failure is a 422 that names the field,
the limit, and the flag that raises it.
"""

from engine import spec as engine_spec
from engine.data import DATASETS, parse_csv

from .errors import ApiError
from .settings import Settings


def _too_big(path: str, what: str, value: int, limit: int, flag: str) -> ApiError:
    return ApiError(422, "limit_exceeded", f"{what} is {value:,}, above this server's limit "
                                           f"of {limit:,} (--{flag})", path)


def check_spec(spec: dict, settings: Settings) -> dict:
    """Normalize `spec` with the engine (SpecError on bad input) and check the limits.
    Returns the normalized spec."""
    norm = engine_spec.normalize(spec)
    layers = norm["model"]["layers"]
    if len(layers) > settings.max_layers:
        raise _too_big("model.layers", "the number of layers", len(layers),
                       settings.max_layers, "max-layers")
    for i, layer in enumerate(layers):
        units = layer.get("units")
        if units is not None and units > settings.max_units:
            raise _too_big(f"model.layers[{i}].units", "units", units, settings.max_units,
                           "max-units")
    n_samples, width = _data_size(norm["data"])
    if n_samples > settings.max_samples:
        raise _too_big("data", "the number of samples", n_samples, settings.max_samples,
                       "max-samples")
    estimate = _dense_params(width, layers)
    if estimate is not None and estimate > settings.max_params:
        raise _too_big("model.layers", "the number of parameters", estimate,
                       settings.max_params, "max-params")
    return norm


def check_params(n_params: int, settings: Settings) -> None:
    """After building: for layer types the estimate does not know."""
    if n_params > settings.max_params:
        raise _too_big("model.layers", "the number of parameters", n_params,
                       settings.max_params, "max-params")


def _data_size(data: dict) -> tuple[int, int]:
    """(samples, input width after features)."""
    name = data["dataset"]
    if name == "inline":
        n, width = len(data["X"]), len(data["X"][0]) if data["X"] else 0
    elif name == "csv":
        X, _, _ = parse_csv(data["csv"], data["targets"], "data.csv")
        n, width = X.shape
    else:
        n, width = data["params"].get("n_samples", 4), DATASETS[name].n_features
    if data.get("features"):
        width = len(data["features"])
    return n, width


def _dense_params(width: int, layers: list[dict]) -> int | None:
    total = 0
    for layer in layers:
        if layer["type"] == "dense":
            total += (width + 1) * layer["units"]
            width = layer["units"]
        elif layer["type"] != "activation":
            return None  # a layer type this estimate does not know: checked after building
    return total


def check_steps(steps: int | None, epochs: int | None, steps_per_epoch: int,
                settings: Settings) -> int:
    """The most mini-batches the request can train; 422 beyond the per-request limit."""
    total = steps if steps is not None else epochs * steps_per_epoch
    if total > settings.max_steps_per_request:
        path = "steps" if steps is not None else "epochs"
        raise ApiError(422, "limit_exceeded",
                       f"{total:,} mini-batches is above this server's limit of "
                       f"{settings.max_steps_per_request:,} a request "
                       f"(--max-steps-per-request); ask for fewer", path)
    return total
