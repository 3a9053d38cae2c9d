"""A seasonal series with anomalies injected into its held-out part, cut into windows:
the anomaly lab's series (an autoencoder trained on normal windows scores each window
by how badly it reconstructs it).

The series is two harmonics of a `period`-step season plus noise. In the held-out part
(the end, as for every series) `anomalies` anomalies are placed at random, each of one
kind: a spike (one point pushed 3 to 5 away), a level shift (one to two seasons raised
or lowered by 1.5 to 2.5) or a changed season (two seasons at twice the frequency). A
window's label is the kind of the first anomalous point in it, 0 for a normal window.
"""

import numpy as np

from ..errors import SpecError
from ..validate import integer, number

KINDS = ("normal", "spike", "level shift", "changed season")


def injected(rng, n_points: int, noise: float, period: int, anomalies: int, start: int):
    """(values (n_points,), the kind of each point (n_points,) int) with the anomalies
    at or after index `start`."""
    integer(n_points, "n_points", low=1)
    number(noise, "noise", low=0.0)
    t = np.arange(n_points, dtype=np.float64)
    phase = rng.uniform(0.0, 2 * np.pi)
    angle = 2 * np.pi * t / period
    values = np.sin(angle) + 0.5 * np.sin(2 * angle + phase) + noise * rng.standard_normal(n_points)
    kinds = np.zeros(n_points, dtype=np.int64)
    room = n_points - start - 2 * period
    for _ in range(anomalies if room > 0 else 0):
        kind = int(rng.integers(1, len(KINDS)))
        at = start + int(rng.integers(0, room))
        sign = rng.choice([-1.0, 1.0])
        if kind == 1:
            values[at] += sign * rng.uniform(3.0, 5.0)
            kinds[at] = kinds[at] or kind
            continue
        length = int(rng.integers(period, 2 * period + 1)) if kind == 2 else 2 * period
        where = slice(at, at + length)
        if kind == 2:
            values[where] += sign * rng.uniform(1.5, 2.5)
        else:
            faster = 2 * angle[where]
            values[where] = np.sin(faster) + 0.5 * np.sin(2 * faster + phase)
            values[where] += noise * rng.standard_normal(length)
        kinds[where] = np.where(kinds[where] == 0, kind, kinds[where])
    return values, kinds


def windows(values, kinds, length: int, test_fraction: float, path: str = "data"):
    """Windows of `length` at stride length // 2 from each part, standardized by the
    training part: (X_train (n, length, 1), labels_train (n, 1), X_test, labels_test)."""
    n = len(values)
    split = round(n * (1 - test_fraction))
    if split < length or n - split < length:
        raise SpecError(
            path,
            f"each part needs at least input_length = {length} points; the series has "
            f"{split} for training and {n - split} held out",
        )
    train = values[:split]
    mean, std = float(train.mean()), float(train.std()) or 1.0
    scaled = (values - mean) / std
    stride = max(length // 2, 1)
    out = []
    for first, last in ((0, split), (split, n)):
        starts = np.arange(first, last - length + 1, stride)
        index = starts[:, None] + np.arange(length)
        window_kinds = kinds[index]
        anomalous = window_kinds > 0
        label = np.where(
            anomalous.any(axis=1), window_kinds[np.arange(len(index)), anomalous.argmax(axis=1)], 0
        )
        out += [scaled[index][..., None], label[:, None].astype(np.float64)]
    return out[0], out[1], out[2], out[3]
