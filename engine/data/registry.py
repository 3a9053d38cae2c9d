"""The catalogue of built-in datasets: what a UI lists, what a spec may ask for.

One table describes every dataset (its parameters with ranges, its kind, modality and
per-sample shape, how to draw it), so the API's dataset list, spec validation and
generation cannot disagree.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from ..errors import SpecError
from ..validate import describe, integer, join, mapping, number
from . import anomalies, images, sequential, shapes
from . import distributions as dist
from . import generators as gen
from .series import SERIES
from .series import _windows as series_windows
from .text import TEXT_CORPORA
from .text import _seq_len as text_seq_len

# Dataset names a spec may use that are not generated here: points given inline in
# the spec, and uploaded CSV text. They are handled by whoever builds the session.
SPECIAL_DATASETS = ("inline", "csv", "text", "series")

TF_VIEW = (-6.0, 6.0)
# What the samples are, which picks the page's workspace: "points" (2-D, drawn on the
# plane), "table" (n features), "image" (h, w, c), "sequence" (time, features: a
# series' windows), "text" (time: character ids).
MODALITIES = ("points", "table", "image", "sequence", "text")


@dataclass(frozen=True)
class ParamInfo:
    """One generator parameter: its type, default and inclusive range."""

    type: Literal["int", "float"]
    default: int | float
    low: int | float
    high: int | float
    description: str


@dataclass(frozen=True)
class DatasetInfo:
    """A built-in dataset: how a UI presents it and how to draw it.

    `shape` is one sample's input shape at the default params: (2,) for points, (h, w, c)
    channels-last for images; an image set with a `size` parameter draws size×size
    images (see `input_shape`). `view` is the (low, high) range of both axes of the plane
    to draw, or None when the data is not 2-D. `fixed_classes` is the class count when it
    does not depend on a `classes` parameter (None for regression); `class_names` name
    the classes in index order where they have names.
    """

    name: str
    title: str
    description: str
    kind: Literal["classification", "regression"]
    modality: Literal["points", "table", "image", "sequence", "text"]
    shape: tuple[int, ...]
    params: Mapping[str, ParamInfo]
    default_test_fraction: float
    view: tuple[float, float] | None
    generator: Callable[..., tuple[np.ndarray, np.ndarray]] | None = field(
        repr=False, compare=False
    )
    fixed_classes: int | None = None
    class_names: tuple[str, ...] | None = None
    # data split in time (text, series): (rng, params, test_fraction, path) -> Prepared
    prepare: Callable[..., "sequential.Prepared"] | None = field(
        default=None, repr=False, compare=False
    )
    count: Callable[[Mapping], int] | None = field(default=None, repr=False, compare=False)
    vocabulary: Callable[[Mapping], list[str]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def n_features(self) -> int:
        """Numbers per sample (h·w·c for images); prefer `shape`, which keeps the axes."""
        return int(np.prod(self.shape))

    def input_shape(self, params: Mapping[str, Any] | None = None) -> tuple[int, ...]:
        """One sample's shape for these params: `size` sets an image's side."""
        if self.modality == "image" and "size" in self.params:
            size = resolve_params(self.name, params)["size"]
            return (size, size, self.shape[2])
        if self.modality == "text":
            return (resolve_params(self.name, params)["seq_len"],)
        if self.modality == "sequence":
            return (resolve_params(self.name, params)["input_length"], 1)
        return self.shape

    def classes(self, params: Mapping[str, Any] | None = None) -> int | None:
        """Number of classes for these params; None for regression."""
        if self.kind == "regression":
            return None
        if self.vocabulary is not None:
            return len(self.vocabulary(resolve_params(self.name, params)))
        if "classes" in self.params:
            return resolve_params(self.name, params)["classes"]
        return self.fixed_classes

    def generate(
        self, rng: np.random.Generator, params: Mapping[str, Any] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Validate `params` (filling defaults) and draw (X, y) from `rng`."""
        return self.generator(rng, **resolve_params(self.name, params))


def _n_samples(default: int) -> ParamInfo:
    return ParamInfo("int", default, 4, 100_000, "Number of points, train and test together.")


_NOISE = ParamInfo(
    "float", 0.0, 0.0, 0.5, "Noise as a fraction: TF Playground's 0-50 slider divided by 100."
)


def _classes(default: int) -> ParamInfo:
    return ParamInfo("int", default, 2, 8, "Number of classes.")


def _tf_set(name, title, description, kind, generator, n_samples, classes=None, extra=None):
    params = {"n_samples": _n_samples(n_samples), "noise": _NOISE, **(extra or {})}
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


_ALL = [
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


def _gan_set(name, title, description, generator, classes, view, extra=None) -> DatasetInfo:
    """A 2-D distribution for a GAN (engine.data.distributions): nothing held out by
    default, labels naming the mode a point was drawn from."""
    noise = ParamInfo("float", 0.0, 0.0, 0.5, "Standard deviation of extra noise on each point.")
    params = {"n_samples": _n_samples(2000), "noise": noise, **(extra or {})}
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
_ALL += [
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


def _param_table(params: Mapping[str, tuple]) -> Mapping[str, ParamInfo]:
    return MappingProxyType({key: ParamInfo(*p) for key, p in params.items()})


def _text_set(corpus) -> DatasetInfo:
    def prepare(rng, params, test_fraction, path):
        text = corpus.text(rng, params)
        vocab = sequential.alphabet(corpus.name, params)
        return sequential.text_prepared(text, params["seq_len"], test_fraction, vocab, path)

    params = _param_table(corpus.params)
    return DatasetInfo(
        name=corpus.name,
        title=corpus.title,
        description=corpus.description,
        kind="classification",
        modality="text",
        shape=(params["seq_len"].default,),
        params=params,
        default_test_fraction=0.1,
        view=None,
        generator=None,
        prepare=prepare,
        count=lambda p: p["chars"] // p["seq_len"],
        vocabulary=lambda p: sequential.alphabet(corpus.name, p),
    )


def _series_set(info) -> DatasetInfo:
    def prepare(rng, params, test_fraction, path):
        return sequential.series_prepared(
            info.values(rng, params),
            params["input_length"],
            params["horizon"],
            test_fraction,
            info.season_for(params),
            path,
            bool(params["relative"]),
        )

    params = _param_table(info.params)
    return DatasetInfo(
        name=info.name,
        title=info.title,
        description=info.description,
        kind="regression",
        modality="sequence",
        shape=(params["input_length"].default, 1),
        params=params,
        default_test_fraction=info.default_test_fraction,
        view=None,
        generator=None,
        prepare=prepare,
        count=lambda p: p.get("n_points") or len(info.values(None, p)),
    )


_ALL += [_text_set(corpus) for corpus in TEXT_CORPORA.values()]
_ALL += [_series_set(info) for info in SERIES.values()]


def _injected(rng, params, test_fraction, path):
    start = round(params["n_points"] * (1 - test_fraction))
    values, kinds = anomalies.injected(
        rng, params["n_points"], params["noise"], params["period"], params["anomalies"], start
    )
    X_train, y_train, X_test, y_test = anomalies.windows(
        values, kinds, params["input_length"], test_fraction, path
    )
    return sequential.Prepared(X_train, X_train, X_test, X_test, labels=(y_train, y_test))


_ALL.append(
    DatasetInfo(
        name="series-anomalies",
        title="Series with anomalies",
        description="A seasonal series whose held-out half has spikes, level shifts and "
        "changed seasons injected; windows labelled by kind, for an autoencoder to score.",
        kind="classification",
        modality="sequence",
        shape=(48, 1),
        params=_param_table(
            {
                "n_points": ("int", 4000, 200, 20_000, "Length of the series."),
                "noise": ("float", 0.1, 0.0, 1.0, "Standard deviation of the Gaussian noise."),
                "period": ("int", 24, 4, 200, "Steps in one season."),
                "anomalies": ("int", 12, 0, 200, "Anomalies injected in the held-out part."),
                "input_length": ("int", 48, 4, 400, "Steps in a window."),
            }
        ),
        default_test_fraction=0.5,
        view=None,
        generator=None,
        fixed_classes=len(anomalies.KINDS),
        class_names=anomalies.KINDS,
        prepare=_injected,
        count=lambda p: 2 * p["n_points"] // max(p["input_length"] // 2, 1),
    )
)

DATASETS: Mapping[str, DatasetInfo] = MappingProxyType({info.name: info for info in _ALL})

USER_PARAMS: Mapping[str, Mapping[str, ParamInfo]] = MappingProxyType(
    {
        "text": _param_table({"seq_len": text_seq_len(50)}),
        "series": _param_table(
            {
                **series_windows(12, 1, high=400),
                "season": ("int", 1, 1, 1000, "The series' season in steps (for baselines)."),
            }
        ),
    }
)
"""The parameters of the user's own text and series (the built-in sets declare theirs)."""


def get_dataset(name: object, path: str = "data.dataset") -> DatasetInfo:
    """The registry entry for `name`; SpecError listing the choices otherwise."""
    if isinstance(name, str) and name in DATASETS:
        return DATASETS[name]
    choices = ", ".join(DATASETS)
    special = " and ".join(repr(s) for s in SPECIAL_DATASETS)
    if name in SPECIAL_DATASETS:
        raise SpecError(path, f"{name!r} data is given in the spec, not generated")
    raise SpecError(
        path,
        f"unknown dataset {describe(name)}; available: {choices} "
        f"(or {special} to supply your own points)",
    )


def resolve_params(
    name: str, params: Mapping[str, Any] | None, path: str = "data.params"
) -> dict[str, Any]:
    """Fill defaults and check every value against its range.

    Unknown dataset names raise SpecError at ``data.dataset``; unknown or out-of-range
    parameters raise at ``path.<param>`` naming the allowed range. Returns a new dict.
    """
    table = USER_PARAMS[name] if name in USER_PARAMS else get_dataset(name).params
    given = mapping({} if params is None else params, path)
    unknown = sorted(set(given) - set(table), key=str)
    if unknown:
        allowed = ", ".join(table) if table else "none (this dataset is fixed)"
        raise SpecError(
            join(path, str(unknown[0])),
            f"unknown parameter {unknown[0]!r} for dataset {name!r}; allowed: {allowed}",
        )
    resolved: dict[str, Any] = {}
    for key, spec in table.items():
        value = given.get(key, spec.default)
        key_path = join(path, key)
        value = integer(value, key_path) if spec.type == "int" else number(value, key_path)
        if not spec.low <= value <= spec.high:
            raise SpecError(
                key_path, f"must be between {spec.low} and {spec.high}, received {value!r}"
            )
        resolved[key] = value
    classes = resolved.get("classes")
    if classes is not None and resolved["n_samples"] < classes:
        raise SpecError(
            join(path, "n_samples"),
            f"must be at least {classes} (one point per class, classes={classes}), "
            f"received {resolved['n_samples']}",
        )
    return resolved


def describe_datasets() -> list[dict[str, Any]]:
    """A JSON-able list of every dataset for an API's dataset picker.

    Every entry has "modality" and "shape" (one sample, at the default params); image
    sets add "class_names".
    """
    return [_describe(info) for info in DATASETS.values()]


def _describe(info: DatasetInfo) -> dict[str, Any]:
    entry = {
        "name": info.name,
        "title": info.title,
        "description": info.description,
        "kind": info.kind,
        "modality": info.modality,
        "shape": list(info.shape),
        "n_features": info.n_features,
        "classes": info.classes(),
        "params": {
            key: {
                "type": p.type,
                "default": p.default,
                "low": p.low,
                "high": p.high,
                "description": p.description,
            }
            for key, p in info.params.items()
        },
        "default_test_fraction": info.default_test_fraction,
        "view": None if info.view is None else list(info.view),
    }
    if info.modality == "image" or info.class_names:
        entry["class_names"] = list(info.class_names or map(str, range(info.classes())))
    entry["objectives"] = list(objectives_of(info))
    return entry


def objectives_of(info: DatasetInfo | None) -> tuple[str, ...]:
    """What a session may train on this dataset for (None: the user's own samples):
    a GAN's distributions are for GANs only, text and forecasting series for supervised
    models, the labelled windows of the anomaly lab for autoencoders."""
    if info is None:
        return ("supervised", "reconstruction", "adversarial")
    if info.name in dist.GENERATIVE:
        return ("adversarial",)
    if info.prepare is not None:
        return ("reconstruction",) if info.fixed_classes is not None else ("supervised",)
    return ("supervised", "reconstruction", "adversarial")
