"""Built-in image sets read from files shipped inside the package (see DATA.md).

Files load on first use and stay cached read-only, so listing datasets costs nothing
and every session drawing digits shares one copy of the pixels.
"""

from functools import cache
from importlib import resources

import numpy as np

from ..validate import integer

DIGIT_NAMES = tuple(str(d) for d in range(10))
DIGITS_FILE = "digits.npz"
DIGITS_COUNT = 1797
DIGITS_MAX_PIXEL = 16.0  # the UCI set counts on-pixels in 4×4 blocks: 0..16
MNIST_FILE = "mnist5k.npz"
MNIST_COUNT = 5000


@cache
def load_file(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) as stored in engine/data/files/`name`: read-only uint8 arrays."""
    source = resources.files(__package__).joinpath("files", name)
    with source.open("rb") as f, np.load(f, allow_pickle=False) as npz:
        X, y = npz["X"], npz["y"]
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def _subset(
    name: str, scale: float, rng: np.random.Generator, n_samples: int
) -> tuple[np.ndarray, np.ndarray]:
    """A seeded random subset of a shipped set, in random order: X (n, h, w, 1) in
    [0, 1], y (n, 1) the class."""
    pixels, labels = load_file(name)
    integer(n_samples, "n_samples", low=1, high=len(pixels))
    take = rng.permutation(len(pixels))[:n_samples]
    X = pixels[take, :, :, None] / scale
    return X, labels[take].astype(np.float64)[:, None]


def mnist(rng: np.random.Generator, n_samples: int = MNIST_COUNT) -> tuple[np.ndarray, np.ndarray]:
    """5,000 MNIST digits (500 a class): X (n, 28, 28, 1) in [0, 1], y (n, 1)."""
    return _subset(MNIST_FILE, 255.0, rng, n_samples)


def digits(
    rng: np.random.Generator, n_samples: int = DIGITS_COUNT
) -> tuple[np.ndarray, np.ndarray]:
    """UCI handwritten digits: X (n, 8, 8, 1) in [0, 1], y (n, 1) the digit 0..9.

    A seeded random subset of the 1,797 images when n_samples is smaller, in random order.
    """
    return _subset(DIGITS_FILE, DIGITS_MAX_PIXEL, rng, n_samples)
