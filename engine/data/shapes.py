"""Procedural images of four shapes: a first image set that needs no file and that a
small CNN learns in seconds, with size, position and rotation varying per image.

Each shape is drawn from its signed distance d (in pixels, negative inside) as coverage
clip(0.5 - d, 0, 1): pixels on an edge get partial ink, so the shapes are anti-aliased
and look the same at any image size. Everything is whole-array NumPy: one
(n, size, size) grid per class, no per-pixel or per-image Python loop.
"""

import numpy as np

from ..validate import integer, number

CLASS_NAMES = ("circle", "square", "triangle", "cross")
# Radius R of the shape's circumcircle as a fraction of the image side: big enough to be
# seen at 8×8, small enough to move around inside the frame.
RADIUS_RANGE = (0.22, 0.4)
_TRIANGLE_NORMALS = np.stack(
    [np.cos(a := 2 * np.pi * np.arange(3) / 3 - np.pi / 2), np.sin(a)], axis=1
)  # one edge faces up, a vertex points down


def _circle(u, v, r):
    return np.hypot(u, v) - 0.85 * r


def _square(u, v, r):
    half = 0.75 * r  # corners just past the circumcircle: about the circle's area
    return np.maximum(np.abs(u), np.abs(v)) - half


def _triangle(u, v, r):
    """Equilateral with circumradius r: the farthest of its three edge lines (inradius r/2)."""
    n = _TRIANGLE_NORMALS
    edges = [n[k, 0] * u + n[k, 1] * v for k in range(3)]
    return np.maximum(np.maximum(edges[0], edges[1]), edges[2]) - 0.5 * r


def _cross(u, v, r):
    """A plus sign: the union of two bars of half-length r and half-width 0.28 r."""
    au, av, arm = np.abs(u), np.abs(v), 0.28 * r
    return np.minimum(np.maximum(au - r, av - arm), np.maximum(au - arm, av - r))


_DISTANCES = (_circle, _square, _triangle, _cross)


def shapes(
    rng: np.random.Generator, n_samples: int = 1000, size: int = 16, noise: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """n images (n, size, size, 1) in [0, 1] and labels (n, 1): 0 circle, 1 square,
    2 triangle, 3 cross, balanced (the remainder to the first classes), shuffled.

    Per image: circumradius R ~ U(0.22, 0.4)·size, centre ~ U(R, size - R) on each axis,
    rotation ~ U(0, 2π); then Gaussian pixel noise of std `noise`, clipped to [0, 1].
    """
    integer(n_samples, "n_samples", low=1)
    integer(size, "size", low=2)
    number(noise, "noise", low=0.0)
    labels = rng.permutation(np.arange(n_samples) % len(CLASS_NAMES))
    radius = rng.uniform(*RADIUS_RANGE, n_samples) * size
    cx = rng.uniform(radius, size - radius)
    cy = rng.uniform(radius, size - radius)
    angle = rng.uniform(0.0, 2 * np.pi, n_samples)
    centres = np.arange(size) + 0.5  # pixel centres; y grows downwards, as on screen
    images = np.empty((n_samples, size, size), dtype=np.float64)
    for label, distance in enumerate(_DISTANCES):
        idx = np.flatnonzero(labels == label)
        if idx.size == 0:
            continue
        dx = centres[None, None, :] - cx[idx, None, None]
        dy = centres[None, :, None] - cy[idx, None, None]
        cos, sin = np.cos(angle[idx])[:, None, None], np.sin(angle[idx])[:, None, None]
        u, v = cos * dx + sin * dy, cos * dy - sin * dx  # rotate the grid by -angle
        images[idx] = np.clip(0.5 - distance(u, v, radius[idx, None, None]), 0.0, 1.0)
    if noise > 0:
        images += noise * rng.standard_normal(images.shape)
        np.clip(images, 0.0, 1.0, out=images)
    return images[..., None], labels.astype(np.float64)[:, None]
