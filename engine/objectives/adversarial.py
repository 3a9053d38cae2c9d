"""GANs: a generator and a discriminator, each a Model with its own optimizer, trained
in turns on the session's real samples and its seeded noise stream.

A round is `d_steps` discriminator steps, then `g_steps` generator steps; a session
step is a round, or one step of one network (`part` "d" or "g", GAN Lab's step
buttons). A discriminator step takes the next mini-batch of real samples (an epoch is
one pass of the discriminator over the real data, reshuffled each epoch) and as many
fresh fakes, and updates D only. A generator step makes a batch of fakes, runs them
through the discriminator, takes the gradient at D's input (the discriminator's
backward) back through the generator, and updates G only. The network not being
trained keeps its batch-norm statistics as they were. Losses: gan_losses.

The host reads `model` (the generator: predict and activations take noise vectors),
`optimizer` (the generator's; `d_optimizer` is the discriminator's), `regularizer`
(both) and `networks` (both networks' layers, for weights by layer: networks.py).

Images whose generator ends in tanh are learned in the generator's range: the real
images x in [0, 1] are shown to the discriminator as 2x − 1, and a generated t is
the image (t + 1) / 2 (`to_data`).
"""

import numpy as np

from .. import optimizers, regularization
from ..data.distributions import mixture_of
from ..gan_spec import output_activation
from ..model import Model
from . import gan_losses as losses
from .gan_inspection import GanInspection
from .gan_log import NONE4, BothRegularizers, GanLog
from .networks import Networks

PARTS = ("round", "d", "g")
EVAL_SAMPLES = 2500  # generated points for the epoch metrics (PacGAN's count)
EVAL_STREAM = 5  # the SeedSequence child of the seed that draws the evaluation noise


class Adversarial(GanInspection):
    name = "adversarial"
    parts = PARTS

    def __init__(self, spec: dict, data, loss, dtype, init_rng):
        self.spec, self.data, self.dtype = spec, data, dtype
        self.noise_dim = spec["noise"]["dim"]
        self.generator = Model(
            spec["generator"]["layers"], (self.noise_dim,), dtype, "generator.layers"
        )
        self.discriminator = Model(
            spec["discriminator"]["layers"], data.X_train.shape[1:], dtype, "discriminator.layers"
        )
        G, D = self.generator, self.discriminator
        G.initialize(init_rng, spec["init_order"])
        D.initialize(init_rng, spec["init_order"])
        self.networks = Networks(generator=G, discriminator=D)
        self.g_regularizer = regularization.Regularizer(
            spec["regularization"], G.params, G.grads, G.weight_mask
        )
        self.d_regularizer = regularization.Regularizer(
            spec["regularization"], D.params, D.grads, D.weight_mask
        )
        self.regularizer = BothRegularizers(self.g_regularizer, self.d_regularizer)
        self.rebuild_optimizer()
        tanh_images = data.modality == "image" and output_activation(G.layers) == "tanh"
        self.offset, self.factor = (0.5, 0.5) if tanh_images else (0.0, 1.0)
        self.train_X = self.to_generator(data.X_train)
        self._order_buf = np.empty_like(self.train_X)
        self._backups = {id(m): (np.empty_like(m.params), np.empty_like(m.buffers)) for m in (G, D)}
        self._scratch: dict[tuple, np.ndarray] = {}
        plane = data.view is not None and data.X_train.shape[1:] == (2,)
        self.plane = tuple(data.view) if plane else None
        self.mixture = mixture_of(spec["data"]) if plane else None
        self._eval_noise = None
        self.clear_progress()

    # -- what the host reads ---------------------------------------------------------
    @property
    def model(self) -> Model:
        return self.generator

    @property
    def optimizer(self):
        return self.g_optimizer

    @property
    def n_train(self) -> int:
        return len(self.train_X)

    @property
    def batches_per_step(self) -> int:
        return self.spec["d_steps"]

    def latest(self) -> dict:
        return self.log.latest()

    def clear_progress(self) -> None:
        self.cursor = 0
        self.order = None
        self._epoch_X = self.train_X
        self._ended = 0  # epochs the discriminator finished in the step under way
        self.log = GanLog()

    def rebuild_optimizer(self, spec: dict | None = None) -> None:
        """Both optimizers afresh, from the spec's d_optimizer and g_optimizer."""
        G, D = self.generator, self.discriminator
        self.g_optimizer = optimizers.build_optimizer(self.spec["g_optimizer"], G.params, G.grads)
        self.d_optimizer = optimizers.build_optimizer(self.spec["d_optimizer"], D.params, D.grads)

    def apply_spec(self, new: dict) -> None:
        """Live changes: each optimizer's hyperparameters (a new type starts it afresh),
        the regularization, and the loss and steps (read at every step)."""
        old = self.spec
        for field, name in (("g_optimizer", "g_optimizer"), ("d_optimizer", "d_optimizer")):
            optimizer = getattr(self, name)
            if new[field]["type"] != old[field]["type"]:
                model = self.generator if field == "g_optimizer" else self.discriminator
                setattr(
                    self, name, optimizers.build_optimizer(new[field], model.params, model.grads)
                )
            else:
                optimizer.set(**{k: x for k, x in new[field].items() if k != "type"})
        self.regularizer.set(new["regularization"])
        self.spec = new

    # -- the generator's range and the noise ----------------------------------------
    def to_generator(self, X: np.ndarray) -> np.ndarray:
        """Samples as the discriminator sees them (the same array when unscaled)."""
        if self.factor == 1.0 and self.offset == 0.0:
            return X
        return ((X - self.offset) / self.factor).astype(self.dtype)

    def to_data(self, out: np.ndarray) -> np.ndarray:
        """The generator's outputs as samples of the data (a new array)."""
        return (out * self.factor + self.offset).astype(self.dtype)

    def draw_noise(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n noise vectors (a new array): uniform on [-1, 1] or standard normal."""
        if self.spec["noise"]["distribution"] == "normal":
            return rng.standard_normal((n, self.noise_dim), dtype=self.dtype)
        z = rng.random((n, self.noise_dim), dtype=self.dtype)
        z *= 2.0
        z -= 1.0
        return z

    def eval_noise(self) -> np.ndarray:
        """EVAL_SAMPLES noise vectors fixed for the session (the epoch metrics'), drawn
        from their own stream of the seed: measuring never moves training's streams."""
        if self._eval_noise is None:
            seed = np.random.SeedSequence(self.spec["seed"]).spawn(EVAL_STREAM + 1)[EVAL_STREAM]
            self._eval_noise = self.draw_noise(
                np.random.Generator(np.random.PCG64(seed)), EVAL_SAMPLES
            )
        return self._eval_noise

    def _buffer(self, key: str, shape: tuple) -> np.ndarray:
        buf = self._scratch.get((key, shape))
        if buf is None:
            if len(self._scratch) > 16:
                self._scratch.clear()
            buf = self._scratch[(key, shape)] = np.empty(shape, self.dtype)
        return buf

    # -- one network's loss and gradients ----------------------------------------------
    def _at_logit(self) -> bool:
        """Whether the log losses read D's logit before its last sigmoid (the last
        layer's z), so that the gradient enters there."""
        last = self.discriminator.layers[-1]
        return (
            self.spec["gan_loss"] in losses.LOGIT_LOSSES
            and getattr(last, "activation", None) == "sigmoid"
        )

    def _scores(self, out: np.ndarray) -> np.ndarray:
        """D's logits (log losses) or outputs (least squares) from its last forward, (n,)."""
        source = self.discriminator.layers[-1].z if self._at_logit() else out
        return source.reshape(len(source), -1)[:, 0]

    def d_gradients(self, real: np.ndarray, z: np.ndarray, rng=None) -> tuple:
        """The discriminator's loss on `real` samples (generator space) and fakes from
        noise `z`, its gradients left in discriminator.grads (nothing updated; the
        generator's statistics kept). Returns (d_loss, d_real, d_fake, g_loss)."""
        G, D = self.generator, self.discriminator
        m, k = len(real), len(z)
        with _kept(G):
            fake = G.forward(z, True, rng)
        both = self._buffer("both", (m + k, *real.shape[1:]))
        both[:m] = real
        both[m:] = fake
        out = D.forward(both, True, rng)
        grad = self._buffer("d_grad", (m + k, 1))
        scores = self._scores(out)
        row = losses.d_loss(self.spec["gan_loss"], scores[:m], scores[m:], grad[:, 0])
        D.backward(grad, False, self._at_logit())
        return row

    def g_gradients(self, z: np.ndarray, rng=None) -> tuple[float, float]:
        """The generator's loss on fakes from noise `z`, its gradients (through the
        discriminator's input gradient) left in generator.grads; the discriminator is
        not changed (its own gradients are scratch). Returns (g_loss, d_fake)."""
        G, D = self.generator, self.discriminator
        fake = G.forward(z, True, rng)
        with _kept(D):
            out = D.forward(fake, True, rng)
            grad = self._buffer("g_grad", (len(z), 1))
            scores = self._scores(out)
            value = losses.g_loss(self.spec["gan_loss"], scores, grad[:, 0])
            d_fake = float(losses.probability(self.spec["gan_loss"], scores).mean())
            dx = D.backward(grad, True, self._at_logit())
        G.backward(dx, False)
        return value, d_fake

    def _update(self, model: Model, optimizer, regularizer) -> bool:
        """One optimizer step; on a non-finite result the weights (and statistics) are
        put back and False returned."""
        params, buffers = self._backups[id(model)]
        np.copyto(buffers, model.buffers)
        if regularizer.active:
            regularizer.add_gradient()
        if optimizer.step(params):
            return True
        np.copyto(model.params, params)
        np.copyto(model.buffers, buffers)
        return False

    # -- training --------------------------------------------------------------------
    def train(self, s, max_steps: int | None, stop_epoch: int | None, batch: int, part="round"):
        """Train the host session `s` for `max_steps` steps of `part` or until epoch
        `stop_epoch`; stops when diverged or at the spec's epochs (finished)."""
        limit, rng = s.spec["epochs"], s.dropout_rng
        done = 0
        while max_steps is None or done < max_steps:
            if stop_epoch is not None and s.epoch >= stop_epoch:
                break
            d_row, g_row = NONE4, None
            for _ in range(0 if part == "g" else 1 if part == "d" else self.spec["d_steps"]):
                d_row = self._d_step(s, batch, rng)
                if d_row is None:
                    return s.diverge()
            for _ in range(0 if part == "d" else 1 if part == "g" else self.spec["g_steps"]):
                g_row = self._g_step(s, batch, rng)
                if g_row is None:
                    return s.diverge()
            d_loss, d_real, d_fake, g_loss = d_row
            if g_row is not None:
                g_loss = g_row[0]
                d_fake = g_row[1] if part == "g" else d_fake
            done += 1
            s.step_count += 1
            self.log.add_step(s.step_count, (d_loss, g_loss, d_real, d_fake))
            while self._ended:
                self._ended -= 1
                s.epoch += 1
                self.log.end_epoch(s.epoch, self.epoch_metrics())
            if limit is not None and s.epoch >= limit:
                s.status = "finished"
                return None
        return None

    def _d_step(self, s, batch: int, rng) -> tuple | None:
        if self.cursor == 0:
            self._start_epoch(s)
        start = self.cursor
        end = min(start + batch, self.n_train)
        z = self.draw_noise(s.noise_rng, end - start)
        row = self.d_gradients(self._epoch_X[start:end], z, rng)
        if not self._update(self.discriminator, self.d_optimizer, self.d_regularizer):
            return None
        self.cursor = end if end < self.n_train else 0
        self._ended += end == self.n_train
        return row

    def _g_step(self, s, batch: int, rng) -> tuple | None:
        row = self.g_gradients(self.draw_noise(s.noise_rng, batch), rng)
        if not self._update(self.generator, self.g_optimizer, self.g_regularizer):
            return None
        return row

    def _start_epoch(self, s) -> None:
        self.order = None
        self._epoch_X = self.train_X
        if s.spec["data"]["shuffle"]:
            self.order = s.shuffle_rng.permutation(self.n_train)
            self._take_order()

    def _take_order(self) -> None:
        np.take(self.train_X, self.order, axis=0, out=self._order_buf, mode="clip")
        self._epoch_X = self._order_buf

    def flush(self, s) -> None:
        """Nothing waits to be computed: a GAN's losses are measured as it steps."""


class _kept:
    """Keeps a network's statistics (batch norm's running mean and variance) through a
    training-mode forward of the network that is not being trained."""

    def __init__(self, model: Model):
        self.model = model
        self.saved = model.buffers.copy() if model.buffers.size else None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.saved is not None:
            np.copyto(self.model.buffers, self.saved)
