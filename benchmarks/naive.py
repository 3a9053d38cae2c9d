"""Hand-written NumPy training loops: the baselines the engine is measured against.

Written the way a person writes them in a notebook: plain arrays, one update per array.
"""

import itertools

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def course_xor(epochs: int = 10_000):
    """The course's own loop, as printed (seed 42, 2-3-1 sigmoid, lr 0.1)."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])
    rng = np.random.RandomState(42)
    W1 = rng.uniform(size=(2, 3))
    W2 = rng.uniform(size=(3, 1))
    b1 = rng.uniform(size=(1, 3))
    b2 = rng.uniform(size=(1, 1))
    lr = 0.1
    for _ in range(epochs):
        hidden = sigmoid(np.dot(X, W1) + b1)
        predicted = sigmoid(np.dot(hidden, W2) + b2)
        error = y - predicted
        d_predicted = error * predicted * (1 - predicted)
        d_hidden = d_predicted.dot(W2.T) * hidden * (1 - hidden)
        W2 += hidden.T.dot(d_predicted) * lr
        b2 += np.sum(d_predicted, axis=0, keepdims=True) * lr
        W1 += X.T.dot(d_hidden) * lr
        b1 += np.sum(d_hidden, axis=0, keepdims=True) * lr
    return predicted


class TanhMLP:
    """2-8-8-1: tanh hidden layers, sigmoid output, binary cross-entropy, plain SGD.

    An epoch does what the engine's does: shuffle, train every mini-batch keeping its
    loss, then measure the test loss and accuracy (what a person prints per epoch).
    """

    def __init__(self, sizes, lr, rng):
        self.W = [rng.uniform(-1, 1, (a, b)) / np.sqrt(a) for a, b in itertools.pairwise(sizes)]
        self.b = [np.zeros(b) for b in sizes[1:]]
        self.lr = lr

    def predict(self, X):
        a = X
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            z = a @ W + b
            a = sigmoid(z) if i == len(self.W) - 1 else np.tanh(z)
        return a

    def test_metrics(self, X, y):
        p = np.clip(self.predict(X), 1e-12, 1 - 1e-12)
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        return loss, np.mean((p >= 0.5) == (y >= 0.5))

    def train_epoch(self, X, y, batch_size, rng, X_test=None, y_test=None):
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
        losses = []
        for start in range(0, len(X), batch_size):
            xb, yb = X[start : start + batch_size], y[start : start + batch_size]
            acts = [xb]
            for i, (W, b) in enumerate(zip(self.W, self.b)):
                z = acts[-1] @ W + b
                acts.append(sigmoid(z) if i == len(self.W) - 1 else np.tanh(z))
            p = acts[-1]
            q = np.clip(p, 1e-12, 1 - 1e-12)
            losses.append(-np.mean(yb * np.log(q) + (1 - yb) * np.log(1 - q)))
            delta = (p - yb) / len(yb)
            for i in range(len(self.W) - 1, -1, -1):
                dW = acts[i].T @ delta
                db = delta.sum(axis=0)
                if i > 0:
                    delta = (delta @ self.W[i].T) * (1 - acts[i] ** 2)
                self.W[i] -= self.lr * dW
                self.b[i] -= self.lr * db
        test = self.test_metrics(X_test, y_test) if X_test is not None else None
        return losses, test
