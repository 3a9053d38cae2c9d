"""Anomaly scores judged: ROC curve and its area, precision and recall at a threshold,
histograms, and the PCA baseline an autoencoder is compared with.

A sample is called anomalous when its score is at least the threshold (as
scikit-learn's roc_curve counts it), so each ROC point is one threshold.
"""

import numpy as np


def roc_curve(
    scores: np.ndarray, positive: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates, thresholds), from (0, 0) at an
    infinite threshold to (1, 1), one point per distinct score."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    order = np.argsort(-scores, kind="stable")
    s, p = scores[order], positive[order]
    distinct = np.flatnonzero(np.diff(s)) if len(s) > 1 else np.zeros(0, np.intp)
    ends = np.append(distinct, len(s) - 1)  # the last index of each distinct score
    tp = np.cumsum(p)[ends]
    fp = (ends + 1) - tp
    n_pos, n_neg = max(int(p.sum()), 1), max(int((~p).sum()), 1)
    tpr = np.concatenate([[0.0], tp / n_pos])
    fpr = np.concatenate([[0.0], fp / n_neg])
    thresholds = np.concatenate([[np.inf], s[ends]])
    return fpr, tpr, thresholds


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """The area under a curve by the trapezoid rule."""
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def at_threshold(scores: np.ndarray, positive: np.ndarray, threshold: float) -> dict:
    """Counts, precision, recall and F1 calling score >= threshold anomalous (precision
    1 when nothing is called anomalous, as nothing was called wrongly)."""
    called = np.asarray(scores) >= threshold
    positive = np.asarray(positive, dtype=bool)
    tp = int(np.sum(called & positive))
    fp = int(np.sum(called & ~positive))
    fn = int(np.sum(~called & positive))
    tn = int(np.sum(~called & ~positive))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def histograms(scores: np.ndarray, positive: np.ndarray, bins: int) -> dict:
    """Counts of the normal and the anomalous scores over shared bin edges."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    low, high = (float(scores.min()), float(scores.max())) if len(scores) else (0.0, 1.0)
    edges = np.linspace(low, high if high > low else low + 1.0, bins + 1)
    return {
        "edges": edges,
        "normal": np.histogram(scores[~positive], edges)[0],
        "anomalous": np.histogram(scores[positive], edges)[0],
    }


class PCA:
    """Principal components fitted by SVD of the centred data: the linear autoencoder
    with `k` components, the baseline that shows what a nonlinear one buys."""

    def __init__(self, X: np.ndarray, k: int):
        flat = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
        self.mean = flat.mean(axis=0)
        _, singular, vt = np.linalg.svd(flat - self.mean, full_matrices=False)
        self.k = min(k, vt.shape[0])
        self.components = vt[: self.k]  # (k, features), orthonormal rows
        variance = singular**2
        self.explained = variance[: self.k] / max(variance.sum(), 1e-300)

    def project(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, np.float64).reshape(len(X), -1) - self.mean) @ self.components.T

    def reconstruct(self, codes: np.ndarray) -> np.ndarray:
        return self.mean + codes @ self.components

    def scores(self, X: np.ndarray) -> np.ndarray:
        """Each sample's mean squared reconstruction error, as the autoencoder's."""
        flat = np.asarray(X, np.float64).reshape(len(X), -1)
        diff = self.reconstruct(self.project(flat)) - flat
        return np.einsum("ij,ij->i", diff, diff) / max(flat.shape[1], 1)
