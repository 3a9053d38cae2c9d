"""A GAN's history, and its two regularizers seen as the one the host reads.

Per step (a round, or a step of one network alone): d_loss, g_loss, d_real (the mean
D(x) over the real batch) and d_fake (the mean D(G(z)) over the generated one), as
measured on that step's batches before its updates. D(x) is the discriminator's
probability (σ of its logit) for the log losses and its output as it is for
least_squares. A step of D alone reports the generator's loss on D's batch of fakes;
a step of G alone measures no real batch, so its d_loss and d_real are NaN (null).

Per epoch (a pass of the discriminator over the real data), for 2-D data: kl and js
(engine.gan_metrics, on a grid), and for data made of Gaussian modes, modes (the
number covered) and high_quality (the share of points within 3σ of a mode); NaN
where they do not apply.
"""

import math

import numpy as np

from ..history import Series

STEP_COLUMNS = ("d_loss", "g_loss", "d_real", "d_fake")
EPOCH_COLUMNS = ("kl", "js", "modes", "high_quality")
NONE4 = (math.nan,) * 4


class GanLog:
    def __init__(self):
        self.step_history = Series(STEP_COLUMNS)
        self.epoch_history = Series(EPOCH_COLUMNS)
        self.last_step = NONE4
        self.last_epoch = NONE4
        self.last_batch_loss = math.nan  # the host's column; a GAN has two losses instead

    def add_step(self, step: int, row: tuple) -> None:
        self.step_history.append(step, row)
        self.last_step = row

    def end_epoch(self, epoch: int, row: tuple) -> None:
        self.epoch_history.append(epoch, row)
        self.last_epoch = row

    def latest(self) -> dict:
        return {
            **dict(zip(STEP_COLUMNS, self.last_step)),
            **dict(zip(EPOCH_COLUMNS, self.last_epoch)),
        }

    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        meta = {
            "last_step": [_finite_or_none(x) for x in self.last_step],
            "last_epoch": [_finite_or_none(x) for x in self.last_epoch],
        }
        arrays = {}
        for name, series in (("step", self.step_history), ("epoch", self.epoch_history)):
            arrays.update({f"hist.{name}.{k}": a for k, a in series.state().items()})
        return meta, arrays

    def load_state(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        self.last_step = tuple(math.nan if x is None else float(x) for x in meta["last_step"])
        self.last_epoch = tuple(math.nan if x is None else float(x) for x in meta["last_epoch"])
        for name, series in (("step", self.step_history), ("epoch", self.epoch_history)):
            prefix = f"hist.{name}."
            series.load_state(
                {k[len(prefix) :]: a for k, a in arrays.items() if k.startswith(prefix)}
            )


class BothRegularizers:
    """The generator's and the discriminator's regularizers, as the host sees one: a
    change of the spec's regularization applies to both; the penalty is their sum."""

    def __init__(self, *regularizers):
        self.parts = regularizers

    def set(self, spec: dict) -> None:
        for part in self.parts:
            part.set(spec)

    def penalty(self) -> float:
        return sum(part.penalty() for part in self.parts)


def _finite_or_none(x: float):
    return x if math.isfinite(x) else None
