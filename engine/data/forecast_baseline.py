"""The seasonal-naive forecast and the MASE score that compares a forecast with it."""

import numpy as np

from ..validate import integer


def seasonal_naive(
    series: np.ndarray, season: int, start: int | np.ndarray, horizon: int
) -> np.ndarray:
    """Forecast series[start : start + horizon] by repeating its last observed season:
    step h is series[start − season + h mod season] (Hyndman's snaive).

    `start` may be one index, giving (horizon,), or an array of them (windows' t),
    giving (len(start), horizon). Every start must be at least `season`.
    """
    integer(season, "season", low=1)
    integer(horizon, "horizon", low=1)
    starts = np.asarray(start)
    if starts.size and starts.min() < season:
        raise ValueError(f"start must be at least season={season}, received {starts.min()}")
    return np.asarray(series, dtype=np.float64)[
        starts[..., None] - season + np.arange(horizon) % season
    ]


def mase(forecast: np.ndarray, truth: np.ndarray, train: np.ndarray, season: int) -> float:
    """Mean absolute scaled error (Hyndman & Koehler 2006): the forecast's mean absolute
    error over the in-sample mean absolute error of the seasonal-naive forecast on
    `train`, mean |train[t] − train[t − season]|. Below 1 beats that naive forecast."""
    train = np.asarray(train, dtype=np.float64)
    integer(season, "season", low=1)
    if len(train) <= season:
        raise ValueError(f"train needs more than season={season} points, has {len(train)}")
    scale = np.mean(np.abs(train[season:] - train[:-season]))
    if scale == 0:
        raise ValueError("MASE is undefined: the seasonal-naive forecast fits train exactly")
    error = np.mean(np.abs(np.asarray(forecast, np.float64) - np.asarray(truth, np.float64)))
    return float(error / scale)
