"""Autoencoders: dense and convolutional, and anomaly detection on held-out classes and
series."""

from .images import FLATTEN, POOL, conv


def _autoencoder(
    layers: list[dict], *, noise: float = 0.0, normal: list[int] | None = None
) -> dict:
    data = {"dataset": "digits"}
    if normal is not None:
        data["normal_classes"] = normal
    return {
        "seed": 1,
        "dtype": "float32",
        "objective": "reconstruction",
        "reconstruction": {"noise": noise},
        "data": data,
        "model": {"layers": layers},
        "loss": "mse",
        "optimizer": {"type": "adam", "lr": 3e-3},
        "batch_size": 32,
    }


def _dense_autoencoder(code: int) -> list[dict]:
    return [
        FLATTEN,
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": code, "name": "code"},
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": 64, "activation": "sigmoid"},
        {"type": "reshape", "shape": [8, 8, 1]},
    ]


PRESETS = [
    {
        "name": "digits-autoencoder",
        "title": "Autoencoder: digits through two numbers",
        "description": "64 pixels squeezed through 32 ReLUs into a code of 2 numbers and "
        "back out. The latent plane fills with one cloud a digit, with no label "
        "ever given; click anywhere on it to see the digit that point decodes to.",
        "spec": _autoencoder(_dense_autoencoder(2)),
    },
    {
        "name": "digits-conv-autoencoder",
        "title": "Autoencoder: convolutional and denoising",
        "description": "Two convolutions and poolings down to a 2×2×4 code, then "
        "upsampling and convolutions back to 8×8. Each training input gets "
        "Gaussian noise (σ 0.2): the network must return the clean digit, so it "
        "learns strokes, not pixels.",
        "spec": _autoencoder(
            [
                conv(8),
                POOL,
                conv(4),
                {**POOL, "name": "code"},
                {"type": "upsample2d", "size": 2},
                conv(8),
                {"type": "upsample2d", "size": 2},
                {
                    "type": "conv2d",
                    "filters": 1,
                    "kernel_size": 3,
                    "padding": "same",
                    "activation": "sigmoid",
                },
            ],
            noise=0.2,
        ),
    },
    {
        "name": "digits-anomaly",
        "title": "Anomaly lab: the digit it never saw",
        "description": "The autoencoder trains on every digit but 7; the test set has "
        "all ten. A 7 comes back blurred into something it knows, so its "
        "reconstruction error is large: slide the threshold and watch precision "
        "trade against recall, and compare the ROC curve with PCA's.",
        "spec": _autoencoder(_dense_autoencoder(2), normal=[0, 1, 2, 3, 4, 5, 6, 8, 9]),
    },
    {
        "name": "series-anomaly",
        "title": "Anomaly lab: a series with spikes and shifts",
        "description": "Windows of 48 steps of a seasonal series; the autoencoder "
        "(48-16-4-16-48) learns the normal first half. In the held-out half, spikes, "
        "level shifts and changed seasons were injected: their windows come back "
        "wrong, and the error histogram splits them off the normal ones.",
        "spec": {
            **_autoencoder(
                [
                    FLATTEN,
                    {"type": "dense", "units": 16, "activation": "tanh"},
                    {"type": "dense", "units": 4, "name": "code"},
                    {"type": "dense", "units": 16, "activation": "tanh"},
                    {"type": "dense", "units": 48},
                    {"type": "reshape", "shape": [48, 1]},
                ],
            ),
            "data": {"dataset": "series-anomalies", "normal_classes": [0]},
            "epochs": 150,  # longer, and it learns the training windows by heart
        },
    },
]
