"""GAN Lab's 2-D distributions and eight Gaussians, for GANs."""

from types import MappingProxyType

from .. import distributions as dist
from ..info import DatasetInfo, ParamInfo
from .points import samples_param


def _gan_set(name, title, description, generator, classes, view, extra=None) -> DatasetInfo:
    """A 2-D distribution for a GAN (engine.data.distributions): nothing held out by
    default, labels naming the mode a point was drawn from."""
    noise = ParamInfo("float", 0.0, 0.0, 0.5, "Standard deviation of extra noise on each point.")
    params = {"n_samples": samples_param(2000), "noise": noise, **(extra or {})}
    return DatasetInfo(
        name=name,
        title=title,
        description=description,
        kind="classification",
        modality="points",
        shape=(2,),
        params=MappingProxyType(params),
        default_test_fraction=0.0,
        view=view,
        fixed_classes=classes,
        generator=generator,
    )


_UNIT = (0.0, 1.0)  # GAN Lab's plane
ALL = [
    _gan_set("gan-line", "GAN: line", "GAN Lab's simple line.", dist.line, 1, _UNIT),
    _gan_set(
        "gan-gaussians",
        "GAN: two Gaussian hills",
        "GAN Lab's default: a round hill and a tall narrow one, half the points each.",
        dist.two_hills,
        2,
        _UNIT,
    ),
    _gan_set("gan-ring", "GAN: ring", "GAN Lab's ring.", dist.ring, 1, _UNIT),
    _gan_set(
        "gan-disjoint",
        "GAN: three disjoint blobs",
        "GAN Lab's three small disjoint regions.",
        dist.disjoint,
        3,
        _UNIT,
    ),
    _gan_set(
        "eight-gaussians",
        "GAN: eight Gaussians on a circle",
        "Eight narrow modes on a circle of radius 2: a generator that covers one or two "
        "of them and hops between them is mode collapse.",
        dist.eight_gaussians,
        8,
        (-2.5, 2.5),
        {"std": ParamInfo("float", 0.02, 0.005, 0.5, "Standard deviation of each mode.")},
    ),
]
