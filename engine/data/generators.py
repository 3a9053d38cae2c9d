"""Generators for the built-in datasets.

The six TensorFlow Playground sets follow /work/shared/DATASETS.md point for point, so a
user who knows TF Playground sees the same pictures here. Every generator takes its
randomness from the `np.random.Generator` it is given (never global state), so the
same seed always gives the same arrays.

Conventions shared by every generator:

- returns ``(X, y)``: X float64 of shape (n, n_features), y float64 of shape (n, 1);
- classification labels are class indices (TF's +1 -> 1, -1 -> 0); regression
  targets are real values;
- the random sets come back already shuffled (TF shuffles before its train/test
  split), so taking the first rows as the training set is a fair split;
- `noise` is TF's UI value 0..50 divided by 100; the registry limits it to 0..0.5;
- for circle, xor and the two regressions the noise only moves the point used for
  the *label*; the stored point stays noise-free, exactly as in TF. For gauss,
  spiral, blobs and moons the noise moves the points themselves.
"""

import numpy as np

from ..validate import integer, number

TAU = 2.0 * np.pi
# reg-gauss: (centre x, centre y, sign) of TF's six bumps.
_REG_GAUSS_CENTRES = np.array(
    [[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]], dtype=np.float64
)
_REG_GAUSS_SIGNS = np.array([1, -1, 1, -1, 1, -1], dtype=np.float64)

Arrays = tuple[np.ndarray, np.ndarray]


def _check(n_samples: int, noise: float, classes: int | None = None) -> None:
    """Cheap guards for direct calls; the registry validates specs with full paths."""
    integer(n_samples, "n_samples", low=1)
    number(noise, "noise", low=0.0)
    if classes is not None:
        integer(classes, "classes", low=2)


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray) -> Arrays:
    """Shuffle rows so that any prefix is a fair sample (TF shuffles before splitting)."""
    order = rng.permutation(len(X))
    X = np.ascontiguousarray(X[order], dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)[order].reshape(-1, 1)
    return X, y


def _split_evenly(n: int, k: int) -> np.ndarray:
    """Counts per class: n // k each, the remainder one each to the first classes."""
    counts = np.full(k, n // k, dtype=np.int64)
    counts[: n % k] += 1
    return counts


def _polar(r: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """TF's convention: (x, y) = (r sin a, r cos a), so angle 0 points up."""
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)])


def circle(rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0) -> Arrays:
    """TF's circle: a disc of radius 2.5 (label 1) inside a ring 3.5..5 (label 0).

    The first ceil(n/2) points are drawn in the disc, the rest in the ring; the label
    asks whether the noise-shifted point lies within radius 2.5.
    """
    _check(n_samples, noise)
    n_inside = n_samples - n_samples // 2
    r = np.concatenate(
        [rng.uniform(0.0, 2.5, n_inside), rng.uniform(3.5, 5.0, n_samples - n_inside)]
    )
    X = _polar(r, rng.uniform(0.0, TAU, n_samples))
    noisy = X + rng.uniform(-5.0, 5.0, (n_samples, 2)) * noise
    y = np.hypot(noisy[:, 0], noisy[:, 1]) < 2.5
    return _shuffled(rng, X, y)


def xor(rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0) -> Arrays:
    """TF's xor: label 1 in the quadrants where x and y share a sign.

    Coordinates are pushed 0.3 away from the axes so the noise-free set has a margin.
    """
    _check(n_samples, noise)
    X = rng.uniform(-5.0, 5.0, (n_samples, 2))
    X += np.where(X > 0, 0.3, -0.3)
    noisy = X + rng.uniform(-5.0, 5.0, (n_samples, 2)) * noise
    y = noisy[:, 0] * noisy[:, 1] >= 0
    return _shuffled(rng, X, y)


def gauss(rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0) -> Arrays:
    """TF's two gaussians: around (2, 2) label 1, around (-2, -2) label 0.

    Variance 0.5 + 7·noise per coordinate, so noise makes the clusters overlap.
    """
    _check(n_samples, noise)
    n_pos = n_samples - n_samples // 2
    counts = [n_pos, n_samples - n_pos]
    centres = np.repeat(np.array([[2.0, 2.0], [-2.0, -2.0]]), counts, axis=0)
    X = centres + np.sqrt(0.5 + 7.0 * noise) * rng.standard_normal((n_samples, 2))
    y = np.repeat([1.0, 0.0], counts)
    return _shuffled(rng, X, y)


def spiral(
    rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0, classes: int = 2
) -> Arrays:
    """TF's spiral, generalised to k interleaved arms (one per class).

    Arm of m points, i < m: r = 5i/m, t = 1.75·(i/m)·2π + Δ, plus U(-1, 1)·noise on
    each coordinate. Class c lies on the arm with Δ = 2π(c+1)/k, so the arms sit at
    Δ = 2πj/k and the Δ = 0 arm is the last class: with k = 2 that is TF's positive
    arm -> 1 and its Δ = π arm -> 0, the same picture. Points are split evenly over
    the classes, the remainder to the first classes.
    """
    _check(n_samples, noise, classes)
    counts = _split_evenly(n_samples, classes)
    labels = np.repeat(np.arange(classes), counts)
    starts = np.cumsum(counts) - counts
    index_in_arm = np.arange(n_samples) - np.repeat(starts, counts)
    frac = index_in_arm / np.repeat(counts, counts)
    delta = TAU * (labels + 1) / classes
    X = _polar(5.0 * frac, 1.75 * frac * TAU + delta)
    X += rng.uniform(-1.0, 1.0, (n_samples, 2)) * noise
    return _shuffled(rng, X, labels)


def reg_plane(rng: np.random.Generator, n_samples: int = 1200, noise: float = 0.0) -> Arrays:
    """TF's plane: target (x1 + x2) / 10 at the noise-shifted point, X in [-6, 6]²."""
    _check(n_samples, noise)
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    noisy = X + rng.uniform(-6.0, 6.0, (n_samples, 2)) * noise
    y = (noisy[:, 0] + noisy[:, 1]) / 10.0
    return _shuffled(rng, X, y)


def reg_gauss(rng: np.random.Generator, n_samples: int = 1200, noise: float = 0.0) -> Arrays:
    """TF's multi-gaussian: six ±1 bumps of radius 2; the strongest one sets the target.

    Each bump contributes sign·max(0, 1 - d/2) with d the distance from the
    noise-shifted point to its centre; the target is the contribution of largest
    magnitude (the first one on ties, as in TF). X in [-6, 6]², targets in [-1, 1].
    """
    _check(n_samples, noise)
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    noisy = X + rng.uniform(-6.0, 6.0, (n_samples, 2)) * noise
    distance = np.linalg.norm(noisy[:, None, :] - _REG_GAUSS_CENTRES[None, :, :], axis=2)
    bumps = _REG_GAUSS_SIGNS * np.clip(1.0 - distance / 2.0, 0.0, 1.0)
    strongest = np.argmax(np.abs(bumps), axis=1)
    y = bumps[np.arange(n_samples), strongest]
    return _shuffled(rng, X, y)


def blobs(
    rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0, classes: int = 3
) -> Arrays:
    """k gaussian clusters, the simplest multi-class picture.

    Centre of class c: 3.5·(sin 2πc/k, cos 2πc/k), i.e. evenly on a circle of radius
    3.5 with class 0 at the top. Standard deviation 0.5 + 3·noise (0.5 .. 2.0 over
    the 0..0.5 noise range). Points split evenly, the remainder to the first classes.
    """
    _check(n_samples, noise, classes)
    counts = _split_evenly(n_samples, classes)
    labels = np.repeat(np.arange(classes), counts)
    centres = _polar(np.full(classes, 3.5), TAU * np.arange(classes) / classes)
    X = centres[labels] + (0.5 + 3.0 * noise) * rng.standard_normal((n_samples, 2))
    return _shuffled(rng, X, labels)


def moons(rng: np.random.Generator, n_samples: int = 500, noise: float = 0.0) -> Arrays:
    """Two interleaving half-moons, as scikit-learn's make_moons, scaled by 3.

    The sklearn shape (x in [-1, 2], y in [-0.5, 1]) is centred and scaled by 3, so it
    spans about [-4.5, 4.5] x [-2.25, 2.25]. `noise` is sklearn's gaussian std in the
    moons' own units, i.e. std 3·noise here. Outer moon (n // 2 points) is class 0,
    inner moon class 1, points evenly spaced along each arc as in sklearn.
    """
    _check(n_samples, noise)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    a_outer = np.linspace(0.0, np.pi, n_outer)
    a_inner = np.linspace(0.0, np.pi, n_inner)
    outer = np.column_stack([np.cos(a_outer), np.sin(a_outer)])
    inner = np.column_stack([1.0 - np.cos(a_inner), 0.5 - np.sin(a_inner)])
    X = (np.vstack([outer, inner]) - [0.5, 0.25]) * 3.0
    X += (3.0 * noise) * rng.standard_normal((n_samples, 2))
    y = np.repeat([0.0, 1.0], [n_outer, n_inner])
    return _shuffled(rng, X, y)


def course_xor(rng: np.random.Generator | None = None) -> Arrays:
    """The four XOR points of the course, in this fixed order; `rng` is unused."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y


def course_exercise(rng: np.random.Generator | None = None) -> Arrays:
    """The course's 3-input, 2-class exercise (one-hot [[1,0],[0,1],[0,1],[1,0]]).

    Fixed order; y holds class indices. `rng` is unused.
    """
    X = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y
