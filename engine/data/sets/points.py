"""TF Playground's 2-D sets and the course's examples."""

from types import MappingProxyType

from .. import generators as gen
from ..info import TF_VIEW, DatasetInfo, ParamInfo


def samples_param(default: int) -> ParamInfo:
    return ParamInfo("int", default, 4, 100_000, "Number of points, train and test together.")


_NOISE = ParamInfo(
    "float", 0.0, 0.0, 0.5, "Noise as a fraction: TF Playground's 0-50 slider divided by 100."
)


def _classes(default: int) -> ParamInfo:
    return ParamInfo("int", default, 2, 8, "Number of classes.")


def _tf_set(name, title, description, kind, generator, n_samples, classes=None, extra=None):
    params = {"n_samples": samples_param(n_samples), "noise": _NOISE, **(extra or {})}
    return DatasetInfo(
        name=name,
        title=title,
        description=description,
        kind=kind,
        modality="points",
        shape=(2,),
        params=MappingProxyType(params),
        default_test_fraction=0.5,
        view=TF_VIEW,
        fixed_classes=classes,
        generator=generator,
    )


ALL = [
    _tf_set(
        "circle",
        "Circle",
        "A disc of one class inside a ring of the other.",
        "classification",
        gen.circle,
        500,
        classes=2,
    ),
    _tf_set(
        "xor",
        "Exclusive or",
        "Four quadrants; the class is whether x and y share a sign.",
        "classification",
        gen.xor,
        500,
        classes=2,
    ),
    _tf_set(
        "gauss",
        "Gaussian",
        "Two gaussian clusters; noise makes them overlap.",
        "classification",
        gen.gauss,
        500,
        classes=2,
    ),
    _tf_set(
        "spiral",
        "Spiral",
        "Interleaved spiral arms, one per class; the hardest.",
        "classification",
        gen.spiral,
        500,
        extra={"classes": _classes(2)},
    ),
    _tf_set(
        "reg-plane",
        "Plane",
        "Regression: the target rises linearly along x1 + x2.",
        "regression",
        gen.reg_plane,
        1200,
    ),
    _tf_set(
        "reg-gauss",
        "Multi-gaussian",
        "Regression: six positive and negative bumps.",
        "regression",
        gen.reg_gauss,
        1200,
    ),
    _tf_set(
        "blobs",
        "Blobs",
        "Gaussian clusters on a circle, one per class.",
        "classification",
        gen.blobs,
        500,
        extra={"classes": _classes(3)},
    ),
    _tf_set(
        "moons",
        "Moons",
        "Two interleaving half-moons, as in scikit-learn.",
        "classification",
        gen.moons,
        500,
        classes=2,
    ),
    DatasetInfo(
        name="course-xor",
        title="Course: XOR",
        description="The four XOR points from the course, all used for training.",
        kind="classification",
        modality="points",
        shape=(2,),
        params=MappingProxyType({}),
        default_test_fraction=0.0,
        view=(-0.5, 1.5),
        fixed_classes=2,
        generator=gen.course_xor,
    ),
    DatasetInfo(
        name="course-exercise",
        title="Course: exercise",
        description="The course exercise: four points, three inputs, two classes.",
        kind="classification",
        modality="table",
        shape=(3,),
        params=MappingProxyType({}),
        default_test_fraction=0.0,
        view=None,
        fixed_classes=2,
        generator=gen.course_exercise,
    ),
]
