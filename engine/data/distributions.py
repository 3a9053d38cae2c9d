"""2-D distributions for a GAN to learn: GAN Lab's four (a line, two Gaussian hills,
a ring, three disjoint blobs) and eight Gaussians on a circle (where a GAN shows mode
collapse).

GAN Lab's shapes follow its `sampleFromTrueDistribution` exactly and live, as there,
in the unit square (the plane to draw is [0, 1]²). The eight Gaussians are the
Unrolled GAN paper's set-up: centres on a circle of radius 2, standard deviation 0.02.

Each generator returns (X (n, 2), y (n, 1)) like the others in engine.data, y being
the mixture component a point was drawn from (0 for the line and the ring, which
have one). `noise` (0 by default) adds Gaussian noise of that standard deviation to
every point, on top of each shape's own spread. `MIXTURES` gives, for the data made of Gaussian modes, each mode's centre
and per-axis standard deviation, which the GAN's mode metrics read
(engine.gan_metrics).
"""

from collections.abc import Callable, Mapping

import numpy as np

from .generators import TAU, Arrays, _check, _polar, _shuffled, _split_evenly

# GAN Lab's two hills: (centre x, centre y, std x, std y), chosen with probability 1/2
_HILLS = np.array([[0.3, 0.7, 0.1, 0.1], [0.7, 0.4, 0.05, 0.2]])
# GAN Lab's three disjoint blobs (its thresholds 0.333 and 0.666 on one uniform draw)
_BLOBS = np.array([[0.35, 0.75], [0.75, 0.6], [0.45, 0.35]])
_BLOB_STD = 0.025
_BLOB_CUTS = np.array([0.333, 0.666])
EIGHT_RADIUS = 2.0


def line(rng: np.random.Generator, n_samples: int = 2000, noise: float = 0.0) -> Arrays:
    """GAN Lab's line: from (0.8, 0.6) to (0.05, 0.9), with noise of std 0.01."""
    _check(n_samples, noise)
    t = rng.uniform(size=n_samples)
    X = np.column_stack([0.8 - 0.75 * t, 0.6 + 0.3 * t])
    X += 0.01 * rng.standard_normal((n_samples, 2))
    return _noised(rng, X, noise, np.zeros(n_samples))


def two_hills(rng: np.random.Generator, n_samples: int = 2000, noise: float = 0.0) -> Arrays:
    """GAN Lab's "mixture of Gaussians": a round hill around (0.3, 0.7) (std 0.1) and
    a tall one around (0.7, 0.4) (std 0.05 across, 0.2 along), half the points each."""
    _check(n_samples, noise)
    labels = (rng.uniform(size=n_samples) >= 0.5).astype(np.int64)
    hills = _HILLS[labels]
    X = hills[:, :2] + hills[:, 2:] * rng.standard_normal((n_samples, 2))
    return _noised(rng, X, noise, labels)


def ring(rng: np.random.Generator, n_samples: int = 2000, noise: float = 0.0) -> Arrays:
    """GAN Lab's ring: an ellipse of radii 0.3 and 0.25 around (0.5, 0.45), noise 0.025."""
    _check(n_samples, noise)
    angle = TAU * rng.uniform(size=n_samples)
    X = np.column_stack([0.5 + 0.3 * np.cos(angle), 0.45 + 0.25 * np.sin(angle)])
    X += 0.025 * rng.standard_normal((n_samples, 2))
    return _noised(rng, X, noise, np.zeros(n_samples))


def disjoint(rng: np.random.Generator, n_samples: int = 2000, noise: float = 0.0) -> Arrays:
    """GAN Lab's three disjoint regions: round blobs of std 0.025, a third each."""
    _check(n_samples, noise)
    labels = np.searchsorted(_BLOB_CUTS, rng.uniform(size=n_samples), side="right")
    X = _BLOBS[labels] + _BLOB_STD * rng.standard_normal((n_samples, 2))
    return _noised(rng, X, noise, labels)


def eight_gaussians(
    rng: np.random.Generator, n_samples: int = 2000, noise: float = 0.0, std: float = 0.02
) -> Arrays:
    """Eight Gaussians of standard deviation `std` on a circle of radius 2 (mode 0 at
    the top, then clockwise), the points split evenly among them."""
    _check(n_samples, noise)
    labels = np.repeat(np.arange(8), _split_evenly(n_samples, 8))
    X = _eight_centres()[labels] + std * rng.standard_normal((n_samples, 2))
    return _noised(rng, X, noise, labels)


def _noised(rng: np.random.Generator, X: np.ndarray, noise: float, labels) -> Arrays:
    if noise:
        X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, labels)


def _eight_centres() -> np.ndarray:
    return _polar(np.full(8, EIGHT_RADIUS), TAU * np.arange(8) / 8)


def _blobs_modes(params: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """engine.data.generators.blobs: k centres on a circle of radius 3.5, std 0.5 + 3·noise."""
    k = params["classes"]
    centres = _polar(np.full(k, 3.5), TAU * np.arange(k) / k)
    return centres, np.full((k, 2), 0.5 + 3.0 * params["noise"])


def _spread(std, noise: float) -> np.ndarray:
    """A mode's standard deviation with the extra noise on top."""
    return np.sqrt(np.square(std) + noise * noise)


MIXTURES: Mapping[str, Callable[[Mapping], tuple[np.ndarray, np.ndarray]]] = {
    "gan-gaussians": lambda p: (_HILLS[:, :2].copy(), _spread(_HILLS[:, 2:], p["noise"])),
    "gan-disjoint": lambda p: (_BLOBS.copy(), _spread(np.full((3, 2), _BLOB_STD), p["noise"])),
    "eight-gaussians": lambda p: (_eight_centres(), _spread(np.full((8, 2), p["std"]), p["noise"])),
    "blobs": _blobs_modes,
}
"""Data made of Gaussian modes: params -> (centres (k, 2), standard deviations (k, 2))."""

GENERATIVE = ("gan-line", "gan-gaussians", "gan-ring", "gan-disjoint", "eight-gaussians")
"""Distributions only a GAN learns (their labels name a mode, not a class to predict)."""


def mixture_of(data_spec: Mapping) -> tuple[np.ndarray, np.ndarray] | None:
    """The modes of a normalized data spec's distribution, or None when it has none."""
    make = MIXTURES.get(data_spec.get("dataset"))
    return None if make is None else make(data_spec.get("params", {}))
