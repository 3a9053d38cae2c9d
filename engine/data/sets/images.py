"""The built-in images: digits, MNIST's 5,000, drawn shapes."""

from types import MappingProxyType

from .. import images, shapes
from ..info import DatasetInfo, ParamInfo

ALL = [
    DatasetInfo(
        name="digits",
        title="Digits 8×8",
        description="1,797 small handwritten digits (UCI), 8×8 grey pixels, ten classes.",
        kind="classification",
        modality="image",
        shape=(8, 8, 1),
        params=MappingProxyType(
            {
                "n_samples": ParamInfo(
                    "int",
                    images.DIGITS_COUNT,
                    20,
                    images.DIGITS_COUNT,
                    "Number of images, train and test together (a random subset when fewer).",
                )
            }
        ),
        default_test_fraction=0.2,
        view=None,
        fixed_classes=10,
        class_names=images.DIGIT_NAMES,
        generator=images.digits,
    ),
    DatasetInfo(
        name="mnist",
        title="MNIST 28×28 (5,000)",
        description="5,000 MNIST handwritten digits, 500 of each, 28×28 grey pixels.",
        kind="classification",
        modality="image",
        shape=(28, 28, 1),
        params=MappingProxyType(
            {
                "n_samples": ParamInfo(
                    "int",
                    images.MNIST_COUNT,
                    20,
                    images.MNIST_COUNT,
                    "Number of images, train and test together (a random subset when fewer).",
                )
            }
        ),
        default_test_fraction=0.2,
        view=None,
        fixed_classes=10,
        class_names=images.DIGIT_NAMES,
        generator=images.mnist,
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
