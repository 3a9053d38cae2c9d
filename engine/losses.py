"""Loss functions: a value and its gradient with respect to the prediction.

Reductions follow PyTorch's defaults (mean over every element) except where noted:
- sse: ½·Σ(y − ŷ)² summed over the batch, the course's loss (its gradient ŷ − y is
  what the course's update adds up);
- categorical_crossentropy: mean over samples of −Σ_c y_c log p_c.

Binary and categorical cross-entropy also have a fused form, used when the output
layer is sigmoid (resp. softmax): the value is computed from the logits z with
log-sum-exp, so it never takes log(0), and the gradient at z is (p − y)/N.

Categorical cross-entropy also takes sparse targets: integer class indices with the
output's shape less its class axis, one per sample or one per time step (a text
model's next character), as PyTorch's CrossEntropyLoss takes them, so that a large
vocabulary is never one-hot encoded.
"""

import numpy as np

from .errors import SpecError

_EPS = 1e-12


class Loss:
    name = ""
    fuses_with = ""  # the output activation whose logits this loss can take directly
    classification = False

    def value(self, p: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def grad(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def count(self, p: np.ndarray) -> int:
        """The N that the mean divides by."""
        return p.size

    def value_and_grad(self, p: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        return self.value(p, y), self.grad(p, y)

    def logit_grad(self, p: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
        """N · dL/dz of the fused form, p − y, written into `out`."""
        return np.subtract(p, y, out=out)

    def per_sample(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Each row's summed elementwise loss, shape (n,): sum(rows) / count = value."""
        return self.elementwise(p, y).reshape(len(p), -1).sum(axis=1)

    def elementwise(self, p: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class SSE(Loss):
    name = "sse"

    def value(self, p, y):
        d = (p - y).ravel()
        return 0.5 * float(np.dot(d, d))

    def grad(self, p, y):
        return p - y

    def count(self, p):
        return 1

    def value_and_grad(self, p, y):
        d = p - y
        flat = d.ravel()
        return 0.5 * float(np.dot(flat, flat)), d

    def elementwise(self, p, y):
        return 0.5 * (p - y) ** 2


class MSE(Loss):
    name = "mse"

    def value(self, p, y):
        d = (p - y).ravel()
        return float(np.dot(d, d)) / d.size

    def grad(self, p, y):
        g = p - y
        g *= 2.0 / g.size
        return g

    def value_and_grad(self, p, y):
        g = p - y
        flat = g.ravel()
        value = float(np.dot(flat, flat)) / g.size
        g *= 2.0 / g.size
        return value, g

    def elementwise(self, p, y):
        return (p - y) ** 2


class MAE(Loss):
    name = "mae"

    def value(self, p, y):
        return float(np.abs(p - y).mean())

    def elementwise(self, p, y):
        return np.abs(p - y)

    def grad(self, p, y):
        g = np.sign(p - y)
        g /= g.size
        return g


class Huber(Loss):
    """Huber with delta = 1 (PyTorch's default): quadratic near 0, linear beyond."""

    name = "huber"
    delta = 1.0

    def value(self, p, y):
        return float(self.elementwise(p, y).mean())

    def elementwise(self, p, y):
        d = np.abs(p - y)
        quad = np.minimum(d, self.delta)
        return 0.5 * quad * quad + self.delta * (d - quad)

    def grad(self, p, y):
        g = np.clip(p - y, -self.delta, self.delta)
        g /= g.size
        return g


class BinaryCrossEntropy(Loss):
    name = "binary_crossentropy"
    fuses_with = "sigmoid"
    classification = True

    def value(self, p, y):
        return float(self.elementwise(p, y).mean())

    def elementwise(self, p, y):
        q = np.clip(p, _EPS, 1.0 - _EPS)
        return -(y * np.log(q) + (1.0 - y) * np.log1p(-q))

    def grad(self, p, y):
        q = np.clip(p, _EPS, 1.0 - _EPS)
        return (q - y) / (q * (1.0 - q) * p.size)

    def value_from_logits(self, z, y):
        return float(self.elementwise_from_logits(z, y).mean())

    def elementwise_from_logits(self, z, y):
        # log(1 + e^z) - y z, written so that neither term overflows
        softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
        return softplus - y * z

    def per_sample_from_logits(self, z, y):
        return self.elementwise_from_logits(z, y).reshape(len(z), -1).sum(axis=1)


class CategoricalCrossEntropy(Loss):
    """Targets are rows that sum to 1 (one-hot or probabilities), or sparse class
    indices (an integer array shaped as the output without its last axis)."""

    name = "categorical_crossentropy"
    fuses_with = "softmax"
    classification = True

    def value(self, p, y):
        return float(self.elementwise(p, y).sum() / self.count(p))

    def elementwise(self, p, y):
        if is_sparse(p, y):
            return -np.log(np.clip(picked(p, y), _EPS, None))
        return -(y * np.log(np.clip(p, _EPS, None)))

    def grad(self, p, y):
        if is_sparse(p, y):
            g = np.zeros_like(p)
            rows = g.reshape(-1, p.shape[-1])
            index = np.arange(len(rows)), y.ravel()
            rows[index] = -1.0 / (np.clip(p.reshape(rows.shape)[index], _EPS, None) * self.count(p))
            return g
        return -y / (np.clip(p, _EPS, None) * self.count(p))

    def count(self, p):
        return p.size // p.shape[-1]

    def value_from_logits(self, z, y):
        return float(self.per_sample_from_logits(z, y).sum() / self.count(z))

    def per_sample_from_logits(self, z, y):
        m = z.max(axis=-1, keepdims=True)
        lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
        if is_sparse(z, y):
            return (lse[..., 0] - picked(z, y)).reshape(len(z), -1).sum(axis=1)
        return (y * (lse - z)).reshape(len(z), -1).sum(axis=1)

    def logit_grad(self, p, y, out):
        if not is_sparse(p, y):
            return np.subtract(p, y, out=out)
        np.copyto(out, p)
        rows = out.reshape(-1, p.shape[-1])
        rows[np.arange(len(rows)), y.ravel()] -= 1.0
        return out


def is_sparse(p: np.ndarray, y: np.ndarray) -> bool:
    """Class indices rather than rows of probabilities."""
    return y.ndim == p.ndim - 1


def picked(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """p at each target's class: shape y.shape."""
    return np.take_along_axis(p, y[..., None].astype(np.intp, copy=False), axis=-1)[..., 0]


LOSSES: dict[str, type[Loss]] = {
    cls.name: cls for cls in (SSE, MSE, MAE, Huber, BinaryCrossEntropy, CategoricalCrossEntropy)
}


def get_loss(name, path: str = "loss") -> Loss:
    if not isinstance(name, str) or name not in LOSSES:
        raise SpecError(path, f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}")
    return LOSSES[name]()
