"""The three GAN losses, each as its value and its gradient at the discriminator's
output, for a batch of real and a batch of generated samples.

With s the discriminator's logit and D = σ(s) its probability that a sample is real
(minimax and non_saturating), computed from s so that no log ever sees 0 or 1:

    log D = −softplus(−s),   log(1 − D) = −softplus(s),   softplus(x) = log(1 + eˣ)

- minimax (Goodfellow et al. 2014): D maximizes log D(x) + log(1 − D(G(z))), so its
  loss is softplus(−s_real) + softplus(s_fake) (means over each batch); G minimizes
  log(1 − D(G(z))) = −softplus(s_fake), whose gradient vanishes where D is sure.
- non_saturating: the same D loss; G maximizes log D(G(z)): its loss softplus(−s_fake).
- least_squares (LSGAN, Mao et al. 2017, a = 0, b = 1, c = 1): on the discriminator's
  output o as it is, D's loss ½(o_real − 1)² + ½o_fake², G's ½(o_fake − 1)².

Gradients are of the batch means: d softplus(−s)/ds = σ(s) − 1, d softplus(s)/ds = σ(s).
"""

import numpy as np

LOGIT_LOSSES = ("minimax", "non_saturating")


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def sigmoid(s: np.ndarray) -> np.ndarray:
    """σ(s) = ½(1 + tanh(s/2)): no overflow for any s."""
    out = np.multiply(s, 0.5)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def probability(loss: str, out: np.ndarray) -> np.ndarray:
    """D(x) as the history reports it: σ(logit) for the log losses, o itself for LSGAN."""
    return sigmoid(out) if loss in LOGIT_LOSSES else out


def d_loss(loss: str, real: np.ndarray, fake: np.ndarray, grad: np.ndarray | None = None):
    """The discriminator's loss on logits (or LSGAN outputs) `real` (m,) and `fake` (k,);
    with `grad` ((m + k,), real first), its gradient is written there. Returns
    (loss, mean D(real), mean D(fake), the generator's loss on these fakes)."""
    m, k = len(real), len(fake)
    if loss in LOGIT_LOSSES:
        p_real, p_fake = sigmoid(real), sigmoid(fake)
        value = softplus(-real).mean() + softplus(fake).mean()
        if grad is not None:
            np.subtract(p_real, 1.0, out=grad[:m])
            grad[:m] *= 1.0 / m
            np.multiply(p_fake, 1.0 / k, out=grad[m:])
    else:
        p_real, p_fake = real, fake
        value = 0.5 * (np.square(real - 1.0).mean() + np.square(fake).mean())
        if grad is not None:
            np.subtract(real, 1.0, out=grad[:m])
            grad[:m] *= 1.0 / m
            np.multiply(fake, 1.0 / k, out=grad[m:])
    return float(value), float(p_real.mean()), float(p_fake.mean()), g_loss(loss, fake)


def g_loss(loss: str, fake: np.ndarray, grad: np.ndarray | None = None) -> float:
    """The generator's loss on the logits (or LSGAN outputs) of its samples (k,); with
    `grad` (k,), its gradient at them is written there."""
    k = len(fake)
    if loss == "minimax":
        value = -softplus(fake).mean()
        if grad is not None:
            np.multiply(sigmoid(fake), -1.0 / k, out=grad)
    elif loss == "non_saturating":
        value = softplus(-fake).mean()
        if grad is not None:
            np.subtract(sigmoid(fake), 1.0, out=grad)
            grad *= 1.0 / k
    else:
        value = 0.5 * np.square(fake - 1.0).mean()
        if grad is not None:
            np.subtract(fake, 1.0, out=grad)
            grad *= 1.0 / k
    return float(value)
