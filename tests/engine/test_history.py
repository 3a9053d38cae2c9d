"""engine.history.Series: bounded columns that downsample by pairwise averaging."""

import json
import math

import numpy as np
import pytest

from engine.history import DEFAULT_CAPACITY, Series


def filled(n, capacity=8, columns=("a", "b")):
    """A series holding raw points x = 1..n with rows (x, 10·x)."""
    s = Series(columns, capacity)
    for x in range(1, n + 1):
        s.append(x, (float(x), 10.0 * x))
    return s


def test_appends_keep_every_point_until_full():
    d = filled(8).to_dict()
    assert d == {
        "x": [1, 2, 3, 4, 5, 6, 7, 8],
        "stride": 1,
        "a": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "b": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0],
    }


def test_empty_series():
    s = Series(("a",), 4)
    assert s.to_dict() == {"x": [], "stride": 1, "a": []}
    assert s.last() is None


def test_full_series_halves_averaging_pairs_and_doubles_stride():
    """The 9th point finds the series full: pairs merge (later x kept), stride 2."""
    s = filled(9)
    assert s.stride == 2
    # the 9th point waits in the accumulator for its partner
    assert s.to_dict() == {
        "x": [2, 4, 6, 8],
        "stride": 2,
        "a": [1.5, 3.5, 5.5, 7.5],
        "b": [15.0, 35.0, 55.0, 75.0],
    }
    s.append(10, (10.0, 100.0))
    d = s.to_dict()
    assert d["x"] == [2, 4, 6, 8, 10]
    assert d["a"] == [1.5, 3.5, 5.5, 7.5, 9.5]
    assert d["b"][-1] == 95.0


def test_halving_is_lazy_until_a_point_needs_room():
    s = filled(17)  # 8 points of stride 2 = 16 raw, the 17th waits for its partner
    assert s.stride == 2
    assert s.to_dict()["x"] == [2, 4, 6, 8, 10, 12, 14, 16]


def test_second_halving_averages_groups_of_four():
    s = filled(18)  # the 18th completes a pair that finds the series full
    assert s.stride == 4
    # 17 and 18 are half of a group of four: they wait, as the 9th point did above
    assert s.to_dict()["x"] == [4, 8, 12, 16]
    assert s.to_dict()["a"] == [2.5, 6.5, 10.5, 14.5]


def test_size_never_exceeds_capacity():
    s = Series(("a",), 8)
    for x in range(1, 1001):
        s.append(x, (float(x),))
        assert s.size <= 8
    assert s.stride == 128


@pytest.mark.parametrize("n", [1, 7, 8, 9, 16, 17, 18, 33, 100, 1000])
def test_every_stored_point_averages_exactly_stride_raw_points(n):
    """Stored point i is the mean of raw points i·stride+1 .. (i+1)·stride (x the last);
    the fewer than `stride` newest raw points wait unstored."""
    d = filled(n).to_dict()
    stride, size = d["stride"], len(d["x"])
    assert size * stride <= n < (size + 1) * stride
    groups = np.arange(1, size * stride + 1, dtype=float).reshape(size, stride)
    assert d["x"] == [int(g[-1]) for g in groups]
    assert d["a"] == pytest.approx(groups.mean(axis=1).tolist(), rel=1e-15)


def test_last_is_the_newest_stored_point():
    assert filled(3).last() == {"x": 3, "a": 3.0, "b": 30.0}


def test_to_dict_gives_none_for_non_finite_values_and_is_json():
    s = Series(("loss",), 4)
    for x, value in enumerate([1.0, math.nan, math.inf, -math.inf], start=1):
        s.append(x, (value,))
    d = s.to_dict()
    assert d["loss"] == [1.0, None, None, None]
    json.dumps(d, allow_nan=False)


def test_non_finite_values_survive_halving_as_nan():
    s = Series(("loss",), 4)
    for x, value in enumerate([1.0, 2.0, math.inf, 4.0, 5.0, 6.0], start=1):
        s.append(x, (value,))
    assert s.to_dict()["loss"] == [1.5, None, 5.5]


@pytest.mark.parametrize("n", [0, 5, 9, 10, 23])
def test_state_round_trip_continues_identically(n):
    original = filled(n)
    copy = Series(original.columns, original.capacity)
    copy.load_state({k: np.array(a) for k, a in original.state().items()})
    assert copy.to_dict() == original.to_dict()
    for x in range(n + 1, n + 20):
        original.append(x, (float(x), -1.0 * x))
        copy.append(x, (float(x), -1.0 * x))
    assert copy.to_dict() == original.to_dict()


def test_state_restores_a_different_capacity():
    original = filled(20, capacity=4)
    copy = Series(original.columns)  # default capacity
    copy.load_state(original.state())
    assert copy.capacity == 4
    assert copy.to_dict() == original.to_dict()


def test_state_holds_only_plain_arrays():
    state = filled(9).state()
    for array in state.values():
        assert isinstance(array, np.ndarray) and array.dtype != object


@pytest.mark.parametrize("capacity", [0, 2, 5, 7])
def test_capacity_must_be_even_and_at_least_four(capacity):
    with pytest.raises(ValueError, match=str(capacity)):
        Series(("a",), capacity)


def test_default_capacity_is_bounded():
    s = Series(("a",))
    assert s.capacity == DEFAULT_CAPACITY
    assert s.nbytes() < 100_000


@pytest.mark.parametrize("n", [1, 7, 30, 100])
def test_extend_stores_what_appending_one_by_one_stores(n):
    one, many = Series(("v",), capacity=16), Series(("v",), capacity=16)
    xs = np.arange(1, n + 1)
    rows = np.sin(xs)[:, None]
    for x, row in zip(xs, rows):
        one.append(int(x), row)
    many.extend(xs, rows)
    assert one.to_dict() == many.to_dict()
    assert one.state()["meta"].tolist() == many.state()["meta"].tolist()


@pytest.mark.parametrize("chunk", [1, 3, 24, 250])
def test_extend_in_chunks_is_bit_identical_to_appending_through_many_halvings(chunk):
    rng = np.random.default_rng(chunk)
    n = 1500
    xs = np.arange(n)
    rows = rng.normal(size=(n, 2)) * 10.0 ** rng.integers(-8, 8, size=(n, 1))
    rows[700, 1] = np.nan
    rows[64:160] = -0.0  # whole groups of negative zeros: append's sums start at 0.0
    one, many = Series(("a", "b"), capacity=16), Series(("a", "b"), capacity=16)
    for start in range(0, n, chunk):
        for x, row in zip(xs[start : start + chunk], rows[start : start + chunk]):
            one.append(int(x), row)
        many.extend(xs[start : start + chunk], rows[start : start + chunk])
        for key, value in one.state().items():
            assert np.array_equal(value, many.state()[key], equal_nan=True), key
            assert np.array_equal(np.signbit(value), np.signbit(many.state()[key])), key
    assert many.stride == one.stride > 32
