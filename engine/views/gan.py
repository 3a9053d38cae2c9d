"""Views of a GAN ("objective": "adversarial"): GAN Lab's picture of the plane, a grid
of samples from fixed noise, and a walk between two noise vectors.

Fixed noise comes from the view's own `seed` (never the training stream): the same
noise at every step, so the fakes move, and the sample grid sharpens, as the
networks learn. Samples are in the data's units (images in [0, 1]); D(x) is the
discriminator's probability that x is real (least_squares: its output as it is).
"""

import numpy as np

from ..errors import SpecError
from ..layers.config import Field
from ..objectives import gan_losses as losses
from .base import View

GAN = ("adversarial",)
MAX_POINTS = 5000
NORMAL_SPAN = 2.0  # the manifold of normal noise spans ±2 standard deviations
SEED = Field("seed", "int", "seed of the fixed noise", default=0, low=0, high=2**32 - 1)


def fixed_noise(s, n: int, seed: int) -> np.ndarray:
    return s.objective.draw_noise(np.random.default_rng(seed), n)


def plane(s, resolution: int, real: int, fake: int, manifold: int, seed: int) -> dict:
    """Real points, fake points from fixed noise with the generator's gradient at each,
    the discriminator over a resolution² grid of the plane, and the generator's
    manifold: where it sends a (manifold + 1)² grid over the noise (its first two
    dimensions; the others held at 0)."""
    o = s.objective
    low, high = s.data.view
    xs = np.linspace(low, high, resolution)
    gx, gy = np.meshgrid(xs, xs)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(s.dtype)
    with np.errstate(all="ignore"):
        points = o.predict(fixed_noise(s, fake, seed))
        d_fake, gradients = o.point_gradients(o.to_generator(points))
        d_grid = d_output(o, grid)
        warped = o.predict(noise_grid(o, manifold))
    cells = manifold + 1
    return {
        "view": [float(low), float(high)],
        "loss": s.spec["gan_loss"],
        "real": s.data.points_train[:real],
        "fake": points,
        "d_fake": d_fake,
        "gradients": gradients,
        "discriminator": {"x": xs, "y": xs, "output": d_grid.reshape(resolution, resolution)},
        "manifold": {
            "cells": manifold,
            "noise_range": list(noise_range(o)),
            "points": warped.reshape(cells, cells, 2) if o.noise_dim > 1 else warped,
        },
    }


def d_output(o, X: np.ndarray) -> np.ndarray:
    """D(x) for samples in the generator's space, (n,)."""
    return losses.probability(o.spec["gan_loss"], o.d_scores(X))


def noise_range(o) -> tuple[float, float]:
    normal = o.spec["noise"]["distribution"] == "normal"
    return (-NORMAL_SPAN, NORMAL_SPAN) if normal else (-1.0, 1.0)


def noise_grid(o, cells: int) -> np.ndarray:
    """A (cells + 1)² grid over the noise's first two dimensions (a line of cells + 1
    points for 1-D noise), row-major by the second dimension."""
    ticks = np.linspace(*noise_range(o), cells + 1)
    if o.noise_dim == 1:
        return ticks[:, None].astype(o.dtype)
    z = np.zeros(((cells + 1) ** 2, o.noise_dim), o.dtype)
    first, second = np.meshgrid(ticks, ticks)
    z[:, 0], z[:, 1] = first.ravel(), second.ravel()
    return z


def samples(s, rows: int, cols: int, seed: int) -> dict:
    """rows × cols images from fixed noise, with D's verdict on each."""
    o = s.objective
    z = fixed_noise(s, rows * cols, seed)
    with np.errstate(all="ignore"):
        images = o.predict(z)
        verdict = d_output(o, o.to_generator(images))
    return {
        "rows": rows,
        "cols": cols,
        "seed": seed,
        "noise": z,
        "images": images,
        "d_output": verdict,
    }


def _vector(value, o, path: str) -> np.ndarray:
    try:
        z = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise SpecError(path, f"must be a list of {o.noise_dim} numbers") from None
    if z.shape != (o.noise_dim,) or not np.isfinite(z).all():
        raise SpecError(
            path,
            f"must be {o.noise_dim} finite numbers (the noise's dimension), received {value!r}",
        )
    return z


def interpolate(s, steps: int, start, end, path: str, seed: int) -> dict:
    """`steps` samples on the way from noise `start` to noise `end` (given, or the two
    vectors drawn from `seed`): along the straight line, or along the great circle
    between their directions (`path` "spherical", which keeps normal noise at a
    typical length)."""
    o = s.objective
    drawn = fixed_noise(s, 2, seed).astype(np.float64)
    a = drawn[0] if start is None else _vector(start, o, "start")
    b = drawn[1] if end is None else _vector(end, o, "end")
    t = np.linspace(0.0, 1.0, steps)
    omega = np.arccos(np.clip(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12), -1, 1))
    if path == "spherical" and np.sin(omega) > 1e-6:
        left, right = np.sin((1 - t) * omega), np.sin(t * omega)
        z = (left[:, None] * a + right[:, None] * b) / np.sin(omega)
    else:
        z = (1 - t)[:, None] * a + t[:, None] * b
    with np.errstate(all="ignore"):
        out = o.predict(z.astype(o.dtype))
        verdict = d_output(o, o.to_generator(out))
    return {"t": t, "noise": z, "samples": out, "d_output": verdict, "path": path}


def on_plane(s) -> bool:
    return s.objective.plane is not None


VIEWS = [
    View(
        "gan_plane",
        "GAN Lab's picture: real and fake points (fixed noise), the discriminator over the "
        "plane, the generator's manifold (a warped grid of noise) and the generator's "
        "gradient at each fake point (it moves them along minus the gradient)",
        ("points",),
        (
            Field(
                "resolution",
                "int",
                "N for the discriminator's N×N grid",
                default=30,
                low=2,
                high=200,
            ),
            Field("real", "int", "real points to show", default=450, low=0, high=MAX_POINTS),
            Field("fake", "int", "fake points to show", default=300, low=1, high=MAX_POINTS),
            Field("manifold", "int", "cells a side of the noise grid", default=20, low=1, high=100),
            SEED,
        ),
        plane,
        fits=on_plane,
        objectives=GAN,
    ),
    View(
        "gan_samples",
        "a grid of images from fixed noise (the same at every step, so it sharpens as it "
        "trains), with the discriminator's verdict on each",
        ("image",),
        (
            Field("rows", "int", "rows of the grid", default=8, low=1, high=32),
            Field("cols", "int", "columns of the grid", default=8, low=1, high=32),
            SEED,
        ),
        samples,
        objectives=GAN,
    ),
    View(
        "interpolate",
        "samples along the way between two noise vectors",
        ("points", "image", "table"),
        (
            Field(
                "steps",
                "int",
                "samples on the way, both ends included",
                default=10,
                low=2,
                high=256,
            ),
            Field(
                "start",
                "array",
                "the first noise vector (default: drawn from seed)",
                default=None,
                optional=True,
            ),
            Field(
                "end",
                "array",
                "the last noise vector (default: drawn from seed)",
                default=None,
                optional=True,
            ),
            Field(
                "path",
                "choice",
                "a straight line or the great circle",
                default="linear",
                choices=("linear", "spherical"),
            ),
            SEED,
        ),
        interpolate,
        objectives=GAN,
    ),
]
