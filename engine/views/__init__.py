"""What can be looked at in a session. `VIEWS` is the one list; a session lists the
views that fit it (`available`), and each is computed by name (`compute`)."""

from types import MappingProxyType

from ..errors import SpecError
from . import autoencoder, forecast, gan, images, points, receptive, recurrent, writing
from .base import View, modality_of

VIEWS = MappingProxyType(
    {
        view.name: view
        for view in (
            *points.VIEWS,
            *images.VIEWS,
            *receptive.VIEWS,
            *writing.VIEWS,
            *recurrent.VIEWS,
            *forecast.VIEWS,
            *autoencoder.VIEWS,
            *gan.VIEWS,
        )
    }
)


def fits(view: View, session) -> bool:
    return (
        session.spec["objective"] in view.objectives
        and modality_of(session) in view.modalities
        and (view.fits is None or view.fits(session))
    )


def available(session) -> list[View]:
    return [view for view in VIEWS.values() if fits(view, session)]


def compute(session, name: str, params=None) -> dict:
    """The view `name` of `session`; SpecError if it is unknown, does not fit, or a
    parameter is wrong (the path names the parameter)."""
    view = VIEWS.get(name)
    if view is None:
        raise SpecError("name", f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    if not fits(view, session):
        names = ", ".join(v.name for v in available(session))
        raise SpecError(
            "name",
            f"the {name} view does not fit this session "
            f"({modality_of(session)} data, {session.spec['objective']}); its views are {names}",
        )
    return view.run(session, params)


def describe_views() -> list[dict]:
    return [view.describe() for view in VIEWS.values()]


__all__ = ["VIEWS", "View", "available", "compute", "describe_views", "modality_of"]
