"""GET /api/catalog: everything a client may choose from, straight from the engine's
declarations, so that the page builds its controls from it and keeps no list."""

from typing import Any

from fastapi import APIRouter

from engine import gan_spec
from engine.activations import ACTIVATIONS
from engine.activations import ALIASES as ACTIVATION_ALIASES
from engine.data import FEATURES, SPECIAL_DATASETS, describe_datasets
from engine.initializers import INITIALIZERS
from engine.layers import describe_layers
from engine.losses import LOSSES
from engine.objectives import OBJECTIVES
from engine.optimizers import HYPERPARAMETERS
from engine.regularization import KINDS as REGULARIZATION_KINDS
from engine.regularization import MAX_RATE
from engine.views import describe_views

router = APIRouter(tags=["meta"])


def _number(x):
    return None if x == float("inf") else x


def build_catalog() -> dict[str, Any]:
    return {
        "layers": describe_layers(),
        "activations": sorted(ACTIVATIONS),
        "activation_aliases": dict(ACTIVATION_ALIASES),
        "losses": [
            {
                "name": name,
                "classification": loss.classification,
                "fuses_with": loss.fuses_with or None,
            }
            for name, loss in LOSSES.items()
        ],
        "optimizers": {
            name: {
                key: {"default": d, "low": _number(lo), "high": _number(hi)}
                for key, (d, lo, hi) in table.items()
            }
            for name, table in HYPERPARAMETERS.items()
        },
        "initializers": {name: dict(params) for name, params in INITIALIZERS.items()},
        "regularization": {"kinds": list(REGULARIZATION_KINDS), "max_rate": MAX_RATE},
        "objectives": list(OBJECTIVES),
        "gan": {
            "losses": list(gan_spec.GAN_LOSSES),
            "noise_distributions": list(gan_spec.NOISE_DISTRIBUTIONS),
            "max_noise_dim": gan_spec.MAX_NOISE_DIM,
            "max_steps_per_round": gan_spec.MAX_STEPS_PER_ROUND,
            "default_optimizer": gan_spec.DEFAULT_OPTIMIZER,
            "parts": list(OBJECTIVES["adversarial"].parts),
        },
        "features": list(FEATURES),
        "datasets": describe_datasets(),
        "special_datasets": list(SPECIAL_DATASETS),
        "views": describe_views(),
    }


CATALOG = build_catalog()


@router.get("/catalog", response_model=dict[str, Any])
async def catalog() -> dict:
    """Layers with their fields and ranges, activations, losses, optimizers with their
    hyperparameters, initializers, regularization, objectives (and a GAN's losses, noise
    and step parts), features, datasets and views: every choice the engine offers."""
    return CATALOG
