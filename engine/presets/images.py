"""Image classifiers: dense and convolutional networks on the built-in images, and the
layers the other image presets build from."""


def conv(filters: int, kernel: int = 3, padding: str = "same") -> dict:
    return {
        "type": "conv2d",
        "filters": filters,
        "kernel_size": kernel,
        "padding": padding,
        "activation": "relu",
    }


def _images(
    dataset: str,
    layers: list[dict],
    *,
    epochs: int | None = None,
    lr: float = 1e-3,
    batch: int = 32,
    params: dict | None = None,
) -> dict:
    spec = {
        "seed": 1,
        "dtype": "float32",
        "data": {"dataset": dataset, **({"params": params} if params else {})},
        "model": {"layers": layers},
        "loss": "categorical_crossentropy",
        "optimizer": {"type": "adam", "lr": lr},
        "batch_size": batch,
    }
    if epochs:
        spec["epochs"] = epochs
    return spec


POOL = {"type": "maxpool2d", "pool_size": 2}
FLATTEN = {"type": "flatten"}


def softmax(classes: int) -> dict:
    return {"type": "dense", "units": classes, "activation": "softmax"}


PRESETS = [
    {
        "name": "digits-cnn",
        "title": "Digits: a LeNet-style CNN",
        "description": "8×8 handwritten digits through two 3×3 convolutions, each followed "
        "by 2×2 max pooling, then a softmax over the ten digits. Watch the "
        "first layer's filters turn into stroke detectors and the confusion "
        "matrix empty its off-diagonal cells (4s and 9s, 3s and 8s last); "
        "it passes 98% test accuracy within a minute.",
        "spec": _images("digits", [conv(8), POOL, conv(16), POOL, FLATTEN, softmax(10)], lr=3e-3),
    },
    {
        "name": "digits-mlp",
        "title": "Digits: an MLP on the raw pixels",
        "description": "The same digits, flattened to 64 numbers, through one hidden layer "
        "of 64 ReLUs. Compare with the CNN: it learns too, but it knows "
        "nothing of which pixels are neighbours, so a digit shifted by a "
        "pixel is a new pattern to it.",
        "spec": _images(
            "digits",
            [FLATTEN, {"type": "dense", "units": 64, "activation": "relu"}, softmax(10)],
            lr=3e-3,
        ),
    },
    {
        "name": "shapes-cnn",
        "title": "Shapes: circles, squares, triangles, crosses",
        "description": "16×16 drawings at random places, sizes and angles. A small CNN "
        "with batch norm and dropout: watch the feature maps of the second "
        "convolution light up on corners and crossings, which tell the "
        "shapes apart wherever they are.",
        "spec": _images(
            "shapes",
            [
                conv(8),
                {"type": "batchnorm"},
                POOL,
                conv(16),
                POOL,
                FLATTEN,
                {"type": "dropout", "rate": 0.25},
                softmax(4),
            ],
            lr=3e-3,
        ),
    },
    {
        "name": "mnist-lenet5",
        "title": "MNIST: LeNet-5",
        "description": "LeCun's LeNet-5 (with ReLU and max pooling) on 5,000 28×28 MNIST "
        "digits: 6 5×5 filters, pooling, 16 5×5 filters, pooling, then "
        "120-84-10. Watch the first filters become edge and stroke "
        "detectors within an epoch or two, and click a pixel of the second "
        "convolution's maps to see the 14×14 patch of the digit it sees.",
        "spec": _images(
            "mnist",
            [
                conv(6, 5),
                POOL,
                conv(16, 5, "valid"),
                POOL,
                FLATTEN,
                {"type": "dense", "units": 120, "activation": "relu"},
                {"type": "dense", "units": 84, "activation": "relu"},
                softmax(10),
            ],
            batch=64,
        ),
    },
]
