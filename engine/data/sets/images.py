"""The built-in images: digits, MNIST's 5,000, drawn shapes."""

from types import MappingProxyType

from .. import images, shapes
from ..info import DatasetInfo, ParamInfo


def _digit_set(name, title, description, side, count, generator) -> DatasetInfo:
    """A shipped set of handwritten digits (DATA.md): ten classes of grey side×side
    images, a random subset of `count` when fewer are asked for."""
    n_samples = ParamInfo(
        "int",
        count,
        20,
        count,
        "Number of images, train and test together (a random subset when fewer).",
    )
    return DatasetInfo(
        name=name,
        title=title,
        description=description,
        kind="classification",
        modality="image",
        shape=(side, side, 1),
        params=MappingProxyType({"n_samples": n_samples}),
        default_test_fraction=0.2,
        view=None,
        fixed_classes=10,
        class_names=images.DIGIT_NAMES,
        generator=generator,
    )


ALL = [
    _digit_set(
        "digits",
        "Digits 8×8",
        "1,797 small handwritten digits (UCI), 8×8 grey pixels, ten classes.",
        8,
        images.DIGITS_COUNT,
        images.digits,
    ),
    _digit_set(
        "mnist",
        "MNIST 28×28 (5,000)",
        "5,000 MNIST handwritten digits, 500 of each, 28×28 grey pixels.",
        28,
        images.MNIST_COUNT,
        images.mnist,
    ),
    DatasetInfo(
        name="shapes",
        title="Shapes",
        description="Drawn circles, squares, triangles and crosses of any size, place "
        "and rotation.",
        kind="classification",
        modality="image",
        shape=(16, 16, 1),
        params=MappingProxyType(
            {
                "n_samples": ParamInfo(
                    "int", 1000, 40, 20_000, "Number of images, train and test together."
                ),
                "size": ParamInfo("int", 16, 8, 32, "Image side in pixels."),
                "noise": ParamInfo(
                    "float",
                    0.05,
                    0.0,
                    0.5,
                    "Standard deviation of Gaussian noise added to each pixel.",
                ),
            }
        ),
        default_test_fraction=0.2,
        view=None,
        fixed_classes=len(shapes.CLASS_NAMES),
        class_names=shapes.CLASS_NAMES,
        generator=shapes.shapes,
    ),
]
