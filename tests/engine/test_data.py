"""Datasets: generator shapes and TF recipe facts, param validation, features, CSV."""

import json

import numpy as np
import pytest

from engine.data import (
    DATASETS,
    FEATURES,
    SPECIAL_DATASETS,
    describe_datasets,
    parse_csv,
    resolve_params,
    transform,
    validate_features,
)
from engine.errors import ShapeError, SpecError

TF_CLASSIFICATION = ["circle", "xor", "gauss", "spiral"]


def draw(name, seed=0, **params):
    return DATASETS[name].generate(np.random.default_rng(seed), params)


# ---- generators -------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n, info in DATASETS.items() if info.generator])
def test_every_dataset_returns_float64_X_and_column_y(name):
    info = DATASETS[name]
    X, y = draw(name)
    n = resolve_params(name, None).get("n_samples", 4)
    assert X.shape == (n, *info.shape) and y.shape == (n, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.isfinite(X).all() and np.isfinite(y).all()
    if info.kind == "classification":
        assert set(np.unique(y)) <= set(range(info.classes()))
    else:
        assert info.classes() is None


@pytest.mark.parametrize(
    ("name", "n"),
    [
        ("circle", 500),
        ("xor", 500),
        ("gauss", 500),
        ("spiral", 500),
        ("reg-plane", 1200),
        ("reg-gauss", 1200),
        ("blobs", 500),
        ("moons", 500),
    ],
)
def test_default_sizes_follow_tf(name, n):
    assert resolve_params(name, None)["n_samples"] == n


@pytest.mark.parametrize("name", TF_CLASSIFICATION)
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_tf_classification_sets_are_about_half_and_half(name, noise):
    _, y = draw(name, noise=noise)
    assert abs(y.mean() - 0.5) < 0.1


@pytest.mark.parametrize("name", ["spiral", "blobs"])
@pytest.mark.parametrize("classes", [2, 3, 5, 8])
def test_multiclass_sets_are_exactly_balanced(name, classes):
    _, y = draw(name, classes=classes, n_samples=40 * classes)
    assert np.bincount(y[:, 0].astype(int), minlength=classes).tolist() == [40] * classes


def test_uneven_split_gives_remainder_to_first_classes():
    _, y = draw("spiral", classes=3, n_samples=11)
    assert np.bincount(y[:, 0].astype(int)).tolist() == [4, 4, 3]


@pytest.mark.parametrize(
    "name", [n for n in DATASETS if DATASETS[n].modality == "points" and not n.startswith("course")]
)
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    X1, y1 = draw(name, seed=7, noise=0.2)
    X2, y2 = draw(name, seed=7, noise=0.2)
    X3, _ = draw(name, seed=8, noise=0.2)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_circle_without_noise_labels_by_radius():
    X, y = draw("circle", noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_array_equal(y[:, 0] == 1, radius < 2.5)
    assert ((radius < 2.5) | ((radius >= 3.5) & (radius <= 5))).all()


def test_xor_without_noise_labels_by_quadrant_with_margin():
    X, y = draw("xor", noise=0.0)
    np.testing.assert_array_equal(y[:, 0] == 1, X[:, 0] * X[:, 1] >= 0)
    assert (np.abs(X) >= 0.3).all() and (np.abs(X) <= 5.3).all()


def test_gauss_clusters_sit_at_plus_and_minus_two():
    X, y = draw("gauss", n_samples=4000)
    np.testing.assert_allclose(X[y[:, 0] == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(X[y[:, 0] == 0].mean(axis=0), [-2, -2], atol=0.1)
    np.testing.assert_allclose(X[y[:, 0] == 1].var(axis=0), [0.5, 0.5], rtol=0.15)


@pytest.mark.parametrize("classes", [2, 3, 8])
def test_spiral_points_stay_within_radius_five(classes):
    X, _ = draw("spiral", noise=0.0, classes=classes)
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 5.0


def test_two_arm_spiral_puts_tf_positive_arm_in_class_one():
    X, y = draw("spiral", noise=0.0, n_samples=8)
    # The first point of the delta=0 arm beyond the origin is at t = 1.75*(1/4)*2pi.
    t = 1.75 * 0.25 * 2 * np.pi
    expected = 5 * 0.25 * np.array([np.sin(t), np.cos(t)])
    hit = np.all(np.isclose(X, expected), axis=1)
    assert hit.sum() == 1 and y[hit, 0] == 1


def test_reg_plane_without_noise_is_the_scaled_sum():
    X, y = draw("reg-plane", noise=0.0)
    np.testing.assert_array_equal(y[:, 0], (X[:, 0] + X[:, 1]) / 10)


@pytest.mark.parametrize("name", ["reg-plane", "reg-gauss"])
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_regression_points_stay_in_the_tf_square(name, noise):
    X, _ = draw(name, noise=noise)
    assert (np.abs(X) <= 6).all()


def test_reg_gauss_targets_peak_at_the_signed_centres():
    X, y = draw("reg-gauss", noise=0.0, n_samples=20000)
    assert (np.abs(y) <= 1).all()
    near = np.hypot(X[:, 0] - 4, X[:, 1] - 2.5) < 0.2
    assert (y[near, 0] > 0.85).all()
    near = np.hypot(X[:, 0] - 0, X[:, 1] - 2.5) < 0.2
    assert (y[near, 0] < -0.85).all()


def test_blobs_and_moons_fill_the_view():
    for name in ["blobs", "moons"]:
        X, _ = draw(name, noise=0.0)
        assert (np.abs(X) <= 6).all() and np.abs(X).max() > 3


def test_course_sets_are_fixed_and_ordered():
    X, y = draw("course-xor")
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [[0], [1], [1], [0]]
    X, y = draw("course-exercise")
    assert X.tolist() == [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]
    assert y.tolist() == [[0], [1], [1], [0]]
    assert DATASETS["course-exercise"].view is None
    assert DATASETS["course-xor"].default_test_fraction == 0.0


# ---- registry ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "path", "fragment"),
    [
        ("circle", {"noise": 0.7}, "data.params.noise", "between 0.0 and 0.5, received 0.7"),
        ("circle", {"noise": "lots"}, "data.params.noise", "'lots'"),
        ("circle", {"n_samples": 2}, "data.params.n_samples", "between 4 and 100000"),
        ("circle", {"n_samples": 2.5}, "data.params.n_samples", "integer, received 2.5"),
        ("spiral", {"classes": 9}, "data.params.classes", "between 2 and 8, received 9"),
        ("spiral", {"classes": 8, "n_samples": 5}, "data.params.n_samples", "at least 8"),
        ("circle", {"classes": 3}, "data.params.classes", "allowed: n_samples, noise"),
        ("course-xor", {"noise": 0.1}, "data.params.noise", "none"),
        ("xor", [1, 2], "data.params", "must be an object"),
    ],
)
def test_bad_params_name_the_path_and_value(name, params, path, fragment):
    with pytest.raises(SpecError) as caught:
        resolve_params(name, params)
    assert caught.value.path == path and fragment in caught.value.message


def test_unknown_dataset_lists_names_and_special_ones():
    with pytest.raises(SpecError) as caught:
        resolve_params("swirl", None)
    assert caught.value.path == "data.dataset"
    for name in [*DATASETS, *SPECIAL_DATASETS]:
        assert name in caught.value.message


def test_resolve_fills_defaults_and_accepts_integral_floats():
    assert resolve_params("spiral", {"n_samples": 100.0}) == {
        "n_samples": 100,
        "noise": 0.0,
        "classes": 2,
    }
    assert resolve_params("course-xor", None) == {}


def test_describe_datasets_is_json_and_complete():
    described = json.loads(json.dumps(describe_datasets()))
    assert [d["name"] for d in described] == list(DATASETS)
    spiral = next(d for d in described if d["name"] == "spiral")
    assert spiral["params"]["classes"] == {
        "type": "int",
        "default": 2,
        "low": 2,
        "high": 8,
        "description": "Number of classes.",
    }
    assert spiral["view"] == [-6.0, 6.0] and spiral["default_test_fraction"] == 0.5
    assert DATASETS["blobs"].classes({"classes": 5}) == 5


# ---- features ---------------------------------------------------------------------

POINTS = np.array([[0.5, -2.0], [3.0, 1.5], [-1.0, 0.0]])
EXPECTED = {
    "x1": POINTS[:, 0],
    "x2": POINTS[:, 1],
    "x1^2": POINTS[:, 0] ** 2,
    "x2^2": POINTS[:, 1] ** 2,
    "x1*x2": POINTS[:, 0] * POINTS[:, 1],
    "sin(x1)": np.sin(POINTS[:, 0]),
    "sin(x2)": np.sin(POINTS[:, 1]),
    "cos(x1)": np.cos(POINTS[:, 0]),
    "cos(x2)": np.cos(POINTS[:, 1]),
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_each_feature_computes_its_formula(name):
    np.testing.assert_allclose(transform(POINTS, [name])[:, 0], EXPECTED[name])


def test_transform_orders_columns_keeps_dtype_and_fills_out():
    names = ["sin(x2)", "x1", "x1*x2"]
    out = np.empty((3, 3), dtype=np.float32)
    result = transform(POINTS.astype(np.float32), names, out=out)
    assert result is out and out.dtype == np.float32
    np.testing.assert_allclose(out, np.column_stack([EXPECTED[n] for n in names]), rtol=1e-6)
    assert set(EXPECTED) == set(FEATURES)


@pytest.mark.parametrize(
    ("X", "out"),
    [
        (np.zeros((3, 3)), None),
        (POINTS, np.empty((3, 2))),
        (POINTS, np.empty((3, 1), dtype=np.float32)),
    ],
)
def test_transform_rejects_bad_shapes(X, out):
    with pytest.raises(ShapeError):
        transform(X, ["x1"], out=out)


@pytest.mark.parametrize(
    ("names", "path", "fragment"),
    [
        ([], "data.features", "at least one"),
        ("x1", "data.features", "list"),
        (["x1", "x2", "x3"], "data.features[2]", "allowed: x1, x2, x1^2"),
        (["x1", "x1"], "data.features[1]", "twice"),
    ],
)
def test_validate_features_names_the_bad_entry(names, path, fragment):
    with pytest.raises(SpecError) as caught:
        validate_features(names, "data.features")
    assert caught.value.path == path and fragment in caught.value.message


# ---- CSV --------------------------------------------------------------------------


def test_csv_splits_targets_from_features():
    text = 'x1, "x2",label\n1, 2.5, 0\n-3e1,4,1\n\n  \n'
    X, y, names = parse_csv(text, ["label"])
    assert names == ["x1", "x2"] and X.dtype == y.dtype == np.float64
    assert X.tolist() == [[1, 2.5], [-30, 4]] and y.tolist() == [[0], [1]]


def test_csv_targets_keep_their_given_order():
    X, y, names = parse_csv("a,b,c\n1,2,3\n", ["c", "a"])
    assert names == ["b"] and X.tolist() == [[2]] and y.tolist() == [[3, 1]]


@pytest.mark.parametrize(
    ("text", "targets", "path", "fragment"),
    [
        (
            "x1,x2,y\n1,2,0\n3,4,1\n5,abc,0\n",
            ["y"],
            "data.csv",
            "line 4 (row 3 of data), column 'x2': 'abc' is not a number",
        ),
        ("x1,y\n1,nan\n", ["y"], "data.csv", "line 2 (row 1 of data), column 'y'"),
        ("x1,y\n1,\n", ["y"], "data.csv", "empty"),
        ("x1,x2,y\n1,2,0\n1,2\n", ["y"], "data.csv", "line 3 (row 2 of data) has 2 values"),
        ("x1,y\n1,0\n\n2,1\n", ["y"], "data.csv", "line 3 is blank"),
        ("x1,y\n1,0\n", ["z"], "data.targets[0]", "columns are 'x1', 'y'"),
        ("x1,y\n1,0\n", [], "data.targets", "non-empty"),
        ("x1,y\n1,0\n", ["x1", "y"], "data.targets", "at least one column"),
        ("x1,x1,y\n1,2,0\n", ["y"], "data.csv", "'x1' appears twice"),
        ("x1,,y\n1,2,0\n", ["y"], "data.csv", "column 2 has no name"),
        ('x1,"y\n1,0\n', ["y"], "data.csv", "line 2: unexpected end of data"),
        ("", ["y"], "data.csv", "is empty"),
        ("\n\n", ["y"], "data.csv", "is empty"),
        ("x1,y\n", ["y"], "data.csv", "no data"),
    ],
)
def test_csv_errors_say_where(text, targets, path, fragment):
    with pytest.raises(SpecError) as caught:
        parse_csv(text, targets)
    assert caught.value.path == path and fragment in caught.value.message
