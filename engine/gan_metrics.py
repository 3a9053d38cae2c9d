"""How close a GAN's samples are to the real distribution, for 2-D data.

- KL and JS divergence between the real and the generated points counted on a
  bins × bins grid over the plane shown (GAN Lab's evaluator: densities smoothed by
  1e-4, logarithms base 2, so JS is in bits and at most about 1; KL is KL(real ‖ fake)).
  Points outside the plane count in one more cell, so a generator that throws its
  points off the plane is charged for them instead of being ignored.
- For data made of Gaussian modes (engine.data.distributions.MIXTURES): a generated
  point is of high quality when it lies within 3σ of its nearest mode (the
  Mahalanobis distance with the mode's per-axis σ, so 3σ of a round mode); a mode is
  covered when at least 0.8% of the points are high-quality points of it (PacGAN's
  20 of 2,500). These are the measures of the Unrolled GAN and VEEGAN papers.
"""

import numpy as np

GRID_BINS = 30  # GAN Lab's NUM_GRID_CELLS
SMOOTHING = 1e-4
QUALITY_SIGMAS = 3.0
COVERED_SHARE = 0.008  # PacGAN: 20 of 2,500 samples


def grid_densities(points: np.ndarray, view: tuple[float, float], bins: int) -> np.ndarray:
    """The share of `points` (n, 2) in each cell of a bins × bins grid over view² (row
    by y, column by x), and last the share outside it: (bins² + 1,), summing to 1."""
    low, high = view
    cells = np.floor((np.asarray(points, np.float64) - low) / (high - low) * bins)
    inside = np.all((cells >= 0) & (cells < bins), axis=1)
    index = np.where(inside, cells[:, 1] * bins + cells[:, 0], bins * bins).astype(np.int64)
    return np.bincount(index, minlength=bins * bins + 1) / max(len(points), 1)


def grid_divergences(
    real: np.ndarray, fake: np.ndarray, view: tuple[float, float], bins: int = GRID_BINS
) -> tuple[float, float]:
    """(KL(real ‖ fake), JS(real, fake)) in bits on the grid."""
    p = grid_densities(real, view, bins) + SMOOTHING
    q = grid_densities(fake, view, bins) + SMOOTHING
    mean = 0.5 * (p + q)  # GAN Lab smooths the mean as it does the others
    kl = float(np.sum(p * np.log2(p / q)))
    js = 0.5 * float(np.sum(p * np.log2(p / mean)) + np.sum(q * np.log2(q / mean)))
    return kl, js


def mode_quality(
    fake: np.ndarray, centres: np.ndarray, stds: np.ndarray
) -> tuple[int, float, np.ndarray]:
    """(modes covered, share of high-quality points, high-quality points per mode) for
    generated points `fake` (n, 2) and modes with `centres` (k, 2) and per-axis `stds`
    (k, 2)."""
    fake = np.asarray(fake, np.float64)
    k = len(centres)
    if not len(fake):
        return 0, 0.0, np.zeros(k, np.int64)
    scaled = (fake[:, None, :] - centres[None]) / stds[None]
    distance = np.sqrt(np.einsum("nkd,nkd->nk", scaled, scaled))
    nearest = distance.argmin(axis=1)
    good = distance[np.arange(len(fake)), nearest] <= QUALITY_SIGMAS
    counts = np.bincount(nearest[good], minlength=k)
    needed = max(1.0, COVERED_SHARE * len(fake))
    return int(np.count_nonzero(counts >= needed)), float(good.mean()), counts
