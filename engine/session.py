"""A training session: one model on one dataset, trained a mini-batch at a time and
open to inspection between any two steps.

Everything random comes from the spec's seed through separate streams (data, shuffling,
initialization), so the same spec gives bit-identical runs, `reset()` gives the same
initial weights and data every time, and changing one part never shifts another's draws.

History (bounded, see history.py): per step, the batch loss; per epoch, as Keras
reports it, the training loss and accuracy averaged over the epoch's batches as they
were trained (no extra pass over the data), and the test loss and accuracy with the
weights at the end of the epoch. `metrics(evaluate=True)` instead measures the whole
training and test sets with the current weights. Losses exclude the regularization
penalty.
"""

import copy
import math

import numpy as np

from . import dataset, optimizers, regularization
from . import spec as specs
from . import validate as v
from .errors import SpecError
from .inspection import Inspection
from .losses import get_loss
from .model import Model
from .plan import DensePlan, plan_applies
from .training_log import EPOCH_COLUMNS, TrainingLog


class Session(Inspection):
    def __init__(self, spec: dict, *, _data: dataset.Data | None = None):
        """Use `Session.from_spec`; `spec` here must already be normalized."""
        self.spec = spec
        self.dtype = np.dtype(spec["dtype"])
        self.loss = get_loss(spec["loss"])
        seeds = np.random.SeedSequence(spec["seed"]).spawn(3)
        data_rng = np.random.Generator(np.random.PCG64(seeds[0]))
        self._shuffle_rng = np.random.Generator(np.random.PCG64(seeds[1]))
        self._init_seed = seeds[2]
        last, units = _output_units(spec["model"]["layers"])
        self.data = _data or dataset.build(spec["data"], units, self.dtype, data_rng,
                                           units_path=f"model.layers[{last}].units")
        self.model = Model(spec["model"]["layers"], self.data.X_train.shape[1:], self.dtype)
        self.model.initialize(self._init_rng(), spec["init_order"])
        self.optimizer = optimizers.build_optimizer(
            spec["optimizer"], self.model.params, self.model.grads)
        self.regularizer = regularization.Regularizer(
            spec["regularization"], self.model.params, self.model.grads,
            self.model.weight_mask)
        # A dense first layer reads its inputs with a ones column appended (the bias
        # folded into its matrix product); keep the training inputs that way, and the
        # plain inputs as a view of them rather than a second copy.
        X = self.data.X_train
        self._augment = self.model.wants_augmented_input and X.ndim == 2
        if self._augment:
            self._train_X = np.ones((len(X), X.shape[1] + 1), self.dtype)
            self._train_X[:, :-1] = X
            self.data.X_train = self._train_X[:, :-1]
        else:
            self._train_X = X
        self._order_buf_X = np.empty_like(self._train_X)
        self._order_buf_y = np.empty_like(self.data.y_train)
        self._backup = np.empty_like(self.model.params)
        self._train_classes = _classes_of(self.data.y_train)
        self._test_classes = _classes_of(self.data.y_test)
        self._order_classes = np.empty_like(self._train_classes)
        self._fused = self.model.fused(self.loss)
        # per batch size, the training step with its buffers bound (see engine.plan)
        self._plans: dict[int, DensePlan] | None = {} if (
            self._augment and plan_applies(self.model)) else None
        dataset.check_loss_fits(self.loss, self.data)
        self._grids: dict[tuple, tuple] = {}
        self._shadows: dict[np.dtype, Model] = {}
        self._clear_progress()

    @classmethod
    def from_spec(cls, spec) -> "Session":
        """Validate `spec` (raising SpecError naming the bad field) and build a session."""
        return cls(specs.normalize(copy.deepcopy(spec)))

    def _init_rng(self):
        if self.spec["init_rng"] == "mt19937_legacy":
            return np.random.RandomState(self.spec["seed"])  # what np.random.seed(s) gives
        return np.random.Generator(np.random.PCG64(self._init_seed))

    def _clear_progress(self) -> None:
        self.step_count = 0
        self.epoch = 0
        self.status = "ready"
        self._cursor = 0
        self._order = None  # this epoch's permutation, None when not shuffled
        self._epoch_X, self._epoch_y = self._train_X, self.data.y_train
        self._epoch_classes = self._train_classes
        self.log = TrainingLog(self.loss, self._fused, self.n_train, self.data.y_train.shape[-1],
                               self.dtype, self.data.task == "classification")
        self._evaluated_at = -1
        self._latest = {}

    @property
    def step_history(self):
        return self.log.step_history

    @property
    def epoch_history(self):
        return self.log.epoch_history

    @property
    def n_train(self) -> int:
        return len(self.data.X_train)

    @property
    def batch_size(self) -> int:
        size = self.spec["batch_size"]
        return self.n_train if size == "full" else min(size, self.n_train)

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.n_train // self.batch_size)

    @property
    def steps_within_epoch(self) -> int:
        """Steps that can run now without starting or ending an epoch (no shuffle, no
        evaluation on all data): each costs one mini-batch and nothing more."""
        if self._cursor == 0:
            return 0
        return -(-(self.n_train - self._cursor) // self.batch_size) - 1

    # -- training -----------------------------------------------------------------
    def step(self, steps: int | None = None, epochs: int | None = None) -> dict:
        """Train `steps` mini-batches, or until `epochs` more epochs have ended.

        Stops early when training diverges (status "diverged", the weights from before
        the failing step kept) or reaches the spec's `epochs` (status "finished").
        Returns the latest metrics.
        """
        if (steps is None) == (epochs is None):
            raise SpecError("steps", "give exactly one of steps and epochs")
        if steps is not None:
            v.integer(steps, "steps", low=0, high=10**9)
        else:
            v.integer(epochs, "epochs", low=0, high=10**9)
        with np.errstate(all="ignore"):
            if steps is not None:
                self._train(max_steps=steps, stop_epoch=None)
            else:
                self._train(max_steps=None, stop_epoch=self.epoch + epochs)
        return self.metrics()

    def _train(self, max_steps: int | None, stop_epoch: int | None) -> None:
        if self.status in ("diverged", "finished"):
            return
        limit = self.spec["epochs"]
        if limit is not None and self.epoch >= limit:
            self.status = "finished"
            return
        model, loss, optimizer, reg, log = (self.model, self.loss, self.optimizer,
                                            self.regularizer, self.log)
        params, backup, frozen = model.params, self._backup, model.frozen_slices()
        saved_frozen = [params[s].copy() for s in frozen]
        n_train, shuffle = self.n_train, self.spec["data"]["shuffle"]
        batch, fused, regularize = self.batch_size, self._fused, reg.active
        augmented, plans = self._augment, self._plans
        done = 0
        try:
            while max_steps is None or done < max_steps:
                if stop_epoch is not None and self.epoch >= stop_epoch:
                    break
                if self._cursor == 0:
                    if log.offsets and (shuffle or self._order is not None):
                        self._flush()  # the pending rows' order is about to be redrawn
                    self._start_epoch(shuffle)
                X, y = self._epoch_X, self._epoch_y
                start = self._cursor
                end = start + batch
                end = min(end, n_train)
                if not log.room(end - start):
                    self._flush()
                into = log.slot(start, end - start)
                if plans is not None:
                    plan = plans.get(end - start)
                    if plan is None:
                        if len(plans) >= 4:  # batch sizes changed live: keep a few
                            plans.clear()
                        plan = plans[end - start] = DensePlan(model, end - start, loss, fused)
                    source = plan.run(X[start:end], y[start:end], into)
                else:
                    source = model.backprop(X[start:end], y[start:end], loss, fused,
                                            augmented, into)
                if regularize:
                    reg.add_gradient()
                finite = optimizer.step(backup)
                for where, kept in zip(frozen, saved_frozen):
                    params[where] = kept
                if not finite:
                    np.copyto(params, backup)
                    self._diverge()
                    return
                if source is not into:
                    into[...] = source
                log.add_step(end - start)
                done += 1
                self.step_count += 1
                self._cursor = end
                if end == n_train:
                    self._end_epoch()
                    if limit is not None and self.epoch >= limit:
                        self.status = "finished"
                        return
        finally:
            self._flush()

    def _start_epoch(self, shuffle: bool) -> None:
        """Draw this epoch's order (a change of `shuffle` applies from the next epoch)."""
        self._order = None
        self._epoch_X, self._epoch_y = self._train_X, self.data.y_train
        self._epoch_classes = self._train_classes
        if shuffle:
            self._order = self._shuffle_rng.permutation(self.n_train)
            self._take_order()

    def _take_order(self) -> None:
        # mode="clip": the order is a permutation, always in range, and NumPy buffers
        # `out` under the default mode="raise" (measured 2-3x slower here)
        order = self._order
        np.take(self._train_X, order, axis=0, out=self._order_buf_X, mode="clip")
        np.take(self.data.y_train, order, axis=0, out=self._order_buf_y, mode="clip")
        np.take(self._train_classes, order, out=self._order_classes, mode="clip")
        self._epoch_X, self._epoch_y = self._order_buf_X, self._order_buf_y
        self._epoch_classes = self._order_classes

    def _flush(self) -> None:
        """Hand the training log the targets of the rows its pending steps trained."""
        log = self.log
        if not log.offsets:
            return
        first, rows, n = log.first_row, log.rows, self.n_train
        if first + rows <= n:  # within one epoch (always so when shuffled)
            targets = self._epoch_y[first:first + rows]
            classes = self._epoch_classes[first:first + rows]
        else:  # several unshuffled epochs: the rows cycle through the training set
            index = (first + np.arange(rows)) % n
            targets, classes = self.data.y_train[index], self._train_classes[index]
        log.flush(self.step_count - len(log.offsets) + 1, targets, classes)

    def _end_epoch(self) -> None:
        self._cursor = 0
        self.epoch += 1
        test_loss = test_acc = math.nan
        if len(self.data.X_test):
            test_loss, test_acc = self._test_metrics()
        self.log.end_epoch(self.epoch, test_loss, test_acc)

    def _test_metrics(self) -> tuple[float, float]:
        d = self.data
        return self._measure(d.X_test, d.y_test, self._test_classes)

    def _diverge(self) -> None:
        """Keep the last finite weights; the optimizer's state saw the bad step, so the
        optimizer starts afresh (step count, moments and accumulators)."""
        self.status = "diverged"
        self.optimizer = optimizers.build_optimizer(
            self.spec["optimizer"], self.model.params, self.model.grads)
        self._evaluated_at = -1

    # -- metrics ------------------------------------------------------------------
    def _evaluate(self) -> dict:
        """Loss and accuracy on the whole train and test sets, with the current weights."""
        if self._evaluated_at == self.step_count and self._latest:
            return self._latest
        d = self.data
        with np.errstate(all="ignore"):
            train_loss, train_acc = self._measure(self._train_X, d.y_train, self._train_classes,
                                                  augmented=self._augment)
            test_loss = test_acc = None
            if len(d.y_test):
                test_loss, test_acc = self._measure(d.X_test, d.y_test, self._test_classes)
        classification = d.task == "classification"
        m = {"train_loss": train_loss, "test_loss": test_loss,
             "train_accuracy": train_acc if classification else None,
             "test_accuracy": test_acc if classification else None}
        self._latest = m
        self._evaluated_at = self.step_count
        return m

    def _measure(self, X, y, classes, augmented=False) -> tuple[float, float]:
        """(loss, accuracy) of the current weights on X; accuracy NaN for regression."""
        if augmented:
            out = self.model.layers[0].forward(X, False, augmented=True)
            for layer in self.model.layers[1:]:
                out = layer.forward(out, False)
        else:
            out = self.model.forward(X)
        value = self.model.loss_value(out, y, self.loss)
        if self.data.task != "classification":
            return value, math.nan
        return value, _count_correct(out, classes) / len(out)

    def metrics(self, evaluate: bool = False) -> dict:
        """The latest metrics: counters, status, the last batch's loss, and the losses
        and accuracies (None where they do not apply or are not finite).

        By default those are the last finished epoch's (what the history holds: cheap).
        With evaluate=True they are computed now on the whole training and test sets
        with the current weights (a forward pass over all the data).
        """
        if evaluate:
            m = self._evaluate()
        else:
            m = dict(zip(EPOCH_COLUMNS, self.log.last_epoch))
        batch = self.log.last_batch_loss
        return {"step": self.step_count, "epoch": self.epoch, "status": self.status,
                "batch_loss": batch if math.isfinite(batch) else None,
                **{k: (None if x is None or not math.isfinite(x) else x) for k, x in m.items()},
                "penalty": self.regularizer.penalty()}

    @property
    def history(self) -> dict:
        return {"step": self.step_history.to_dict(), "epoch": self.epoch_history.to_dict()}

    # -- live changes -------------------------------------------------------------
    def set(self, changes: dict) -> None:
        """Change hyperparameters between steps, keeping weights and optimizer state.

        Accepts `optimizer` (hyperparameters, or a new `type`, which starts fresh
        state), `regularization`, `batch_size`, `epochs` and `shuffle`. Validates
        everything before changing anything.
        """
        new = specs.apply_changes(self.spec, changes)
        self._apply(new)

    def _apply(self, new: dict) -> None:
        old_type = self.spec["optimizer"]["type"]
        if new["optimizer"]["type"] != old_type:
            self.optimizer = optimizers.build_optimizer(
                new["optimizer"], self.model.params, self.model.grads)
        else:
            hyper = {k: x for k, x in new["optimizer"].items() if k != "type"}
            self.optimizer.hyper = hyper
        self.regularizer.set(new["regularization"])
        self.spec = new
        if self.status == "finished" and (new["epochs"] is None or new["epochs"] > self.epoch):
            self.status = "ready"

    def reset(self) -> None:
        """Back to step 0: the same data and initial weights as the first time."""
        fresh = Session(self.spec)
        self.__dict__.update(fresh.__dict__)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        return self.model.get_weights()

    def set_weights(self, weights) -> None:
        self.model.set_weights(weights)
        self._evaluated_at = -1
        if self.status == "diverged":
            self.status = "ready"

    def save(self, path) -> None:
        """Save to the folder `path` (session.json + arrays.npz; no pickle)."""
        from .persist import save  # persist builds sessions, so it imports this module
        save(self, path)

    @staticmethod
    def load(path) -> "Session":
        """A session saved with `save`, ready to resume bit-identically."""
        from .persist import load
        return load(path)

    @property
    def n_params(self) -> int:
        return self.model.n_params

    def nbytes(self) -> int:
        """Bytes held in arrays, history excluded."""
        arrays = [self.model.params, self.model.grads, self._backup, self._train_X,
                  self.log.buffer,
                  self._order_buf_X, self._order_buf_y, *self.optimizer.state.values(),
                  self.optimizer._tmp, self.optimizer._tmp2, self.regularizer._tmp]
        d = self.data
        arrays += [d.y_train, d.X_test, d.y_test, d.points_train, d.points_test,
                   d.labels_train, d.labels_test]
        for model in (self.model, *self._shadows.values()):
            for layer in model.layers:
                for ws in layer._buffers.values():
                    arrays += [a for a in ws.values() if a.base is None]
        for _, grid in self._grids.values():
            arrays.append(grid)
        return sum(a.nbytes for a in arrays)


def _output_units(layers: list[dict]) -> tuple[int, int]:
    """(index, units) of the last layer that sets a width."""
    for index in range(len(layers) - 1, -1, -1):
        if "units" in layers[index]:
            return index, layers[index]["units"]
    raise SpecError("model.layers", "needs at least one dense layer")


def _classes_of(y: np.ndarray) -> np.ndarray:
    """Class per row: y >= 0.5 for one output unit, the argmax for one-hot rows."""
    if y.shape[-1] == 1:
        return y[:, 0] >= 0.5
    return y.argmax(axis=-1)


def _count_correct(out: np.ndarray, classes: np.ndarray) -> int:
    if out.shape[-1] == 1:
        return int(np.count_nonzero((out[:, 0] >= 0.5) == classes))
    return int(np.count_nonzero(out.argmax(axis=-1) == classes))




