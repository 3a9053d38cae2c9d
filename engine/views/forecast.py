"""The forecast view of a series model: one-step and free-running forecasts along the
series, scored with MASE against the seasonal-naive forecast."""

import math

import numpy as np

from ..data import forecast_baseline
from ..data.sequential import scaling_of
from .base import View


def forecast(s) -> dict:
    """One-step predictions along the whole series, the free-running forecast over the
    held-out part (each prediction fed back as input), and MASE of the model's
    horizon-step forecasts on the test windows against the seasonal-naive forecast."""
    info, model = s.data.series, s.model
    values, split = info["values"], info["split"]
    scaling = scaling_of(info)
    length, horizon, season = info["input_length"], info["horizon"], info["season"]
    starts = np.arange(length, len(values) - horizon + 1)
    raw = values[starts[:, None] + np.arange(-length, 0)]
    with np.errstate(all="ignore"):
        outputs = s.objective.predict(scaling.inputs(raw).astype(s.dtype))
        predicted = scaling.values(raw, outputs.reshape(len(starts), -1))
        free = []
        context = values[split - length : split][None].copy()
        while len(free) < len(values) - split:
            out = model.forward(scaling.inputs(context).astype(s.dtype)).reshape(1, -1)
            step = scaling.values(context, out.astype(np.float64))
            free.extend(step[0].tolist())
            context = np.concatenate([context, step], axis=1)[:, -length:]
    free = np.asarray(free[: len(values) - split])
    test = starts >= split
    test_starts = starts[test]
    metrics = {"mase": None, "naive_mase": None}
    if len(test_starts) and split > season:
        truth = values[test_starts[:, None] + np.arange(horizon)]
        train = values[:split]
        try:
            metrics["mase"] = forecast_baseline.mase(predicted[test], truth, train, season)
            naive = forecast_baseline.seasonal_naive(values, season, test_starts, horizon)
            metrics["naive_mase"] = forecast_baseline.mase(naive, truth, train, season)
        except ValueError:
            pass
    for key, x in metrics.items():
        if x is not None and not math.isfinite(x):
            metrics[key] = None
    return {
        "values": values,
        "split": split,
        "one_step": {"x": starts, "y": predicted[:, 0]},
        "free_run": {"x": np.arange(split, len(values)), "y": free},
        "horizon": horizon,
        "season": season,
        **metrics,
    }


def has_series(s) -> bool:
    return s.data.series is not None


VIEWS = [
    View(
        "forecast",
        "one-step and free-running forecasts along the series, with MASE against seasonal-naive",
        ("sequence",),
        (),
        forecast,
        fits=has_series,
    ),
]
