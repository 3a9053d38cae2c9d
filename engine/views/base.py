"""A view: something a session can be looked at through, with its parameters declared
once (validation, the catalog and the server's routes all read the declaration)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import validate as v
from ..errors import SpecError
from ..layers.config import Field, describe_field


@dataclass(frozen=True)
class View:
    name: str
    description: str
    modalities: tuple[str, ...]  # the data it fits ("points", "table", "image", ...)
    params: tuple[Field, ...]
    compute: Callable  # (session, **params) -> dict of JSON-able values and arrays
    fits: Callable | None = None  # (session) -> bool, beyond the modality
    detached: bool = True  # may run on a twin (Session.detached), outside the session's lock
    objectives: tuple[str, ...] = ("supervised", "reconstruction")  # sessions it is for

    def run(self, session, params: Mapping | None, path: str = "") -> dict:
        return self.compute(session, **self.check(params, path))

    def check(self, params: Mapping | None, path: str = "") -> dict:
        """Every parameter checked, defaults filled (SpecError naming the parameter)."""
        given = v.mapping({} if params is None else params, path or "params")
        v.no_unknown_keys(given, {f.name for f in self.params}, path)
        values = {}
        for field in self.params:
            where = v.join(path, field.name)
            if field.name in given and given[field.name] is not None:
                values[field.name] = field.check(given[field.name], where)
            elif field.required:
                raise SpecError(where, f"is required for the {self.name} view")
            else:
                values[field.name] = field.default
        return values

    def describe(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "modalities": list(self.modalities),
            "objectives": list(self.objectives),
            "params": [describe_field(f) for f in self.params],
        }


def modality_of(session) -> str:
    d = session.data
    modality = getattr(d, "modality", None)
    if modality:
        return modality
    if d.X_train.ndim == 4:
        return "image"
    return "points" if d.view is not None else "table"


def sample_index(count: int, sample: int | None, split: str, noun: str = "samples") -> int:
    """`sample` (default 0) checked against a split of `count` samples."""
    sample = 0 if sample is None else sample
    if not count:
        raise SpecError("split", f"the {split} split is empty")
    if sample >= count:
        raise SpecError(
            "sample",
            f"the {split} split has {count} {noun}; sample must be below that, received {sample}",
        )
    return sample
