"""Univariate time series: generated and shipped series and the windows a forecaster
learns from (a column of a user's CSV: series_column; the seasonal-naive baseline and
MASE: forecast_baseline).

A series is split in time, never shuffled: the last test_fraction is held out, and the
model is scored on forecasting it from what came before, as it would be used.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np

from ..errors import SpecError
from ..validate import integer, number
from .series_column import column_of

SINE_PERIODS = (48.0, 16.0, 12.0)  # all divide 48: the mixture repeats every 48 steps
SINE_AMPLITUDES = (1.0, 0.5, 0.3)
TREND_PER_STEP = 0.01


def sine_mixture(rng: np.random.Generator, n_points: int = 1000, noise: float = 0.1) -> np.ndarray:
    """(n_points,) float64: sines of periods 48, 16 and 12 steps (amplitudes 1, 0.5,
    0.3, random phases) plus Gaussian noise of std `noise`. Season: 48."""
    integer(n_points, "n_points", low=1)
    number(noise, "noise", low=0.0)
    t = np.arange(n_points, dtype=np.float64)
    phases = rng.uniform(0.0, 2 * np.pi, size=len(SINE_PERIODS))
    series = sum(
        a * np.sin(2 * np.pi * t / p + phase)
        for a, p, phase in zip(SINE_AMPLITUDES, SINE_PERIODS, phases, strict=True)
    )
    return series + noise * rng.standard_normal(n_points)


def trend_season(
    rng: np.random.Generator, n_points: int = 500, noise: float = 0.2, period: int = 12
) -> np.ndarray:
    """(n_points,) float64: a trend rising 0.01 a step, plus a seasonal pattern of
    `period` steps (a first harmonic of amplitude 1 and a second of random amplitude
    0.3..0.7, random phases), plus Gaussian noise of std `noise`.

    The trend carries the held-out part above the training part's range: a model must
    extrapolate the level, not only repeat the season.
    """
    integer(n_points, "n_points", low=1)
    number(noise, "noise", low=0.0)
    integer(period, "period", low=2)
    t = np.arange(n_points, dtype=np.float64)
    phase1, phase2 = rng.uniform(0.0, 2 * np.pi, size=2)
    second = rng.uniform(0.3, 0.7)
    angle = 2 * np.pi * t / period
    season = np.sin(angle + phase1) + second * np.sin(2 * angle + phase2)
    return TREND_PER_STEP * t + season + noise * rng.standard_normal(n_points)


@dataclass(frozen=True)
class Scaling:
    """How a window's values become the model's numbers, and its outputs values again.

    Standard: (v − mean) / std with the training part's mean and std. Relative: each
    window as log ratios to its last input, log(v / v_last) / std, with std that of the
    training targets' log ratios: a series that grows past its training range (the
    airline passengers) then shows the model ratios it has seen, not levels it has not.
    """

    mean: float
    std: float
    relative: bool = False

    def inputs(self, raw: np.ndarray) -> np.ndarray:
        """(n, input_length) values -> (n, input_length, 1) model inputs."""
        if self.relative:
            z = np.log(raw)
            return ((z - z[:, -1:]) / self.std)[..., None]
        return ((raw - self.mean) / self.std)[..., None]

    def targets(self, raw_in: np.ndarray, raw_out: np.ndarray) -> np.ndarray:
        if self.relative:
            return (np.log(raw_out) - np.log(raw_in[:, -1:])) / self.std
        return (raw_out - self.mean) / self.std

    def values(self, raw_in: np.ndarray, outputs: np.ndarray) -> np.ndarray:
        """The model's outputs for windows `raw_in`, as the series' own values."""
        if self.relative:
            return np.exp(outputs * self.std + np.log(raw_in[:, -1:]))
        return outputs * self.std + self.mean


def windows(
    series: np.ndarray,
    input_length: int,
    horizon: int,
    test_fraction: float,
    path: str = "data",
    relative: bool = False,
) -> dict[str, Any]:
    """Forecasting windows at stride 1, standardized by the training part's statistics.

    The series (n,) is split at split = round(n · (1 − test_fraction)). A window whose
    first target is at index t has inputs series[t − input_length : t] and targets
    series[t : t + horizon]. Training windows' targets lie in [0, split); test windows'
    targets lie in [split, n), their inputs may reach back into the training part.

    Returns X_train (n_train, input_length, 1), y_train (n_train, horizon), X_test,
    y_test (float64, all as (value − mean) / std), mean and std of series[:split] (std 1
    for a constant part), split, and train_starts / test_starts (each window's t).
    SpecError at `path` when a part with a nonzero share has no whole window.
    """
    series = np.asarray(series, dtype=np.float64)
    if series.ndim != 1 or not np.isfinite(series).all():
        raise SpecError(path, f"the series must be 1-D finite numbers, shape {series.shape}")
    integer(input_length, "input_length", low=1)
    integer(horizon, "horizon", low=1)
    number(test_fraction, "test_fraction", low=0.0)
    if test_fraction >= 1:
        raise SpecError("test_fraction", f"must be below 1, received {test_fraction!r}")
    n = len(series)
    split = round(n * (1 - test_fraction))
    if split < input_length + horizon:
        raise SpecError(
            path,
            f"the training part ({1 - test_fraction:.0%} of {n} points: {split}) is shorter "
            f"than one window of input_length + horizon = {input_length + horizon} points",
        )
    if test_fraction > 0 and n - split < horizon:
        raise SpecError(
            path,
            f"the test part ({test_fraction:.0%} of {n} points: {n - split}) is shorter "
            f"than the horizon {horizon}; hold out more or forecast fewer steps",
        )
    train = series[:split]
    train_starts = np.arange(input_length, split - horizon + 1)
    test_starts = np.arange(split, n - horizon + 1) if test_fraction > 0 else np.arange(0)
    if relative:
        if series.min() <= 0:
            raise SpecError(
                path,
                "relative windows are log ratios and need positive values; this series "
                f"reaches {series.min():g}",
            )
        ratios = Scaling(0.0, 1.0, True).targets(*_raw(series, train_starts, input_length, horizon))
        mean, std = 0.0, float(ratios.std())
    else:
        mean, std = float(train.mean()), float(train.std())
    std = std if std > 0 else 1.0
    scaling = Scaling(mean, std, relative)
    X_train, y_train = _cut(scaling, series, train_starts, input_length, horizon)
    X_test, y_test = _cut(scaling, series, test_starts, input_length, horizon)
    return {
        "X_train": X_train,
        "y_train": y_train,
        "X_test": X_test,
        "y_test": y_test,
        "mean": mean,
        "std": std,
        "relative": relative,
        "split": split,
        "train_starts": train_starts,
        "test_starts": test_starts,
    }


def _raw(series, starts, input_length, horizon) -> tuple[np.ndarray, np.ndarray]:
    """Each window's input values (n, input_length) and target values (n, horizon)."""
    inputs = starts[:, None] + np.arange(-input_length, 0)
    targets = starts[:, None] + np.arange(horizon)
    return series[inputs], series[targets]


def _cut(scaling, series, starts, input_length, horizon) -> tuple[np.ndarray, np.ndarray]:
    raw_in, raw_out = _raw(series, starts, input_length, horizon)
    return scaling.inputs(raw_in), scaling.targets(raw_in, raw_out)


# ---- the shipped series and the table -------------------------------------------------

SUNSPOTS_FILE, SUNSPOTS_COLUMN = "sunspots.csv", "SUNACTIVITY"  # yearly, 1700..2008
AIRLINE_FILE, AIRLINE_COLUMN = "airline.csv", "passengers"  # monthly, 1949-01..1960-12


@cache
def load_file(name: str, column: str) -> np.ndarray:
    """A column of engine/data/files/`name`: a read-only (n,) float64 array."""
    text = resources.files(__package__).joinpath("files", name).read_text(encoding="utf-8")
    values = column_of(text, column, path=name)
    values.flags.writeable = False
    return values


def sunspots() -> np.ndarray:
    """Yearly mean sunspot numbers 1700..2008 (309 values; the cycle is about 11 years)."""
    return load_file(SUNSPOTS_FILE, SUNSPOTS_COLUMN)


def airline() -> np.ndarray:
    """Monthly international airline passengers 1949..1960 in thousands (144 values)."""
    return load_file(AIRLINE_FILE, AIRLINE_COLUMN)


@dataclass(frozen=True)
class SeriesInfo:
    """A built-in series. `params` maps each parameter to (type, default, low, high,
    description), the fields of engine.data.info.ParamInfo; input_length and
    horizon shape the windows, the rest go to `generator(rng, **params)`. The natural
    season is `season_param`'s value when set, else `season`."""

    name: str
    title: str
    description: str
    params: Mapping[str, tuple[str, int | float, int | float, int | float, str]]
    season: int
    generator: Callable[..., np.ndarray] = field(repr=False, compare=False)
    season_param: str | None = None
    default_test_fraction: float = 0.2

    def values(self, rng: np.random.Generator, params: Mapping[str, Any]) -> np.ndarray:
        """The series (n,) for resolved `params` (input_length and horizon ignored)."""
        own = {k: v for k, v in params.items() if k not in ("input_length", "horizon", "relative")}
        return self.generator(rng, **own)

    def season_for(self, params: Mapping[str, Any]) -> int:
        return int(params[self.season_param]) if self.season_param else self.season


def _windows(input_length: int, horizon: int, high: int = 200) -> dict[str, tuple]:
    return {
        "input_length": ("int", input_length, 1, high, "Past steps the model sees."),
        "horizon": ("int", horizon, 1, 50, "Steps ahead the model forecasts."),
        "relative": (
            "int",
            0,
            0,
            1,
            (
                "1: each window as log ratios to its last value, for a series that grows "
                "past its training range (positive values only); 0: standardized values."
            ),
        ),
    }


def _n_points(default: int) -> tuple:
    return ("int", default, 100, 20_000, "Length of the series.")


def _noise(default: float) -> tuple:
    return ("float", default, 0.0, 1.0, "Standard deviation of the Gaussian noise.")


_ALL = [
    SeriesInfo(
        "sine",
        "Sine mixture",
        "Three sines of periods 48, 16 and 12 steps with noise.",
        MappingProxyType({"n_points": _n_points(1000), "noise": _noise(0.1), **_windows(48, 12)}),
        season=48,
        generator=sine_mixture,
    ),
    SeriesInfo(
        "trend-season",
        "Trend and season",
        "A rising trend, a repeating season and noise: the test part lies above the "
        "training range.",
        MappingProxyType(
            {
                "n_points": _n_points(500),
                "noise": _noise(0.2),
                "period": ("int", 12, 2, 100, "Steps in one season."),
                **_windows(24, 12),
            }
        ),
        season=12,
        season_param="period",
        generator=trend_season,
    ),
    SeriesInfo(
        "sunspots",
        "Sunspots 1700-2008",
        "Yearly sunspot numbers: an 11-year cycle of changing height.",
        MappingProxyType(_windows(22, 11, high=100)),
        season=11,
        generator=lambda rng: sunspots(),
    ),
    SeriesInfo(
        "airline",
        "Airline passengers 1949-1960",
        "Box and Jenkins' monthly airline passengers: trend and a growing yearly season.",
        MappingProxyType(_windows(24, 12, high=60)),
        season=12,
        generator=lambda rng: airline(),
    ),
]

SERIES: Mapping[str, SeriesInfo] = MappingProxyType({info.name: info for info in _ALL})
