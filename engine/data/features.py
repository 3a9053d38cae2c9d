"""Input features for 2-D data, as TF Playground offers them (plus cos).

A network on raw (x1, x2) must learn curves itself; offering x1², sin(x1), ... lets a
user see how the right features make a problem easy. `transform` can write into a
preallocated array because the heatmap grid is transformed again on every redraw.
"""

from collections.abc import Callable, Sequence
from types import MappingProxyType

import numpy as np

from ..errors import ShapeError, SpecError
from ..validate import describe, join

# Each writes its column into `out` (a view of the result) from the columns x1, x2.
FeatureFn = Callable[[np.ndarray, np.ndarray, np.ndarray], object]

FEATURES: MappingProxyType[str, FeatureFn] = MappingProxyType(
    {
        "x1": lambda x1, x2, out: np.copyto(out, x1),
        "x2": lambda x1, x2, out: np.copyto(out, x2),
        "x1^2": lambda x1, x2, out: np.multiply(x1, x1, out=out),
        "x2^2": lambda x1, x2, out: np.multiply(x2, x2, out=out),
        "x1*x2": lambda x1, x2, out: np.multiply(x1, x2, out=out),
        "sin(x1)": lambda x1, x2, out: np.sin(x1, out=out),
        "sin(x2)": lambda x1, x2, out: np.sin(x2, out=out),
        "cos(x1)": lambda x1, x2, out: np.cos(x1, out=out),
        "cos(x2)": lambda x1, x2, out: np.cos(x2, out=out),
    }
)


def validate_features(names: object, path: str) -> list[str]:
    """Check a spec's feature list: a non-empty list of unique known names.

    Returns the names as a new list; raises SpecError at ``path`` or ``path[i]``.
    """
    allowed = ", ".join(FEATURES)
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise SpecError(path, f"must be a list of feature names, received {describe(names)}")
    if len(names) == 0:
        raise SpecError(path, f"must name at least one feature; allowed: {allowed}")
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not isinstance(name, str) or name not in FEATURES:
            raise SpecError(join(path, i), f"unknown feature {describe(name)}; allowed: {allowed}")
        if name in seen:
            raise SpecError(join(path, i), f"feature {name!r} is listed twice")
        seen.add(name)
    return list(names)


def transform(X2: np.ndarray, names: list[str], out: np.ndarray | None = None) -> np.ndarray:
    """Map 2-D points X2 (n, 2) to the named features, shape (n, len(names)).

    The result has X2's dtype (float64 for non-float input). When `out` is given it
    must have exactly that shape and dtype; it is filled and returned, so repeated
    grids allocate nothing.
    """
    X2 = np.asarray(X2)
    if X2.ndim != 2 or X2.shape[1] != 2:
        raise ShapeError("X", f"must have shape (n, 2), received shape {X2.shape}")
    if not np.issubdtype(X2.dtype, np.floating):
        X2 = X2.astype(np.float64)
    names = validate_features(names, "features")
    shape = (X2.shape[0], len(names))
    if out is None:
        out = np.empty(shape, dtype=X2.dtype)
    elif out.shape != shape or out.dtype != X2.dtype:
        raise ShapeError(
            "out",
            f"must have shape {shape} and dtype {X2.dtype}, "
            f"received shape {out.shape} and dtype {out.dtype}",
        )
    x1, x2 = X2[:, 0], X2[:, 1]
    for j, name in enumerate(names):
        FEATURES[name](x1, x2, out[:, j])
    return out
