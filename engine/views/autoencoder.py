"""Views of an autoencoder: inputs beside their reconstructions, the latent space, a
point of the latent plane decoded, and the anomaly lab (the reconstruction errors of
normal and anomalous samples, a threshold, the ROC curve, against a PCA baseline).

A latent code of two numbers is drawn as it is; a wider one through its first two
principal components (fitted on the codes of the split shown), and a point of that
plane decodes through the same components back to a code.
"""

import numpy as np

from .. import anomaly
from ..errors import SpecError
from ..layers.config import Field
from .base import View, sample_index
from .images import SPLIT, TEST_SPLIT

MAX_SHOWN = 256
PERCENTILE = 95.0  # the default threshold: this percentile of the training errors


def reconstructing(s) -> bool:
    return s.spec["objective"] == "reconstruction"


def with_anomalies(s) -> bool:
    return reconstructing(s) and "normal_classes" in s.spec["data"]


def _split(s, split: str):
    d = s.data
    X, labels = (d.X_train, d.labels_train) if split == "train" else (d.X_test, d.labels_test)
    return X, labels.reshape(len(labels), -1)[:, 0]


def reconstructions(s, split, start, count) -> dict:
    X, labels = _split(s, split)
    start = sample_index(len(X), start, split)
    X = X[start : start + count]
    outputs = s.objective.predict(X)
    errors = np.mean((outputs - X).reshape(len(X), -1) ** 2, axis=1)
    return {
        "start": start,
        "inputs": X,
        "outputs": outputs,
        "labels": labels[start : start + count],
        "errors": errors,
    }


def _plane(s, split):
    """The split's codes on a plane: (points (n, 2), projection or None, labels), kept
    until the weights change (decoding a dragged point asks for it at every move)."""
    key = ("latent", split, s.step_count, s.weights_version)
    cached = s.data.derived.get("latent")
    if cached is not None and cached[0] == key:
        return cached[1]
    plane = _compute_plane(s, split)
    s.data.derived["latent"] = (key, plane)
    return plane


def _compute_plane(s, split):
    X, labels = _split(s, split)
    if not len(X):
        raise SpecError("split", f"the {split} split is empty")
    codes = s.objective.encode(X)
    if codes.shape[1] <= 2:
        points = (
            codes if codes.shape[1] == 2 else np.column_stack([codes[:, 0], np.zeros(len(codes))])
        )
        return points, None, labels
    pca = anomaly.PCA(codes, 2)
    return pca.project(codes), pca, labels


def latent(s, split) -> dict:
    points, pca, labels = _plane(s, split)
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.1 * np.maximum(high - low, 1e-6)
    return {
        "points": points,
        "labels": labels,
        "class_names": list(s.data.class_names or []),
        "projection": "direct" if pca is None else "pca",
        "explained": None if pca is None else pca.explained,
        "code_size": s.objective.code_size,
        "range": {
            "x": [float(low[0] - margin[0]), float(high[0] + margin[0])],
            "y": [float(low[1] - margin[1]), float(high[1] + margin[1])],
        },
    }


def decode(s, point, split) -> dict:
    """The output for a point of the latent plane (as `latent` draws it)."""
    try:
        xy = np.asarray(point, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise SpecError("point", "must be [x, y], two numbers") from None
    if xy.shape != (2,) or not np.isfinite(xy).all():
        raise SpecError("point", f"must be [x, y], two finite numbers, received {point!r}")
    size = s.objective.code_size
    if size <= 2:
        code = xy[:size]
    else:
        _, pca, _ = _plane(s, split)
        code = pca.reconstruct(xy[None])[0]
    output = s.objective.decode(code[None])[0]
    return {"point": xy, "code": code, "output": output}


def baseline(s, k: int):
    """The PCA baseline of `k` components with its training scores (the data's alone)."""
    pca = s.data.derived.get(("pca", k))
    if pca is None:
        pca = s.data.derived[("pca", k)] = anomaly.PCA(s.data.X_train, k)
        pca.train_scores = pca.scores(s.data.X_train)
    return pca


def anomaly_lab(s, threshold, pca_threshold, bins) -> dict:
    """The test samples' reconstruction errors, normal against anomalous (classes not
    in normal_classes), with the PCA baseline of as many components as the code."""
    d, o = s.data, s.objective
    normal = s.spec["data"]["normal_classes"]
    labels = d.labels_test.reshape(len(d.labels_test), -1)[:, 0]
    positive = ~np.isin(labels, normal)
    if not len(labels):
        raise SpecError("split", "the test split is empty: hold some data out to score it")
    pca = baseline(s, o.code_size)
    judged = {}
    for name, score, train_scores, chosen in (
        ("model", o.scores, o.scores(d.X_train), threshold),
        ("pca", pca.scores, pca.train_scores, pca_threshold),
    ):
        scores = score(d.X_test)
        fpr, tpr, _ = anomaly.roc_curve(scores, positive)
        t = float(np.percentile(train_scores, PERCENTILE)) if chosen is None else chosen
        judged[name] = {
            "scores": scores,
            "threshold": t,
            **anomaly.at_threshold(scores, positive, t),
            "roc": {"fpr": fpr, "tpr": tpr},
            "auc": anomaly.auc(fpr, tpr),
            "histogram": anomaly.histograms(scores, positive, bins),
        }
    judged["pca"]["components"] = pca.k
    return {"normal_classes": normal, "labels": labels, "anomalous": positive, **judged}


AUTOENCODER = ("image", "table", "points", "sequence")
VIEWS = [
    View(
        "reconstructions",
        "inputs beside the autoencoder's outputs, with each one's error",
        AUTOENCODER,
        (
            SPLIT,
            Field("start", "int", "first sample", default=0, low=0),
            Field("count", "int", "how many", default=16, low=1, high=MAX_SHOWN),
        ),
        reconstructions,
        fits=reconstructing,
    ),
    View(
        "latent",
        "the split's latent codes on a plane (a 2-D code as it is, a wider one by its first two principal components), with their classes",
        AUTOENCODER,
        (TEST_SPLIT,),
        latent,
        fits=reconstructing,
    ),
    View(
        "decode",
        "the output the decoder makes of a point of the latent plane",
        AUTOENCODER,
        (Field("point", "array", "[x, y] on the latent plane"), TEST_SPLIT),
        decode,
        fits=reconstructing,
    ),
    View(
        "anomaly",
        "reconstruction errors of normal and anomalous test samples: histograms, a threshold's precision and recall, the ROC curve and AUC, beside a PCA baseline",
        AUTOENCODER,
        (
            Field(
                "threshold",
                "float",
                f"call an error this large anomalous (default: the {PERCENTILE:g}th percentile of the training errors)",
                default=None,
                low=0.0,
                optional=True,
            ),
            Field(
                "pca_threshold",
                "float",
                "the same for the PCA baseline",
                default=None,
                low=0.0,
                optional=True,
            ),
            Field("bins", "int", "histogram bins", default=30, low=2, high=200),
        ),
        anomaly_lab,
        fits=with_anomalies,
    ),
]
