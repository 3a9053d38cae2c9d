"""Time series: the generated and shipped series, a CSV column, forecasting windows
split in time and standardized by the training part, and the seasonal-naive MASE."""

import hashlib
from importlib import resources

import numpy as np
import pytest

from engine.data.forecast_baseline import mase, seasonal_naive
from engine.data.series import (
    SERIES,
    airline,
    sine_mixture,
    sunspots,
    trend_season,
    windows,
)
from engine.data.series_column import column_of
from engine.errors import SpecError


def rng(seed=0):
    return np.random.default_rng(seed)


# ---- generated series -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("generate", "params"),
    [(sine_mixture, {"noise": 0.1}), (trend_season, {"noise": 0.2, "period": 12})],
)
def test_generated_series_are_deterministic_given_the_rng(generate, params):
    first = generate(rng(5), 300, **params)
    assert first.shape == (300,) and first.dtype == np.float64
    assert np.array_equal(first, generate(rng(5), 300, **params))
    assert not np.array_equal(first, generate(rng(6), 300, **params))


def test_sine_mixture_without_noise_repeats_every_48_steps():
    series = sine_mixture(rng(), 480, 0.0)
    assert np.allclose(series[48:], series[:-48])
    assert not np.allclose(series[24:], series[:-24])


def test_trend_season_without_noise_is_its_season_plus_a_rising_line():
    series = trend_season(rng(), 240, 0.0, 10)
    assert np.allclose(series[10:] - series[:-10], 0.1)  # 0.01 a step, 10 steps a season


# ---- the shipped series ---------------------------------------------------------------


def test_airline_passengers_are_box_and_jenkins_series_g():
    values = airline()
    assert values.shape == (144,) and values.sum() == 40363
    assert values[0] == 112 and values[11] == 118 and values[-1] == 432
    assert values.max() == 622 and values.argmax() == 138  # July 1960
    assert not values.flags.writeable


def test_sunspots_are_the_yearly_numbers_1700_to_2008():
    values = sunspots()
    assert values.shape == (309,)
    assert values[0] == 5.0 and values[1] == 11.0 and values[-1] == 2.9
    assert values.max() == 190.2 and 1700 + values.argmax() == 1957


@pytest.mark.parametrize(
    ("name", "sha256"),
    [
        ("sunspots.csv", "f67889b1d9002cd5227f0e0ef54e35b419cdd85a31279adef6f73fb41e5c0a9b"),
        ("airline.csv", "d27dd74f3654ab4c688afccf2348870410902f480cea900d872be2ae33184411"),
    ],
)
def test_shipped_files_match_the_sha256_in_data_md(name, sha256):
    data = resources.files("engine.data").joinpath("files", name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256


@pytest.mark.parametrize("name", list(SERIES))
def test_every_series_at_its_defaults_gives_train_and_test_windows(name):
    info = SERIES[name]
    params = {key: p[1] for key, p in info.params.items()}
    for kind, default, low, high, description in info.params.values():
        assert kind in ("int", "float") and low <= default <= high and description
    values = info.values(rng(), params)
    out = windows(values, params["input_length"], params["horizon"], 0.2, "data")
    assert len(out["X_train"]) > 50 and len(out["X_test"]) > 10
    assert info.season_for(params) > 1


def test_the_trend_season_season_follows_its_period():
    assert SERIES["trend-season"].season_for({"period": 7}) == 7
    assert SERIES["airline"].season_for({}) == 12


# ---- column_of ------------------------------------------------------------------------

CSV = "month,passengers\n" + "".join(f"2000-{m:02d},{100 + m}\n" for m in range(1, 13))


@pytest.mark.parametrize("column", ["passengers", 1])
def test_column_of_reads_a_column_by_name_or_index(column):
    values = column_of(CSV, column, "data.csv", "data.column")
    assert values.dtype == np.float64 and values.tolist() == [100.0 + m for m in range(1, 13)]


@pytest.mark.parametrize(
    ("csv_text", "column", "path", "message"),
    [
        (CSV, "month", "data.csv", "line 2, column 'month': '2000-01' is not a number"),
        (CSV.replace("106", "x"), 1, "data.csv", "line 7, column 'passengers': 'x'"),
        (CSV.replace("106", ""), 1, "data.csv", "line 7, column 'passengers': the cell"),
        (CSV, "pasengers", "data.column", "no column named 'pasengers'; the columns are "),
        (CSV, 2, "data.column", "index 2 is out of range; the columns are 0 'month', 1 "),
        (CSV, True, "data.column", "must be a column name or 0-based index"),
        (CSV.replace("2000-05,105", "2000-05"), 1, "data.csv", "line 6 has 1 values"),
        ("1\n2\n3\n", 0, "data.csv", "line 1 holds numbers; the first line must name"),
        ("v\n1\n2\n3\n", "v", "data.csv", "has 3 values in column 'v'; a series needs"),
        ("", 0, "data.csv", "is empty"),
        (b"v\n1", 0, "data.csv", "must be CSV text"),
    ],
)
def test_column_of_names_the_line_column_and_choices_in_its_errors(csv_text, column, path, message):
    with pytest.raises(SpecError) as caught:
        column_of(csv_text, column, "data.csv", "data.column")
    assert caught.value.path == path
    assert message in caught.value.message


# ---- windows --------------------------------------------------------------------------


def test_windows_inputs_precede_targets_and_the_starts_say_where():
    series = np.arange(100, dtype=np.float64)
    out = windows(series, 5, 3, 0.2, "data")
    mean, std = out["mean"], out["std"]

    def restore(a):
        return a * std + mean

    assert out["split"] == 80
    for X, y, starts in [
        (out["X_train"], out["y_train"], out["train_starts"]),
        (out["X_test"], out["y_test"], out["test_starts"]),
    ]:
        assert X.shape == (len(starts), 5, 1) and y.shape == (len(starts), 3)
        assert X.dtype == y.dtype == np.float64
        assert np.allclose(restore(y[:, 0]), starts)  # the value is the index
        assert np.allclose(restore(X[:, :, 0]), starts[:, None] + np.arange(-5, 0))
        assert np.array_equal(np.diff(starts), np.ones(len(starts) - 1))  # stride 1


def test_windows_targets_never_cross_the_split():
    out = windows(np.arange(100, dtype=np.float64), 5, 3, 0.2, "data")
    split = out["split"]
    assert out["train_starts"].min() == 5 and out["train_starts"].max() + 3 <= split
    assert out["test_starts"].min() == split and out["test_starts"].max() + 3 == 100
    assert out["X_test"][0, -1, 0] < out["y_test"][0, 0]  # test inputs reach back


def test_windows_standardize_with_the_training_part_only():
    series = np.concatenate([rng().normal(3.0, 2.0, 80), np.full(20, 1000.0)])
    out = windows(series, 4, 2, 0.2, "data")
    assert out["mean"] == pytest.approx(series[:80].mean())
    assert out["std"] == pytest.approx(series[:80].std())
    assert np.allclose(out["y_test"], (1000.0 - out["mean"]) / out["std"])


def test_windows_of_a_constant_series_have_std_one():
    out = windows(np.full(50, 7.0), 4, 2, 0.2, "data")
    assert out["std"] == 1.0 and out["mean"] == 7.0 and not out["X_train"].any()


def test_windows_with_nothing_held_out_have_empty_test_arrays():
    out = windows(np.arange(30.0), 4, 2, 0.0, "data")
    assert out["split"] == 30 and out["X_test"].shape == (0, 4, 1)
    assert out["y_test"].shape == (0, 2) and len(out["test_starts"]) == 0


@pytest.mark.parametrize(
    ("n", "input_length", "horizon", "message"),
    [
        (20, 15, 2, "the training part (80% of 20 points: 16) is shorter than one window"),
        (40, 4, 10, "the test part (20% of 40 points: 8) is shorter than the horizon 10"),
    ],
)
def test_windows_say_which_part_is_too_short(n, input_length, horizon, message):
    with pytest.raises(SpecError) as caught:
        windows(np.arange(float(n)), input_length, horizon, 0.2, "data.params")
    assert caught.value.path == "data.params" and message in caught.value.message


# ---- seasonal naive and MASE ----------------------------------------------------------


def test_seasonal_naive_repeats_the_last_season_before_start():
    series = np.array([1.0, 2.0, 3.0, 10.0, 20.0, 30.0, 0.0, 0.0])
    assert seasonal_naive(series, 3, 6, 5).tolist() == [10.0, 20.0, 30.0, 10.0, 20.0]
    assert seasonal_naive(series, 1, 4, 2).tolist() == [10.0, 10.0]
    both = seasonal_naive(series, 3, np.array([3, 6]), 2)
    assert both.tolist() == [[1.0, 2.0], [10.0, 20.0]]
    with pytest.raises(ValueError, match="at least season"):
        seasonal_naive(series, 3, 2, 1)


def test_mase_against_a_hand_computed_case():
    train = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    # season 2: |2 - 1| + |5 - 3| + |4 - 2| = 5 over 3 differences, scale 5/3
    truth, forecast = np.array([6.0, 8.0]), np.array([7.0, 5.0])  # errors 1 and 3: MAE 2
    assert mase(forecast, truth, train, 2) == pytest.approx(2 / (5 / 3))
    # season 1: |2| + |1| + |3| + |1| = 7 over 4, scale 7/4
    assert mase(forecast, truth, train, 1) == pytest.approx(2 / (7 / 4))


def test_mase_of_the_seasonal_naive_forecast_on_a_pure_season_is_zero():
    series = sine_mixture(rng(), 480, 0.0)
    forecast = seasonal_naive(series, 48, 400, 48)
    assert mase(forecast, series[400:448], series[:400] + rng().normal(0, 0.1, 400), 48) < 1e-9


def test_mase_refuses_a_training_part_it_cannot_scale_by():
    with pytest.raises(ValueError, match="more than season"):
        mase(np.zeros(2), np.zeros(2), np.zeros(3), 3)
    with pytest.raises(ValueError, match="undefined"):
        mase(np.zeros(2), np.zeros(2), np.ones(6), 2)


def test_relative_windows_are_log_ratios_to_the_last_input_and_map_back():
    from engine.data.series import Scaling

    series = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0])
    w = windows(series, 3, 2, 0.25, relative=True)
    # every training target is a doubling or two of the last input: log 2 and log 4
    ratios = np.log(np.array([2.0, 4.0]))
    assert w["mean"] == 0.0 and w["std"] == pytest.approx(np.std(ratios))
    np.testing.assert_allclose(w["y_train"][0], ratios / w["std"])
    np.testing.assert_allclose(w["X_train"][0, :, 0], np.log([0.25, 0.5, 1.0]) / w["std"])
    scaling = Scaling(w["mean"], w["std"], True)
    raw_in = series[w["test_starts"][:, None] + np.arange(-3, 0)]
    np.testing.assert_allclose(
        scaling.values(raw_in, w["y_test"]), series[w["test_starts"][:, None] + np.arange(2)]
    )
    with pytest.raises(SpecError, match="positive"):
        windows(series - 5.0, 3, 2, 0.25, relative=True)
