"""Per-step and per-epoch training metrics, computed in bulk rather than per step.

Each training step leaves what its loss is computed from (the batch's logits, or its
outputs) in a pending buffer; `flush` then computes every pending step's batch loss,
the epochs' running sums and the histories with a handful of array operations. For a
tiny network a step is a few dozen NumPy calls, so computing its loss on the spot
would cost a third more; flushing per epoch, or every few hundred epochs when the data
is small and unshuffled, costs almost nothing.

The arithmetic does not depend on how steps were grouped into flushes: each batch's
loss is the sum over its own rows, and the running sums are added in step order.
"""

import math

import numpy as np

from .history import Series
from .losses import Loss

STEP_COLUMNS = ("batch_loss", "grad_norm")  # grad_norm: before any clipping
EPOCH_COLUMNS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
MIN_PENDING_ROWS = 4096
PENDING_BYTES = 16 << 20


class TrainingLog:
    def __init__(
        self,
        loss: Loss,
        fused: bool,
        n_train: int,
        output_shape: tuple[int, ...],
        dtype,
        classification: bool,
    ):
        self.loss, self.fused, self.n_train = loss, fused, n_train
        self.classification = classification
        # the loss's N and the predictions per sample (a sequence: one per time step)
        self.count_per_row = loss.count(np.broadcast_to(np.zeros((), dtype), (1, *output_shape)))
        self.positions = int(np.prod(output_shape[:-1], dtype=np.int64))
        self.step_history = Series(STEP_COLUMNS)
        self.epoch_history = Series(EPOCH_COLUMNS)
        self.last_batch_loss = math.nan
        self.last_epoch = (math.nan,) * len(EPOCH_COLUMNS)
        # running sums of the epoch in progress (over the steps flushed so far)
        self.epoch_loss, self.epoch_batches, self.epoch_correct = 0.0, 0, 0
        # an epoch's outputs when they are small; a text model's (every step's logits)
        # in pieces of PENDING_BYTES, flushed as often as they fill
        row_bytes = int(np.prod(output_shape, dtype=np.int64)) * np.dtype(dtype).itemsize
        rows = min(max(n_train, MIN_PENDING_ROWS), max(PENDING_BYTES // row_bytes, 1))
        self.buffer = np.empty((rows, *output_shape), dtype)
        self.clear_pending()

    def clear_pending(self) -> None:
        self.offsets: list[int] = []  # each pending step's first row in self.buffer
        self.norms: list[float] = []  # each pending step's gradient norm
        self.rows = 0  # rows of self.buffer in use
        self.first_row = 0  # row of the epoch order where the pending steps begin
        self.epoch_ends: list[tuple[int, int, float, float]] = []

    # -- while training -------------------------------------------------------------
    def room(self, rows: int) -> bool:
        return self.rows + rows <= len(self.buffer)

    def slot(self, start: int, rows: int) -> np.ndarray:
        """Where the step that trains epoch rows [start, start + rows) writes its source
        (call `room` first, and flush when there is none)."""
        if not self.offsets:
            self.first_row = start
            if rows > len(self.buffer):  # a batch larger than the buffer: grow it
                self.buffer = np.empty((rows, *self.buffer.shape[1:]), self.buffer.dtype)
        return self.buffer[self.rows : self.rows + rows]

    def add_step(self, rows: int, grad_norm: float) -> None:
        self.offsets.append(self.rows)
        self.norms.append(grad_norm)
        self.rows += rows

    def end_epoch(self, epoch: int, test_loss: float, test_acc: float) -> None:
        """The last added step ended `epoch`; its test metrics were measured just now."""
        self.epoch_ends.append((len(self.offsets), epoch, test_loss, test_acc))

    # -- flushing ---------------------------------------------------------------------
    def flush(self, first_step: int, targets: np.ndarray, classes: np.ndarray) -> None:
        """Compute everything pending. `targets` / `classes` are the pending rows'
        targets and class labels, in the order the steps trained them."""
        if not self.offsets:
            return
        loss, rows_used = self.loss, self.rows
        source = self.buffer[:rows_used]
        per_row = (
            loss.per_sample_from_logits(source, targets)
            if self.fused
            else loss.per_sample(source, targets)
        )
        sums = np.add.reduceat(per_row, self.offsets)
        offsets = self.offsets
        rows = np.array(
            [end - start for start, end in zip(offsets, [*offsets[1:], rows_used])]
            if len(offsets) < 64
            else np.diff(np.append(offsets, rows_used))
        )
        values = sums if loss.name == "sse" else sums / (rows * self.count_per_row)
        correct = None
        if self.classification:
            hits = _hits(source, classes, self.fused).reshape(rows_used, -1).sum(axis=1)
            correct = np.add.reduceat(hits, self.offsets).tolist()
        self._record(first_step, values.tolist(), self.norms, rows.tolist(), correct)
        self.clear_pending()

    def _record(self, first_step, values, norms, rows, correct) -> None:
        if len(values) < 8:  # a few points: append is cheaper than extend's set-up
            for k, value in enumerate(values):
                self.step_history.append(first_step + k, (value, norms[k]))
        else:
            self.step_history.extend(
                np.arange(first_step, first_step + len(values)), np.column_stack((values, norms))
            )
        ends = iter(self.epoch_ends)
        next_end = next(ends, None)
        sse = self.loss.name == "sse"
        for i, value in enumerate(values):
            self.epoch_loss += value if sse else value * rows[i]
            self.epoch_batches += 1
            if correct is not None:
                self.epoch_correct += correct[i]
            if next_end is not None and next_end[0] == i + 1:
                self._close_epoch(*next_end[1:])
                next_end = next(ends, None)
        self.last_batch_loss = values[-1]

    def _close_epoch(self, epoch: int, test_loss: float, test_acc: float) -> None:
        n = self.n_train
        # epoch_loss sums batch values weighted by their rows (sse: unweighted), so this
        # is the mean over samples (sse: the mean batch sum)
        train_loss = self.epoch_loss / (self.epoch_batches if self.loss.name == "sse" else n)
        train_acc = self.epoch_correct / (n * self.positions) if self.classification else math.nan
        self.last_epoch = (train_loss, test_loss, train_acc, test_acc)
        self.epoch_history.append(epoch, self.last_epoch)
        self.epoch_loss, self.epoch_batches, self.epoch_correct = 0.0, 0, 0

    # -- saving ---------------------------------------------------------------------------
    def state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON-able meta, arrays); only valid with nothing pending (after a flush)."""
        meta = {
            "epoch_sums": [
                _finite_or_none(self.epoch_loss),
                self.epoch_batches,
                self.epoch_correct,
            ],
            "last_epoch": [_finite_or_none(x) for x in self.last_epoch],
            "last_batch_loss": _finite_or_none(self.last_batch_loss),
        }
        arrays = {}
        for name, series in (("step", self.step_history), ("epoch", self.epoch_history)):
            arrays.update({f"hist.{name}.{k}": a for k, a in series.state().items()})
        return meta, arrays

    def load_state(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        loss, self.epoch_batches, self.epoch_correct = meta["epoch_sums"]
        self.epoch_loss = _nan_if_none(loss)
        self.last_epoch = tuple(_nan_if_none(x) for x in meta["last_epoch"])
        self.last_batch_loss = _nan_if_none(meta["last_batch_loss"])
        for name, series in (("step", self.step_history), ("epoch", self.epoch_history)):
            prefix = f"hist.{name}."
            series.load_state(
                {k[len(prefix) :]: a for k, a in arrays.items() if k.startswith(prefix)}
            )


def _hits(source: np.ndarray, classes: np.ndarray, fused: bool) -> np.ndarray:
    """1 where a prediction (a row, or a time step of a sequence) is right, from logits
    or outputs."""
    if source.shape[-1] == 1:
        # one unit: output >= 0.5, which for logits (sigmoid fused) is z >= 0
        predicted = source[..., 0] >= (0.0 if fused else 0.5)
    else:
        predicted = source.argmax(axis=-1)
    return (predicted == classes).astype(np.int64)


def _finite_or_none(x: float):
    return x if math.isfinite(x) else None


def _nan_if_none(x) -> float:
    return math.nan if x is None else float(x)
