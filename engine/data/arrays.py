"""Arrays given in a spec: nested JSON lists of any rank, or the base64 envelope.

Images make lists expensive (a 28×28 digit is 784 JSON numbers), so a spec may carry an
array as ``{"dtype": "uint8", "shape": [n, 28, 28, 1], "data": "<base64>"}`` with the
bytes little-endian, the same envelope the views send. Both forms come back as float64
and every failure names the field and what was received, so a client can fix its JSON.
"""

import base64
import binascii
import math
from collections.abc import Mapping

import numpy as np

from ..errors import SpecError
from ..validate import describe, join

# Envelope dtypes a client may send; bool and complex are not pixel or feature values.
DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "int64", "float32", "float64")
ENVELOPE_FIELDS = ("dtype", "shape", "data")
MAX_VALUES = 20_000_000  # every number of an array together: 25,000 digits of 28×28
MAX_RANK = 4
PIXEL_SCALE = 255.0  # a uint8 image envelope holds 0..255 pixel values
_RANK_HINT = (
    "; (n, features) is a table, (n, time, features) sequences, (n, h, w, c) "
    "images (grey images as (n, h, w, 1))"
)


def decode_array(
    value, path: str, max_samples: int, max_values: int = MAX_VALUES, max_rank: int = MAX_RANK
) -> np.ndarray:
    """Nested lists (or an ndarray) or an envelope to a float64 array of rank 1..max_rank.

    Counts are checked before anything large is built: more than `max_samples` along the
    first axis or `max_values` numbers in all raise SpecError at `path`. A uint8 envelope
    of rank 4 is an image set and is divided by 255, as an uploaded image file would be;
    every other array keeps its values (token ids and features must not be rescaled).
    """
    if isinstance(value, Mapping):
        arr = _from_envelope(value, path, max_samples, max_values)
    elif isinstance(value, (list, tuple, np.ndarray)):
        arr = _from_lists(value, path, max_samples, max_values)
    else:
        raise SpecError(
            path,
            "must be a list of samples or an array "
            f'{{"dtype", "shape", "data"}}, received {describe(value)}',
        )
    if not 1 <= arr.ndim <= max_rank:
        raise SpecError(
            path,
            f"must have 1 to {max_rank} axes (samples first), received "
            f"shape {arr.shape}{_RANK_HINT if max_rank == 4 else ''}",
        )
    if 0 in arr.shape:
        raise SpecError(path, f"must not be empty, received shape {arr.shape}")
    if arr.dtype == np.uint8 and arr.ndim == 4:
        return arr / PIXEL_SCALE
    arr = arr.astype(np.float64, copy=not arr.flags.writeable)  # envelopes are read-only
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        if arr.ndim <= 2:
            raise SpecError(path, f"row {where[0]} contains NaN or infinity")
        raise SpecError(
            path, f"sample {where[0]} contains NaN or infinity (at index {list(where)})"
        )
    return arr


def encode_array(arr: np.ndarray) -> dict:
    """The envelope for `arr` (its dtype kept, bytes little-endian): decode's inverse."""
    arr = np.asarray(arr)
    if arr.dtype.name not in DTYPES:
        raise ValueError(f"cannot encode dtype {arr.dtype.name}; encodable: {', '.join(DTYPES)}")
    little = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
    return {
        "dtype": arr.dtype.name,
        "shape": list(arr.shape),
        "data": base64.b64encode(little.tobytes()).decode("ascii"),
    }


def envelope_shape(value, path: str) -> tuple[int, ...]:
    """The shape an envelope declares, checked but without decoding its data."""
    _, shape = _envelope_header(value, path)
    return shape


def _envelope_header(value: Mapping, path: str) -> tuple[np.dtype, tuple[int, ...]]:
    unknown = sorted(set(value) - set(ENVELOPE_FIELDS), key=str)
    if unknown:
        raise SpecError(
            join(path, str(unknown[0])),
            f"unknown field {unknown[0]!r}; an array has the fields {', '.join(ENVELOPE_FIELDS)}",
        )
    for key in ENVELOPE_FIELDS:
        if key not in value:
            raise SpecError(join(path, key), "is required in an array envelope")
    name = value["dtype"]
    if not isinstance(name, str) or name not in DTYPES:
        raise SpecError(
            join(path, "dtype"), f"must be one of {', '.join(DTYPES)}, received {describe(name)}"
        )
    shape = value["shape"]
    if (
        not isinstance(shape, (list, tuple))
        or not shape
        or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape)
    ):
        raise SpecError(
            join(path, "shape"),
            f"must be a list of positive integers (samples first), received {describe(shape)}",
        )
    return np.dtype(name).newbyteorder("<"), tuple(shape)


def _from_envelope(value: Mapping, path: str, max_samples: int, max_values: int) -> np.ndarray:
    dtype, shape = _envelope_header(value, path)
    _check_counts(shape, path, max_samples, max_values)
    data = value["data"]
    if not isinstance(data, str):
        raise SpecError(join(path, "data"), f"must be base64 text, received {describe(data)}")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise SpecError(
            join(path, "data"),
            "is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padded with =)",
        ) from None
    expected = math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        raise SpecError(
            join(path, "data"),
            f"holds {len(raw):,} bytes but shape {list(shape)} of {dtype.name} needs {expected:,}",
        )
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def _from_lists(value, path: str, max_samples: int, max_values: int) -> np.ndarray:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        raise SpecError(path, f"must be a list of samples, received {describe(value)}")
    if len(value) > max_samples:
        raise SpecError(
            path, f"has {len(value):,} samples; at most {max_samples:,} may be given inline"
        )
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        raise SpecError(path, _ragged_message(value)) from None
    if arr.dtype.kind not in "iuf":
        original = value.tolist() if isinstance(value, np.ndarray) else value
        raise SpecError(path, _not_numbers_message(original, path))
    _check_counts(arr.shape, path, max_samples, max_values)
    return arr


def _check_counts(shape, path: str, max_samples: int, max_values: int) -> None:
    if shape[0] > max_samples:
        raise SpecError(
            path, f"has {shape[0]:,} samples; at most {max_samples:,} may be given inline"
        )
    total = math.prod(shape)
    if total > max_values:
        raise SpecError(
            path,
            f"too many pixels: shape {list(shape)} holds {total:,} values; "
            f"at most {max_values:,} in all",
        )


def _ragged_message(value) -> str:
    """Where the nesting first disagrees: rows of unequal lengths, or a number beside a list."""
    level, prefix = [value], ""
    while level:
        lists = [x for x in level if isinstance(x, (list, tuple))]
        if lists and len(lists) != len(level):
            return (
                "must be a list of samples of equal shape (rows of numbers of equal "
                "length), received numbers mixed with lists"
            )
        lengths = sorted({len(x) for x in lists})
        if len(lengths) > 1:
            where = f" at depth {prefix.count('[')}" if prefix else ""
            return (
                "must be a list of samples of equal shape (rows of numbers of equal "
                f"length), received rows of lengths {lengths[:6]}{where}"
            )
        level = [y for x in lists for y in x]
        prefix += "[]"
    return "must be a list of rows of numbers of equal length"


def _not_numbers_message(value, path: str) -> str:
    """The first entry that is not a number, with its index path."""
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend((x, join(where, i)) for i, x in reversed(list(enumerate(item))))
        elif isinstance(item, bool) or not isinstance(item, (int, float, np.number)):
            return f"must hold only numbers, received {describe(item)} at {where}"
    return "must hold only numbers"
