"""Image data: the built-in sets, inline images (lists and envelopes), class-index
targets, and the user's own .npz and IDX files."""

import gzip
import io
import json
import time

import numpy as np
import pytest

from engine import build_data, dataset
from engine.data import (
    DATASETS,
    decode_array,
    describe_datasets,
    encode_array,
    parse_idx,
    parse_npz,
    resolve_params,
)
from engine.errors import SpecError

IMAGE_SETS = [name for name, info in DATASETS.items() if info.modality == "image"]


def draw(name, seed=0, **params):
    return DATASETS[name].generate(np.random.default_rng(seed), params)


def build(data, units=10, seed=0):
    spec = dataset.normalize(data, loss_is_classification=True)
    return build_data.build(spec, units, np.float32, np.random.default_rng(seed))


# ---- built-in sets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "shape"),
    [
        ("digits", {}, (1797, 8, 8, 1)),
        ("digits", {"n_samples": 20}, (20, 8, 8, 1)),
        ("mnist", {}, (5000, 28, 28, 1)),
        ("mnist", {"n_samples": 300}, (300, 28, 28, 1)),
        ("shapes", {}, (1000, 16, 16, 1)),
        ("shapes", {"n_samples": 40, "size": 8, "noise": 0.0}, (40, 8, 8, 1)),
        ("shapes", {"n_samples": 41, "size": 32, "noise": 0.5}, (41, 32, 32, 1)),
    ],
)
def test_image_sets_are_float64_pixels_in_0_1_with_class_index_labels(name, params, shape):
    X, y = draw(name, **params)
    assert X.shape == shape and y.shape == (shape[0], 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert X.min() >= 0 and X.max() <= 1 and X.max() > 0.9
    assert set(np.unique(y)) <= set(range(DATASETS[name].classes()))


@pytest.mark.parametrize("name", IMAGE_SETS)
def test_image_sets_are_deterministic_given_the_rng(name):
    X1, y1 = draw(name, seed=3)
    X2, y2 = draw(name, seed=3)
    X3, _ = draw(name, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_digits_are_the_whole_uci_set_in_sixteenths_in_random_order():
    X, y = draw("digits")
    assert np.bincount(y[:, 0].astype(int)).tolist() == [
        178,
        182,
        177,
        183,
        181,
        182,
        181,
        179,
        174,
        180,
    ]
    np.testing.assert_array_equal(X * 16, np.round(X * 16))
    assert len(np.unique(X.reshape(len(X), -1), axis=0)) > 1700
    assert y[:30, 0].tolist() != sorted(y[:30, 0].tolist())


def test_mnist_is_the_shipped_5000_in_255ths_500_a_digit():
    X, y = draw("mnist")
    assert np.bincount(y[:, 0].astype(int)).tolist() == [500] * 10
    np.testing.assert_array_equal(X * 255, np.round(X * 255))
    assert X.mean() < 0.2  # white strokes on black, as MNIST is


def test_shapes_are_balanced_and_inked_without_noise():
    X, y = draw("shapes", n_samples=402, noise=0.0)
    assert np.bincount(y[:, 0].astype(int)).tolist() == [101, 101, 100, 100]
    ink = X.sum(axis=(1, 2, 3))
    assert (ink > 10).all() and (X == 0).mean() > 0.4


def test_shapes_draw_1000_images_in_well_under_100_ms():
    rng = np.random.default_rng(0)
    best = min(_timed(lambda: DATASETS["shapes"].generate(rng)) for _ in range(3))
    assert best < 0.05


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.mark.parametrize(
    ("name", "params", "path"),
    [
        ("shapes", {"size": 7}, "data.params.size"),
        ("shapes", {"size": 33}, "data.params.size"),
        ("shapes", {"n_samples": 39}, "data.params.n_samples"),
        ("shapes", {"noise": 0.6}, "data.params.noise"),
        ("digits", {"n_samples": 1798}, "data.params.n_samples"),
        ("digits", {"n_samples": 19}, "data.params.n_samples"),
        ("digits", {"noise": 0.1}, "data.params.noise"),
    ],
)
def test_image_set_params_are_range_checked(name, params, path):
    with pytest.raises(SpecError) as caught:
        resolve_params(name, params)
    assert caught.value.path == path


def test_describe_datasets_gives_every_modality_and_shape_and_image_class_names():
    described = {d["name"]: d for d in json.loads(json.dumps(describe_datasets()))}
    assert {d["modality"] for d in described.values()} == {
        "points",
        "table",
        "image",
        "text",
        "sequence",
    }
    assert described["circle"]["shape"] == [2] and described["circle"]["modality"] == "points"
    assert described["course-exercise"]["shape"] == [3]
    assert described["course-exercise"]["modality"] == "table"
    assert described["digits"]["shape"] == [8, 8, 1] and described["digits"]["classes"] == 10
    assert described["digits"]["class_names"] == [str(d) for d in range(10)]
    assert described["shapes"]["class_names"] == ["circle", "square", "triangle", "cross"]
    assert "class_names" not in described["circle"]
    assert DATASETS["shapes"].input_shape({"size": 9}) == (9, 9, 1)
    assert DATASETS["digits"].n_features == 64


# ---- building Data ----------------------------------------------------------------


def test_builtin_images_build_one_hot_targets_and_share_inputs_with_points():
    d = build({"dataset": "digits", "params": {"n_samples": 100}})
    assert d.modality == "image" and d.shape == (8, 8, 1) and d.class_names[3] == "3"
    assert d.X_train.shape == (80, 8, 8, 1) and d.X_test.shape == (20, 8, 8, 1)
    assert d.points_train is d.X_train and d.points_test is d.X_test
    assert d.y_train.shape == (80, 10) and d.labels_train.shape == (80, 1)
    np.testing.assert_array_equal(d.y_train.argmax(1), d.labels_train[:, 0])
    assert d.view is None and dataset.modality_of(d) == "image"


@pytest.mark.parametrize("field", [{"features": ["x1"]}, {"view": [0, 1]}])
def test_builtin_images_reject_features_and_view(field):
    with pytest.raises(SpecError) as caught:
        dataset.normalize({"dataset": "shapes", **field}, True)
    assert caught.value.path == f"data.{next(iter(field))}"


def test_features_on_inline_images_name_their_shape():
    X = np.zeros((4, 3, 3, 1)).tolist()
    with pytest.raises(SpecError, match=r"images of shape \(3, 3, 1\)"):
        dataset.normalize(
            {"dataset": "inline", "X": X, "y": [0, 1, 0, 1], "features": ["x1"]}, True
        )


PIXELS = np.random.default_rng(0).integers(0, 256, (6, 4, 5, 1), dtype=np.uint8)


@pytest.mark.parametrize(
    ("X", "expected"),
    [
        (PIXELS.tolist(), PIXELS.astype(float)),
        (encode_array(PIXELS), PIXELS / 255),
        (encode_array((PIXELS / 255).astype(np.float32)), (PIXELS / 255).astype(np.float32)),
        (encode_array(PIXELS / 255), PIXELS / 255),
    ],
    ids=["lists", "uint8-envelope", "float32-envelope", "float64-envelope"],
)
def test_inline_images_as_lists_or_envelopes_build_image_data(X, expected):
    d = build({"dataset": "inline", "X": X, "y": [0, 1, 2, 0, 1, 2]}, units=3)
    assert d.modality == "image" and d.shape == (4, 5, 1) and d.class_names is None
    np.testing.assert_allclose(d.X_train, expected, rtol=1e-6)
    assert d.y_train.shape == (6, 3) and d.points_train is d.X_train


def test_inline_rank_3_is_a_sequence_and_rank_2_stays_a_table_or_points():
    y = [0, 1, 0, 1]
    assert (
        build({"dataset": "inline", "X": np.zeros((4, 5, 2)).tolist(), "y": y}, units=2).modality
        == "sequence"
    )
    assert (
        build({"dataset": "inline", "X": np.zeros((4, 3)).tolist(), "y": y}, units=2).modality
        == "table"
    )
    spec = dataset.normalize({"dataset": "inline", "X": np.eye(4)[:, :2].tolist(), "y": y}, True)
    assert dataset.modality_of(spec) == "points" and dataset.data_shape(spec) == (4, (2,))


@pytest.mark.parametrize(
    "y",
    [[0, 2, 1, 2], [[0], [2], [1], [2]], np.eye(3)[[0, 2, 1, 2]].tolist()],
    ids=["flat", "column", "one-hot"],
)
def test_class_targets_may_be_flat_indices_a_column_or_one_hot(y):
    d = build({"dataset": "inline", "X": np.zeros((4, 2, 2, 1)).tolist(), "y": y}, units=3)
    np.testing.assert_array_equal(d.y_train, np.eye(3)[[0, 2, 1, 2]])


def test_envelope_round_trips_through_encode_and_decode():
    a = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    np.testing.assert_array_equal(decode_array(encode_array(a), "x", 10), a)
    assert dataset.data_shape({"dataset": "inline", "X": encode_array(PIXELS)}) == (6, (4, 5, 1))


ENV = encode_array(PIXELS)
BAD_INLINE = [
    ("text", {"X": [[[[0]]], [[["a"]]]]}, "data.X", "'a' at data.X[1][0][0][0]"),
    ("bool", {"X": [[[[True]]], [[[False]]]]}, "data.X", "numbers"),
    ("nan", {"X": [[[[0.0]]], [[[float("nan")]]]]}, "data.X", "sample 1"),
    ("ragged-deep", {"X": [[[[0, 1]]], [[[0]]]]}, "data.X", "lengths [1, 2]"),
    ("rank-5", {"X": np.zeros((2, 1, 1, 1, 1)).tolist()}, "data.X", "(n, h, w, 1)"),
    ("scalar", {"X": 3}, "data.X", "received 3"),
    ("dtype", {"X": {**ENV, "dtype": "float16"}}, "data.X.dtype", "'float16'"),
    ("shape", {"X": {**ENV, "shape": [6, 4, -5, 1]}}, "data.X.shape", "-5"),
    ("length", {"X": {**ENV, "shape": [6, 4, 4, 1]}}, "data.X.data", "120 bytes"),
    ("base64", {"X": {**ENV, "data": "not base64!"}}, "data.X.data", "base64"),
    ("data-type", {"X": {**ENV, "data": 12}}, "data.X.data", "12"),
    ("missing", {"X": {"dtype": "uint8", "shape": [1]}}, "data.X.data", "required"),
    ("unknown", {"X": {**ENV, "order": "C"}}, "data.X.order", "'order'"),
    (
        "samples",
        {"X": {"dtype": "uint8", "shape": [100_001, 1], "data": ""}},
        "data.X",
        "100,001 samples",
    ),
    (
        "pixels",
        {"X": {"dtype": "uint8", "shape": [5000, 100, 100, 1], "data": ""}},
        "data.X",
        "too many pixels",
    ),
    ("y-length", {"y": [0, 1]}, "data.y", "2 rows"),
    ("y-negative", {"y": [0, -1, 1, 0, 1, 0]}, "data.y", "sample 1 has -1"),
    ("y-fraction", {"y": [0, 1, 1.5, 0, 1, 0]}, "data.y", "class indices"),
    ("y-too-big", {"y": [0, 1, 2, 3, 9, 0]}, "data.y", "class index 9 (sample 4)"),
    ("y-text", {"y": [0, 1, "2", 0, 1, 0]}, "data.y", "'2'"),
]


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [case[1:] for case in BAD_INLINE],
    ids=[c[0] for c in BAD_INLINE],
)
def test_bad_inline_images_name_the_field_and_what_was_received(change, path, fragment):
    data = {"dataset": "inline", "X": ENV, "y": [0, 1, 2, 3, 4, 0], **change}
    with pytest.raises(SpecError) as caught:
        build(data, units=5)
    assert caught.value.path == path and fragment in caught.value.message, caught.value


# ---- the user's own files ---------------------------------------------------------


def npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def idx(magic: int, arr: np.ndarray, zipped=False) -> bytes:
    head = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in arr.shape)
    raw = head + arr.astype(np.uint8).tobytes()
    return gzip.compress(raw) if zipped else raw


GREY = PIXELS[..., 0]
LABELS = np.array([0, 1, 2, 3, 4, 0])


@pytest.mark.parametrize(
    ("X", "expected"),
    [
        (GREY, PIXELS / 255),
        (PIXELS.astype(np.int64), PIXELS / 255),
        (np.repeat(PIXELS, 3, axis=3), np.repeat(PIXELS, 3, axis=3) / 255),
        (PIXELS / 255, PIXELS / 255),
        (PIXELS / 255 * 16, PIXELS / PIXELS.max()),
        (PIXELS / 255 - 0.5, (PIXELS - PIXELS.min()) / np.ptp(PIXELS)),
    ],
    ids=["grey-uint8", "int64-0-255", "rgb", "float-0-1", "float-0-16", "float-negative"],
)
def test_npz_round_trips_to_pixels_in_0_1(X, expected):
    X_out, y_out = parse_npz(npz(X=X, y=LABELS))
    np.testing.assert_allclose(X_out, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(y_out, LABELS[:, None])


@pytest.mark.parametrize(
    "y",
    [LABELS[:, None], np.eye(5)[LABELS], LABELS.astype(float)],
    ids=["column", "one-hot", "integral-floats"],
)
def test_npz_labels_may_be_a_column_one_hot_or_integral_floats(y):
    np.testing.assert_array_equal(parse_npz(npz(X=GREY, y=y))[1], LABELS[:, None])


BAD_NPZ = [
    ("not-npz", b"hello", "not an .npz"),
    ("npy", np.lib.format.magic(1, 0) + b"xx", "single .npy"),
    ("no-X", npz(y=LABELS), "no array 'X'"),
    ("no-y", npz(X=GREY), "no array 'y'"),
    ("y-length", npz(X=GREY, y=LABELS[:4]), "4 labels but X has 6"),
    ("y-fraction", npz(X=GREY, y=LABELS + 0.5), "integers"),
    ("y-negative", npz(X=GREY, y=LABELS - 1), "label 0 is"),
    ("X-rank", npz(X=GREY[:, 0], y=LABELS), "(n, h, w)"),
    ("X-nan", npz(X=np.full((6, 2, 2), np.nan), y=LABELS), "NaN"),
    ("channels-first", npz(X=np.zeros((6, 1, 8, 8)), y=LABELS), "channels-first"),
    ("objects", npz(X=np.array([None] * 6, dtype=object), y=LABELS), "Python objects"),
    ("too-many-pixels", npz(X=np.zeros((6, 100, 100), np.uint8), y=LABELS), "too many pixels"),
]


@pytest.mark.parametrize(("raw", "fragment"), [c[1:] for c in BAD_NPZ], ids=[c[0] for c in BAD_NPZ])
def test_bad_npz_files_say_what_is_wrong(raw, fragment):
    with pytest.raises(SpecError) as caught:
        parse_npz(raw, max_pixels=50_000)
    assert caught.value.path == "file" and fragment in caught.value.message, caught.value


def test_npz_with_more_images_than_allowed_is_refused():
    with pytest.raises(SpecError, match="at most 5"):
        parse_npz(npz(X=GREY, y=LABELS), max_images=5)


@pytest.mark.parametrize("zipped", [False, True])
def test_idx_round_trips_plain_or_gzipped(zipped):
    X, y = parse_idx(idx(2051, GREY, zipped), idx(2049, LABELS, zipped))
    np.testing.assert_allclose(X, PIXELS / 255)
    np.testing.assert_array_equal(y, LABELS[:, None])


IMAGES, MARKS = idx(2051, GREY), idx(2049, LABELS)
BAD_IDX = [
    ("magic", idx(2049, GREY.ravel()), MARKS, "images", "look swapped"),
    ("labels-magic", IMAGES, IMAGES, "labels", "magic number 2051, expected 2049"),
    ("truncated-header", IMAGES[:10], MARKS, "images", "truncated"),
    ("truncated-data", IMAGES[:-3], MARKS, "images", "truncated"),
    ("longer", IMAGES + b"\0", MARKS, "images", "longer than its header"),
    ("count", IMAGES, idx(2049, LABELS[:5]), "labels", "5 labels but the images file has 6"),
    ("gzip", b"\x1f\x8b" + b"\0" * 20, MARKS, "images", "gzip"),
    ("gzip-truncated", gzip.compress(IMAGES)[:-12], MARKS, "images", "truncated"),
    ("empty", b"", MARKS, "images", "truncated"),
]


@pytest.mark.parametrize(
    ("images", "labels", "path", "fragment"), [c[1:] for c in BAD_IDX], ids=[c[0] for c in BAD_IDX]
)
def test_bad_idx_files_say_which_file_and_what_is_wrong(images, labels, path, fragment):
    with pytest.raises(SpecError) as caught:
        parse_idx(images, labels)
    assert caught.value.path == path and fragment in caught.value.message, caught.value


def test_idx_limits_images_and_pixels():
    with pytest.raises(SpecError, match="at most 5"):
        parse_idx(IMAGES, MARKS, max_images=5)
    with pytest.raises(SpecError, match="too many pixels"):
        parse_idx(gzip.compress(IMAGES), MARKS, max_pixels=100)
