"""A training session: one model on one dataset, trained a mini-batch at a time and
open to inspection between any two steps.

Everything random comes from the spec's seed through separate streams (data, shuffling,
initialization, dropout), so the same spec gives bit-identical runs, `reset()` gives the same
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

from . import build_data, dataset
from . import spec as specs
from . import validate as v
from .errors import SpecError
from .inspection import Inspection
from .losses import get_loss
from .objectives import OBJECTIVES
from .state_format import FORMAT, READABLE_FORMATS, upgrade
from .state_of_data import data_from_state, data_state


class Session(Inspection):
    def __init__(self, spec: dict, *, _data: dataset.Data | None = None):
        """Use `Session.from_spec`; `spec` here must already be normalized."""
        self.spec = spec
        self.dtype = np.dtype(spec["dtype"])
        self.loss = get_loss(spec["loss"]) if "loss" in spec else None  # a GAN has gan_loss
        seeds = np.random.SeedSequence(spec["seed"]).spawn(5)
        data_rng = np.random.Generator(np.random.PCG64(seeds[0]))
        self.shuffle_rng = np.random.Generator(np.random.PCG64(seeds[1]))
        self._init_seed = seeds[2]
        self.dropout_rng = np.random.Generator(np.random.PCG64(seeds[3]))
        self.noise_rng = np.random.Generator(np.random.PCG64(seeds[4]))  # a GAN's noise
        # an autoencoder's targets are its inputs; a GAN's real samples are its data
        reconstruction = spec["objective"] in ("reconstruction", "adversarial")
        if _data is None:
            last, units = (0, 0) if reconstruction else _output_units(spec["model"]["layers"])
            _data = build_data.build(
                spec["data"],
                units,
                self.dtype,
                data_rng,
                units_path=f"model.layers[{last}].units",
                reconstruction=reconstruction,
            )
        self.data = _data
        objective = OBJECTIVES[spec["objective"]]
        self.objective = objective(spec, self.data, self.loss, self.dtype, self._init_rng())
        if self.loss is not None:
            build_data.check_loss_fits(self.loss, self.data)
        self._grids: dict[tuple, tuple] = {}
        self._shadows: dict[np.dtype, object] = {}
        self.weights_version = 0  # counts changes of the weights from outside training
        self.prediction_cache: dict = {}  # a split's outputs at a step (views read them)
        self._spare_twins: list = []  # models for `detached`, kept warm
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
        self.objective.clear_progress()
        self._evaluated_at = -1
        self._latest = {}

    # the objective's parts, which inspection and the server read
    @property
    def model(self):
        """The model (a GAN's generator: engine.objectives.adversarial)."""
        return self.objective.model

    @property
    def networks(self):
        """What weights by layer reach: the model, or a GAN's two networks as one list
        of layers named "generator.<name>" and "discriminator.<name>"."""
        return self.objective.networks

    @property
    def optimizer(self):
        return self.objective.optimizer

    @property
    def regularizer(self):
        return self.objective.regularizer

    @property
    def log(self):
        return self.objective.log

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
        """Steps (a GAN's rounds, of d_steps real batches each) in an epoch."""
        batches = -(-self.n_train // self.batch_size)
        return -(-batches // self.objective.batches_per_step)

    @property
    def steps_within_epoch(self) -> int:
        """Steps that can run now without starting or ending an epoch (no shuffle, no
        evaluation on all data): each costs one mini-batch and nothing more."""
        cursor = self.objective.cursor
        if cursor == 0:
            return 0
        batches = -(-(self.n_train - cursor) // self.batch_size) - 1
        return batches // self.objective.batches_per_step

    # -- training -----------------------------------------------------------------
    def step(
        self, steps: int | None = None, epochs: int | None = None, part: str | None = None
    ) -> dict:
        """Train `steps` mini-batches, or until `epochs` more epochs have ended.

        A GAN's step is a round by default; `part` "d" or "g" makes each step one step
        of the discriminator or of the generator alone (epochs need the discriminator:
        "g" takes steps only). Stops early when training diverges (status "diverged",
        the weights from before the failing step kept) or reaches the spec's `epochs`
        (status "finished"). Returns the latest metrics.
        """
        if (steps is None) == (epochs is None):
            raise SpecError("steps", "give exactly one of steps and epochs")
        if steps is not None:
            v.integer(steps, "steps", low=0, high=10**9)
        else:
            v.integer(epochs, "epochs", low=0, high=10**9)
        part = self._part(part, epochs)
        with np.errstate(all="ignore"):
            if steps is not None:
                self._train(max_steps=steps, stop_epoch=None, part=part)
            else:
                self._train(max_steps=None, stop_epoch=self.epoch + epochs, part=part)
        return self.metrics()

    def _part(self, part: str | None, epochs: int | None) -> str:
        parts = getattr(self.objective, "parts", ("round",))
        if part is None:
            return "round"
        if len(parts) == 1 and part != "round":
            raise SpecError("part", 'only a GAN ("objective": "adversarial") steps its parts')
        v.choice(part, "part", parts)
        if part == "g" and epochs is not None:
            raise SpecError(
                "part",
                "the generator alone never ends an epoch (one is a pass of the "
                "discriminator over the real data): give steps",
            )
        return part

    def _train(self, max_steps: int | None, stop_epoch: int | None, part: str = "round") -> None:
        if self.status in ("diverged", "finished"):
            return
        limit = self.spec["epochs"]
        if limit is not None and self.epoch >= limit:
            self.status = "finished"
            return
        self.objective.train(self, max_steps, stop_epoch, self.batch_size, part)

    def diverge(self) -> None:
        """Keep the last finite weights; the optimizer's state saw the bad step, so the
        optimizer (a GAN: both) starts afresh (step count, moments and accumulators)."""
        self.status = "diverged"
        self.objective.rebuild_optimizer(self.spec["optimizer"])
        self._evaluated_at = -1

    # -- metrics ------------------------------------------------------------------
    def _evaluate(self) -> dict:
        """Loss and accuracy on the whole train and test sets, with the current weights."""
        if self._evaluated_at == self.step_count and self._latest:
            return self._latest
        m = self._latest = self.objective.evaluate()
        self._evaluated_at = self.step_count
        return m

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
            m = self.objective.latest()
        batch = self.log.last_batch_loss
        return {
            "step": self.step_count,
            "epoch": self.epoch,
            "status": self.status,
            "batch_loss": batch if math.isfinite(batch) else None,
            **{k: (None if x is None or not math.isfinite(x) else x) for k, x in m.items()},
            "penalty": self.regularizer.penalty(),
        }

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
        self.objective.apply_spec(new)
        self.spec = new
        if self.status == "finished" and (new["epochs"] is None or new["epochs"] > self.epoch):
            self.status = "ready"

    def reset(self) -> None:
        """Back to step 0: the same data and initial weights as the first time."""
        fresh = Session(self.spec)
        self.__dict__.update(fresh.__dict__)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """Every layer's arrays by name (a GAN: the generator's layers, then the
        discriminator's)."""
        return self.networks.get_weights()

    def layer(self, key: str | int) -> tuple[int, object]:
        """(index in get_weights, layer) by name or index (SpecError at "layer")."""
        return self.networks.layer(key, "layer")

    def layers_summary(self) -> list[dict]:
        """One row a layer, as Keras's summary (a GAN: both networks')."""
        return self.networks.summary()

    def set_weights(self, weights) -> None:
        self.networks.set_weights(weights)
        self.weights_version += 1
        self._evaluated_at = -1
        if self.status == "diverged":
            self.status = "ready"

    # -- saving -----------------------------------------------------------------
    def state_dict(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(meta, arrays): a JSON-able dict and named arrays that together rebuild this
        session bit-identically (`Session.from_state`). Arrays that training changes in
        place are copies; the data arrays (never changed) are shared, so a caller may
        hand the result to another thread and train on."""
        self.objective.flush(self)
        objective_meta, arrays = self.objective.state_dict()
        data_meta, data = data_state(self.data)
        meta = {
            "format": FORMAT,
            "spec": self.spec,
            "step": self.step_count,
            "epoch": self.epoch,
            "status": self.status,
            "objective": objective_meta,
            "rngs": {
                "shuffle": self.shuffle_rng.bit_generator.state,
                "dropout": self.dropout_rng.bit_generator.state,
                "noise": self.noise_rng.bit_generator.state,
            },
            "data": data_meta,
        }
        return meta, {**data, **arrays}

    def load_state_dict(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        """Take the counters, weights, optimizer state, order and RNGs of `state_dict`."""
        self.objective.load_state_dict(meta.get("objective") or meta, arrays)
        self.step_count, self.epoch = int(meta["step"]), int(meta["epoch"])
        self.status = meta["status"]
        rngs = meta.get("rngs") or {"shuffle": meta["shuffle_rng"]}
        self.shuffle_rng.bit_generator.state = rngs["shuffle"]
        if "dropout" in rngs:
            self.dropout_rng.bit_generator.state = rngs["dropout"]
        if "noise" in rngs:
            self.noise_rng.bit_generator.state = rngs["noise"]
        self.weights_version += 1
        self._evaluated_at = -1

    @classmethod
    def from_state(cls, meta: dict, arrays: dict[str, np.ndarray]) -> "Session":
        if meta.get("format") not in READABLE_FORMATS:
            raise SpecError("format", f"not a saved session (format {meta.get('format')!r})")
        meta, arrays = upgrade(meta, arrays)
        data = data_from_state(meta["data"], arrays)
        s = cls(specs.normalize(meta["spec"]), _data=data)
        s.load_state_dict(meta, arrays)
        return s

    def set_layer_weights(self, layer: str | int, arrays: dict) -> None:
        """One layer's arrays, by the layer's name or index."""
        self.networks.set_layer_weights(layer, arrays, "weights")
        self.weights_version += 1
        self._evaluated_at = -1
        if self.status == "diverged":
            self.status = "ready"

    def save(self, path) -> None:
        """Save to the folder `path` (session.json + arrays.npz; no pickle)."""
        from .persist import save

        save(self, path)

    @staticmethod
    def load(path) -> "Session":
        """A session saved with `save`, ready to resume bit-identically."""
        from .persist import load

        return load(path)

    @property
    def n_params(self) -> int:
        return self.networks.n_params

    def nbytes(self) -> int:
        """Bytes held in arrays, history excluded."""
        o = self.objective
        if o.name == "adversarial":
            d = self.data
            arrays = [d.X_train, d.X_test, d.labels_train, d.labels_test]
            arrays += [grid for _, grid in self._grids.values()]
            for models in self._spare_twins:
                arrays += [a for m in models for a in (m.params, m.grads, m.buffers)]
            return o.nbytes() + sum(a.nbytes for a in arrays)
        arrays = [
            o.model.params,
            o.model.grads,
            o.model.frozen,
            o.model.buffers,
            o._backup,
            o.train_X,
            o.log.buffer,
            o._order_buf_X,
            o._order_buf_y,
            *o.optimizer.state.values(),
            o.optimizer._tmp,
            o.optimizer._tmp2,
            o.regularizer._tmp,
        ]
        d = self.data
        arrays += [
            d.y_train,
            d.X_test,
            d.y_test,
            d.points_train,
            d.points_test,
            d.labels_train,
            d.labels_test,
        ]
        for model in (self.model, *self._shadows.values(), *self._spare_twins):
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
