"""The catalogue of built-in datasets: what a UI lists, what a spec may ask for.

One table describes every dataset (its parameters with ranges, its kind, modality and
per-sample shape, how to draw it; engine.data.info), so the API's dataset list, spec
validation and generation cannot disagree. The sets themselves are declared by kind in
engine.data.sets.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..errors import SpecError
from ..validate import describe
from . import distributions as dist
from .info import MODALITIES, TF_VIEW, DatasetInfo, ParamInfo, param_table, resolve
from .series import _windows as series_windows
from .sets import gan, images, points, sequences
from .text import _seq_len as text_seq_len

__all__ = ["MODALITIES", "TF_VIEW", "DatasetInfo", "ParamInfo"]

# Dataset names a spec may use that are not generated here: points given inline in
# the spec, and uploaded CSV text. They are handled by whoever builds the session.
SPECIAL_DATASETS = ("inline", "csv", "text", "series")

_ALL = [*points.ALL, *images.ALL, *gan.ALL, *sequences.ALL]

DATASETS: Mapping[str, DatasetInfo] = MappingProxyType({info.name: info for info in _ALL})

USER_PARAMS: Mapping[str, Mapping[str, ParamInfo]] = MappingProxyType(
    {
        "text": param_table({"seq_len": text_seq_len(50)}),
        "series": param_table(
            {
                **series_windows(12, 1, high=400),
                "season": ("int", 1, 1, 1000, "The series' season in steps (for baselines)."),
            }
        ),
    }
)
"""The parameters of the user's own text and series (the built-in sets declare theirs)."""


def get_dataset(name: object, path: str = "data.dataset") -> DatasetInfo:
    """The registry entry for `name`; SpecError listing the choices otherwise."""
    if isinstance(name, str) and name in DATASETS:
        return DATASETS[name]
    choices = ", ".join(DATASETS)
    special = " and ".join(repr(s) for s in SPECIAL_DATASETS)
    if name in SPECIAL_DATASETS:
        raise SpecError(path, f"{name!r} data is given in the spec, not generated")
    raise SpecError(
        path,
        f"unknown dataset {describe(name)}; available: {choices} "
        f"(or {special} to supply your own points)",
    )


def resolve_params(
    name: str, params: Mapping[str, Any] | None, path: str = "data.params"
) -> dict[str, Any]:
    """Fill defaults and check every value against its range.

    Unknown dataset names raise SpecError at ``data.dataset``; unknown or out-of-range
    parameters raise at ``path.<param>`` naming the allowed range. Returns a new dict.
    """
    table = USER_PARAMS[name] if name in USER_PARAMS else get_dataset(name).params
    return resolve(table, name, params, path)


def describe_datasets() -> list[dict[str, Any]]:
    """A JSON-able list of every dataset for an API's dataset picker.

    Every entry has "modality" and "shape" (one sample, at the default params); image
    sets add "class_names".
    """
    return [_describe(info) for info in DATASETS.values()]


def _describe(info: DatasetInfo) -> dict[str, Any]:
    entry = {
        "name": info.name,
        "title": info.title,
        "description": info.description,
        "kind": info.kind,
        "modality": info.modality,
        "shape": list(info.shape),
        "n_features": info.n_features,
        "classes": info.classes(),
        "params": {
            key: {
                "type": p.type,
                "default": p.default,
                "low": p.low,
                "high": p.high,
                "description": p.description,
            }
            for key, p in info.params.items()
        },
        "default_test_fraction": info.default_test_fraction,
        "view": None if info.view is None else list(info.view),
    }
    if info.modality == "image" or info.class_names:
        entry["class_names"] = list(info.class_names or map(str, range(info.classes())))
    entry["objectives"] = list(objectives_of(info))
    return entry


def objectives_of(info: DatasetInfo | None) -> tuple[str, ...]:
    """What a session may train on this dataset for (None: the user's own samples):
    a GAN's distributions are for GANs only, text and forecasting series for supervised
    models, the labelled windows of the anomaly lab for autoencoders."""
    if info is None:
        return ("supervised", "reconstruction", "adversarial")
    if info.name in dist.GENERATIVE:
        return ("adversarial",)
    if info.prepare is not None:
        return ("reconstruction",) if info.fixed_classes is not None else ("supervised",)
    return ("supervised", "reconstruction", "adversarial")
