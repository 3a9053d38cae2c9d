"""Supervised training: inputs to targets, one mini-batch at a time.

The loop keeps every buffer it needs from step to step (the epoch's shuffled copy of
the data, the optimizer's backup, the training log's slots) so that a step of a small
network is only its NumPy calls. A stack of trainable dense layers on 2-D inputs takes
`engine.plan`'s fast path; every other stack takes `Model.backprop`; both give the
same numbers.
"""

import copy
import math

import numpy as np

from .. import optimizers, regularization
from ..errors import SpecError
from ..model import Model
from ..plan import DensePlan, plan_applies
from ..training_log import EPOCH_COLUMNS, TrainingLog

EVAL_BYTES = 32 << 20
"""Activation memory one evaluation pass may take (conv stacks are measured in chunks)."""


class Supervised:
    name = "supervised"
    parts = ("round",)  # a step is one mini-batch; only a GAN steps parts of itself
    batches_per_step = 1

    def __init__(self, spec: dict, data, loss, dtype, init_rng):
        self.spec, self.data, self.loss, self.dtype = spec, data, loss, dtype
        self.model = Model(spec["model"]["layers"], data.X_train.shape[1:], dtype)
        check_output_fits(self.model, data)
        self.model.initialize(init_rng, spec["init_order"])
        self.optimizer = optimizers.build_optimizer(
            spec["optimizer"], self.model.params, self.model.grads
        )
        self.regularizer = regularization.Regularizer(
            spec["regularization"], self.model.params, self.model.grads, self.model.weight_mask
        )
        # A dense first layer reads its inputs with a ones column appended (the bias
        # folded into its matrix product); keep the training inputs that way, and the
        # plain inputs as a view of them rather than a second copy.
        X = data.X_train
        self.augment = self.model.wants_augmented_input and X.ndim == 2
        if self.augment:
            self.train_X = np.ones((len(X), X.shape[1] + 1), dtype)
            self.train_X[:, :-1] = X
            data.X_train = self.train_X[:, :-1]
        else:
            self.train_X = X
        self._order_buf_X = np.empty_like(self.train_X)
        self._order_buf_y = np.empty_like(data.y_train)
        self._backup = np.empty_like(self.model.params)
        self._backup_buffers = np.empty_like(self.model.buffers)
        self.train_classes = classes_of(data.y_train)
        self.test_classes = classes_of(data.y_test)
        self._order_classes = np.empty_like(self.train_classes)
        self.fused = self.model.fused(loss)
        # per batch size, the training step with its buffers bound (see engine.plan)
        self._plans: dict[int, DensePlan] | None = (
            {} if (self.augment and plan_applies(self.model)) else None
        )
        self.input_noise = 0.0  # std of Gaussian noise added to training inputs
        self._noised: np.ndarray | None = None
        self.clear_progress()

    @property
    def n_train(self) -> int:
        return len(self.data.X_train)

    @property
    def networks(self) -> Model:
        """What weights by layer reach: the model itself."""
        return self.model

    def latest(self) -> dict:
        """The last finished epoch's losses and accuracies."""
        return dict(zip(EPOCH_COLUMNS, self.log.last_epoch))

    def apply_spec(self, new: dict) -> None:
        """Live changes: the optimizer's hyperparameters (a new type starts afresh) and
        the regularization; batch size, epochs and shuffle are read at every step."""
        if new["optimizer"]["type"] != self.spec["optimizer"]["type"]:
            self.rebuild_optimizer(new["optimizer"])
        else:
            self.optimizer.set(**{k: x for k, x in new["optimizer"].items() if k != "type"})
        self.regularizer.set(new["regularization"])
        self.spec = new

    def twin(self, spare: Model | None) -> "Supervised":
        """A copy for inference beside training, with a model of its own holding the
        weights as they are now (`spare`: an earlier twin's model, reused warm)."""
        model = spare or Model(self.spec["model"]["layers"], self.model.input_shape, self.dtype)
        for name in ("params", "frozen", "buffers"):
            np.copyto(getattr(model, name), getattr(self.model, name))
        twin = copy.copy(self)
        twin.model = model
        return twin

    def twin_models(self) -> Model:
        return self.model

    def clear_progress(self) -> None:
        self.cursor = 0
        self.order = None  # this epoch's permutation, None when not shuffled
        self._epoch_X, self._epoch_y = self.train_X, self.data.y_train
        self._epoch_classes = self.train_classes
        self.log = TrainingLog(
            self.loss,
            self.fused,
            self.n_train,
            self.model.output_shape,
            self.dtype,
            self.data.task == "classification",
        )

    def rebuild_optimizer(self, spec: dict) -> None:
        self.optimizer = optimizers.build_optimizer(spec, self.model.params, self.model.grads)

    # -- training -----------------------------------------------------------------
    def train(
        self, s, max_steps: int | None, stop_epoch: int | None, batch: int, part: str = "round"
    ) -> None:
        """Train the host session `s` until `max_steps` or epoch `stop_epoch` (`part`:
        always "round", one mini-batch a step)."""
        limit = s.spec["epochs"]
        model, loss, optimizer, reg, log = (
            self.model,
            self.loss,
            self.optimizer,
            self.regularizer,
            self.log,
        )
        params, backup = model.params, self._backup
        buffers, backup_buffers = model.buffers, self._backup_buffers
        keep_buffers = buffers.size > 0
        n_train, shuffle = self.n_train, s.spec["data"]["shuffle"]
        fused, regularize = self.fused, reg.active
        augmented, plans, rng = self.augment, self._plans, s.dropout_rng
        noise = self.input_noise
        done = 0
        try:
            while max_steps is None or done < max_steps:
                if stop_epoch is not None and s.epoch >= stop_epoch:
                    break
                if self.cursor == 0:
                    if log.offsets and (shuffle or self.order is not None):
                        self.flush(s)  # the pending rows' order is about to be redrawn
                    self._start_epoch(s, shuffle)
                X, y = self._epoch_X, self._epoch_y
                start = self.cursor
                end = min(start + batch, n_train)
                if not log.room(end - start):
                    self.flush(s)
                into = log.slot(start, end - start)
                if keep_buffers:
                    np.copyto(backup_buffers, buffers)
                inputs = X[start:end] if not noise else self.noised(X[start:end], noise, rng)
                if plans is not None:
                    plan = plans.get(end - start)
                    if plan is None:
                        if len(plans) >= 4:  # batch sizes changed live: keep a few
                            plans.clear()
                        plan = plans[end - start] = DensePlan(model, end - start, loss, fused)
                    source = plan.run(inputs, y[start:end], into)
                else:
                    source = model.backprop(inputs, y[start:end], loss, fused, augmented, into, rng)
                if regularize:
                    reg.add_gradient()
                if not optimizer.step(backup):
                    np.copyto(params, backup)
                    if keep_buffers:
                        np.copyto(buffers, backup_buffers)
                    s.diverge()
                    return
                if source is not into:
                    into[...] = source
                log.add_step(end - start, optimizer.last_norm)
                done += 1
                s.step_count += 1
                self.cursor = end
                if end == n_train:
                    self._end_epoch(s)
                    if limit is not None and s.epoch >= limit:
                        s.status = "finished"
                        return
        finally:
            self.flush(s)

    def noised(self, x: np.ndarray, std: float, rng) -> np.ndarray:
        """x plus Gaussian noise of `std` (a scratch buffer), drawn from the session's
        training stream; a ones column (augmented inputs) is left as it is."""
        buf = self._noised
        if buf is None or buf.shape != x.shape:
            buf = self._noised = np.empty_like(x)
        width = x.shape[-1] - 1 if self.augment else x.shape[-1]
        draw = rng.standard_normal((*x.shape[:-1], width), dtype=x.dtype)
        np.copyto(buf, x)
        buf[..., :width] += std * draw
        return buf

    def _start_epoch(self, s, shuffle: bool) -> None:
        """Draw this epoch's order (a change of `shuffle` applies from the next epoch)."""
        self.order = None
        self._epoch_X, self._epoch_y = self.train_X, self.data.y_train
        self._epoch_classes = self.train_classes
        if shuffle:
            self.order = s.shuffle_rng.permutation(self.n_train)
            self.take_order()

    def take_order(self) -> None:
        # mode="clip": the order is a permutation, always in range, and NumPy buffers
        # `out` under the default mode="raise" (measured 2-3x slower here)
        order = self.order
        np.take(self.train_X, order, axis=0, out=self._order_buf_X, mode="clip")
        np.take(self.data.y_train, order, axis=0, out=self._order_buf_y, mode="clip")
        np.take(self.train_classes, order, axis=0, out=self._order_classes, mode="clip")
        self._epoch_X, self._epoch_y = self._order_buf_X, self._order_buf_y
        self._epoch_classes = self._order_classes

    def flush(self, s) -> None:
        """Hand the training log the targets of the rows its pending steps trained."""
        log = self.log
        if not log.offsets:
            return
        first, rows, n = log.first_row, log.rows, self.n_train
        if first + rows <= n:  # within one epoch (always so when shuffled)
            targets = self._epoch_y[first : first + rows]
            classes = self._epoch_classes[first : first + rows]
        else:  # several unshuffled epochs: the rows cycle through the training set
            index = (first + np.arange(rows)) % n
            targets, classes = self.data.y_train[index], self.train_classes[index]
        log.flush(s.step_count - len(log.offsets) + 1, targets, classes)

    def _end_epoch(self, s) -> None:
        self.cursor = 0
        s.epoch += 1
        test_loss = test_acc = math.nan
        if len(self.data.X_test):
            test_loss, test_acc = self.measure(
                self.data.X_test, self.data.y_test, self.test_classes
            )
        self.log.end_epoch(s.epoch, test_loss, test_acc)

    # -- measuring ----------------------------------------------------------------
    def evaluate(self) -> dict:
        """Loss and accuracy on the whole train and test sets, with the current weights."""
        d = self.data
        with np.errstate(all="ignore"):
            train_loss, train_acc = self.measure(
                self.train_X, d.y_train, self.train_classes, augmented=self.augment
            )
            test_loss = test_acc = None
            if len(d.y_test):
                test_loss, test_acc = self.measure(d.X_test, d.y_test, self.test_classes)
        classification = d.task == "classification"
        return {
            "train_loss": train_loss,
            "test_loss": test_loss,
            "train_accuracy": train_acc if classification else None,
            "test_accuracy": test_acc if classification else None,
        }

    def measure(self, X, y, classes, augmented=False) -> tuple[float, float]:
        """(loss, accuracy) of the current weights on X; accuracy NaN for regression.

        A dense stack measures all rows in one pass (as it always has); other stacks in
        chunks whose activations stay within EVAL_BYTES, each chunk's loss weighted
        back into the mean the loss defines."""
        model, loss = self.model, self.loss
        classification = self.data.task == "classification"
        rows = self.eval_rows()
        if rows >= len(X):
            out = self.outputs(X, augmented)
            value = model.loss_value(out, y, loss)
            if not classification:
                return value, math.nan
            return value, count_correct(out, classes) / (len(out) * self.log.positions)
        total, correct = 0.0, 0
        for start in range(0, len(X), rows):
            out = self.outputs(X[start : start + rows], augmented)
            part = y[start : start + rows]
            total += model.loss_value(out, part, loss) * loss.count(out)
            if classification:
                correct += count_correct(out, classes[start : start + rows])
        value = total / loss.count(np.broadcast_to(0.0, (len(X), *model.output_shape)))
        return value, (correct / (len(X) * self.log.positions) if classification else math.nan)

    def eval_rows(self) -> int:
        """Rows a forward pass may take at once without its activations exceeding
        EVAL_BYTES (dense stacks: all of them)."""
        if self._plans is not None or self.augment:
            return 1 << 62
        per_row = sum(layer.output_bytes(self.dtype) for layer in self.model.layers)
        return max(1, EVAL_BYTES // max(per_row, 1))

    def outputs(self, X, augmented=False) -> np.ndarray:
        """Inference-mode outputs (a scratch buffer)."""
        if augmented:
            out = self.model.layers[0].forward(X, False, augmented=True)
            for layer in self.model.layers[1:]:
                out = layer.forward(out, False)
            return out
        return self.model.forward(X)

    def predict(self, X) -> np.ndarray:
        """Inference-mode outputs for any number of rows (a new array), in chunks."""
        rows = self.eval_rows()
        if rows >= len(X):
            return self.outputs(X).copy()
        return np.concatenate(
            [self.outputs(X[i : i + rows]).copy() for i in range(0, len(X), rows)]
        )

    # -- saving -------------------------------------------------------------------
    def state_dict(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(JSON-able meta, arrays); copies of what training changes in place."""
        log_meta, log_arrays = self.log.state()
        arrays = {
            f"layer.{i}.{name}": a.copy()
            for i, layer in enumerate(self.model.layers)
            for name, a in self.model.arrays_of(layer).items()
        }
        arrays.update({f"opt.{k}": a for k, a in self.optimizer.state_dict().items()})
        if self.order is not None:
            arrays["order"] = self.order
        arrays.update(log_arrays)
        return {"cursor": self.cursor, "log": log_meta}, arrays

    def load_state_dict(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        model = self.model
        model.set_weights(
            [
                {name: arrays[f"layer.{i}.{name}"] for name in model.arrays_of(layer)}
                for i, layer in enumerate(model.layers)
            ],
            "arrays",
        )
        self.optimizer.load_state_dict(
            {k[4:]: a for k, a in arrays.items() if k.startswith("opt.")}
        )
        self.cursor = int(meta["cursor"])
        self.log.load_state(meta["log"], arrays)
        if "order" in arrays:
            self.order = arrays["order"]
            self.take_order()


def check_output_fits(model: Model, data) -> None:
    """The model must give one target row per sample: an image through dense layers
    alone gives a row per pixel."""
    out, target = tuple(model.output_shape), tuple(data.y_train.shape[1:])
    if np.issubdtype(data.y_train.dtype, np.integer):  # sparse: a class index a prediction
        out = out[:-1]
    if out != target:
        hint = (
            " (add a flatten or global_avgpool2d layer before the dense layers)"
            if len(out) > len(target)
            else ""
        )
        raise SpecError(
            "model.layers",
            f"the model outputs shape {list(out)} per sample but "
            f"the targets have shape {list(target)}{hint}",
        )


def classes_of(y: np.ndarray) -> np.ndarray:
    """Class per row (or per time step): sparse targets are the classes; y >= 0.5 for
    one output unit; the argmax for one-hot rows."""
    if np.issubdtype(y.dtype, np.integer):
        return y
    if y.shape[-1] == 1:
        return y[:, 0] >= 0.5
    return y.argmax(axis=-1)


def count_correct(out: np.ndarray, classes: np.ndarray) -> int:
    if out.shape[-1] == 1:
        return int(np.count_nonzero((out[..., 0] >= 0.5) == classes))
    return int(np.count_nonzero(out.argmax(axis=-1) == classes))
