"""Small checks for JSON-like specs. Each raises SpecError naming the path and the
value received, so that no caller has to phrase errors itself."""

import math
from collections.abc import Mapping
from typing import Any

from .errors import SpecError


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def mapping(value: Any, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise SpecError(path, f"must be an object, received {describe(value)}")
    return value


def no_unknown_keys(obj: Mapping, allowed: set[str] | frozenset[str], path: str) -> None:
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise SpecError(
            join(path, unknown[0]),
            f"unknown field {unknown[0]!r}; allowed fields are {', '.join(sorted(allowed))}",
        )


def integer(value: Any, path: str, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise SpecError(path, f"must be an integer, received {describe(value)}")
    _check_range(value, path, low, high)
    return value


def number(
    value: Any,
    path: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(path, f"must be a number, received {describe(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise SpecError(path, f"must be a finite number, received {describe(value)}")
    if low_open and low is not None and value <= low:
        raise SpecError(path, f"must be greater than {low}, received {value!r}")
    _check_range(value, path, None if low_open else low, high)
    return value


def boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(path, f"must be true or false, received {describe(value)}")
    return value


def choice(value: Any, path: str, options) -> str:
    if not isinstance(value, str) or value not in options:
        raise SpecError(
            path, f"must be one of {', '.join(sorted(options))}; received {describe(value)}"
        )
    return value


def _check_range(value, path, low, high) -> None:
    if low is not None and value < low:
        raise SpecError(path, f"must be at least {low}, received {value!r}")
    if high is not None and value > high:
        raise SpecError(path, f"must be at most {high}, received {value!r}")
