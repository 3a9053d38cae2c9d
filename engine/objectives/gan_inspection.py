"""A GAN's measures, saved state and twins, mixed into engine.objectives.adversarial's
Adversarial (which owns the networks, the optimizers, the noise and the log).

Measuring never draws from training's streams: the epoch metrics and `evaluate` use
EVAL_SAMPLES noise vectors fixed for the session, and everything runs in inference
mode (dropout off, batch norm on its running statistics).
"""

import copy

import numpy as np

from ..gan_metrics import grid_divergences, mode_quality
from ..model import Model
from . import gan_losses as losses
from .gan_log import NONE4
from .networks import Networks

EVAL_ROWS = 4096  # rows a forward pass takes at once when measuring


class GanInspection:
    # -- measuring ---------------------------------------------------------------------
    def generate(self, z: np.ndarray) -> np.ndarray:
        """Inference-mode generator outputs for noise z (generator space; a new array)."""
        return np.concatenate(
            [
                self.generator.forward(z[i : i + EVAL_ROWS]).copy()
                for i in range(0, len(z), EVAL_ROWS)
            ]
        )

    def predict(self, z: np.ndarray) -> np.ndarray:
        """Generated samples (as data) for noise vectors z (n, noise dim)."""
        return self.to_data(self.generate(z))

    def d_scores(self, X: np.ndarray) -> np.ndarray:
        """D's logits (log losses) or outputs (least squares) for samples in generator
        space, in inference mode, (n,)."""
        parts = []
        for i in range(0, len(X), EVAL_ROWS):
            out = self.discriminator.forward(X[i : i + EVAL_ROWS])
            parts.append(self._scores(out).copy())
        return np.concatenate(parts) if parts else np.zeros(0, self.dtype)

    def point_gradients(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(D(x), ∂ℓ_G/∂x) at samples X (generator space) in inference mode: D's
        probability (LSGAN: its output) and the gradient of each sample's own term of
        the generator's loss (log(1 − D(x)), −log D(x) or ½(D(x) − 1)²), the way the
        generator pushes that sample (along minus it). The discriminator's own
        gradients are scratch; call it on a twin while training goes on."""
        D, loss = self.discriminator, self.spec["gan_loss"]
        out = D.forward(X)
        scores = self._scores(out)
        grad = np.empty((len(X), 1), self.dtype)
        losses.g_loss(loss, scores, grad[:, 0])
        grad *= len(X)  # each sample's term, not the batch mean's share
        dx = D.backward(grad, True, self._at_logit())
        return losses.probability(loss, scores).copy(), dx.copy()

    def epoch_metrics(self) -> tuple:
        """(kl, js, modes, high_quality) of EVAL_SAMPLES generated points against the
        real training points (2-D data; NaN otherwise)."""
        if self.plane is None:
            return NONE4
        with np.errstate(all="ignore"):
            fake = self.predict(self.eval_noise())
        if not np.isfinite(fake).all():
            return NONE4
        kl, js = grid_divergences(self.data.points_train, fake, self.plane)
        if self.mixture is None:
            return (kl, js, np.nan, np.nan)
        covered, quality, _ = mode_quality(fake, *self.mixture)
        return (kl, js, float(covered), quality)

    def evaluate(self) -> dict:
        """Now, with the current weights: D on every real training sample and on the
        fixed evaluation fakes (the losses of both networks on them), and the epoch
        metrics."""
        with np.errstate(all="ignore"):
            real = self.d_scores(self.train_X)
            fake = self.d_scores(self.generate(self.eval_noise()))
            d_loss, d_real, d_fake, g_loss = losses.d_loss(self.spec["gan_loss"], real, fake)
        kl, js, modes, quality = self.epoch_metrics()
        values = {"d_loss": d_loss, "g_loss": g_loss, "d_real": d_real, "d_fake": d_fake}
        return {**values, "kl": kl, "js": js, "modes": modes, "high_quality": quality}

    # -- saving and twins --------------------------------------------------------------
    def state_dict(self) -> tuple[dict, dict[str, np.ndarray]]:
        log_meta, arrays = self.log.state()
        for network, model in self.networks.models.items():
            for i, layer in enumerate(model.layers):
                for name, a in model.arrays_of(layer).items():
                    arrays[f"{network}.layer.{i}.{name}"] = a.copy()
        for key, opt in (("g", self.g_optimizer), ("d", self.d_optimizer)):
            arrays.update({f"opt.{key}.{k}": a for k, a in opt.state_dict().items()})
        if self.order is not None:
            arrays["order"] = self.order
        return {"cursor": self.cursor, "log": log_meta}, arrays

    def load_state_dict(self, meta: dict, arrays: dict[str, np.ndarray]) -> None:
        for network, model in self.networks.models.items():
            model.set_weights(
                [
                    {name: arrays[f"{network}.layer.{i}.{name}"] for name in model.arrays_of(layer)}
                    for i, layer in enumerate(model.layers)
                ],
                "arrays",
            )
        for key, opt in (("g", self.g_optimizer), ("d", self.d_optimizer)):
            prefix = f"opt.{key}."
            opt.load_state_dict(
                {k[len(prefix) :]: a for k, a in arrays.items() if k.startswith(prefix)}
            )
        self.cursor = int(meta["cursor"])
        self.log.load_state(meta["log"], arrays)
        if "order" in arrays:
            self.order = arrays["order"]
            self._take_order()

    def twin(self, spare: tuple | None) -> "GanInspection":
        """A copy for inference beside training: networks of its own holding the weights
        as they are now (`spare`: models of an earlier twin, reused warm)."""
        if spare is None:
            spare = (
                Model(self.spec["generator"]["layers"], self.generator.input_shape, self.dtype),
                Model(
                    self.spec["discriminator"]["layers"], self.discriminator.input_shape, self.dtype
                ),
            )
        for source, target in zip((self.generator, self.discriminator), spare):
            for name in ("params", "frozen", "buffers"):
                np.copyto(getattr(target, name), getattr(source, name))
        twin = copy.copy(self)
        twin.generator, twin.discriminator = spare
        twin.networks = Networks(generator=spare[0], discriminator=spare[1])
        twin._scratch = {}
        return twin

    def twin_models(self) -> tuple:
        return (self.generator, self.discriminator)

    def nbytes(self) -> int:
        """Bytes held in arrays (the session adds the data's), history excluded."""
        arrays = [self._order_buf, *self._scratch.values()]
        if self.train_X is not self.data.X_train:
            arrays.append(self.train_X)
        for model in (self.generator, self.discriminator):
            arrays += [
                model.params,
                model.grads,
                model.frozen,
                model.buffers,
                *self._backups[id(model)],
            ]
            for layer in model.layers:
                for ws in layer._buffers.values():
                    arrays += [a for a in ws.values() if a.base is None]
        for opt in (self.g_optimizer, self.d_optimizer):
            arrays += [*opt.state.values(), opt._tmp, opt._tmp2]
        arrays += [self.g_regularizer._tmp, self.d_regularizer._tmp]
        return sum(a.nbytes for a in arrays)
