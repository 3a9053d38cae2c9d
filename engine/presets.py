"""Named, ready-made specs: the course's examples, TF Playground's set-ups, and the
other architectures' (images, text and series, autoencoders, GANs).

Each preset is {"name", "title", "description", "spec"}; the description says what to
watch. The TF Playground set-ups use its defaults (noise 0, half the points for
testing, batch 10, tanh) with what each dataset needs to reach a low test loss
(more neurons or features for the spiral, Adam where plain SGD crawls).
"""

import copy

from .errors import SpecError

_UNIFORM_01 = {"type": "uniform", "low": 0.0, "high": 1.0}


def _course_layer(units: int, activation: str) -> dict:
    return {
        "type": "dense",
        "units": units,
        "activation": activation,
        "init": _UNIFORM_01,
        "bias_init": _UNIFORM_01,
    }


def _tf(
    dataset: str,
    hidden: list[int],
    *,
    features=("x1", "x2"),
    loss="binary_crossentropy",
    output="sigmoid",
    optimizer=None,
    params=None,
) -> dict:
    layers = [{"type": "dense", "units": n, "activation": "tanh"} for n in hidden]
    layers.append({"type": "dense", "units": 1, "activation": output})
    return {
        "seed": 1,
        "data": {
            "dataset": dataset,
            "params": {"noise": 0.0, **(params or {})},
            "features": list(features),
            "test_fraction": 0.5,
        },
        "model": {"layers": layers},
        "loss": loss,
        "optimizer": optimizer or {"type": "sgd", "lr": 0.03},
        "regularization": {"type": "none", "rate": 0.0},
        "batch_size": 10,
    }


PRESETS = [
    {
        "name": "course-xor",
        "title": "Course: XOR with a 2-3-1 sigmoid network",
        "description": "The course's first example, exactly: weights and biases uniform in "
        "[0, 1) from seed 42 (drawn W1, W2, b1, b2), lr 0.1, full batch, "
        "½·Σ(y−ŷ)², 10,000 epochs. Watch the loss sit on a plateau before "
        "the hidden layer splits the plane; it ends near 0.028, 0.933, 0.933, "
        "0.083.",
        "spec": {
            "seed": 42,
            "init_rng": "mt19937_legacy",
            "init_order": "weights_first",
            "data": {"dataset": "course-xor", "shuffle": False},
            "model": {"layers": [_course_layer(3, "sigmoid"), _course_layer(1, "sigmoid")]},
            "loss": "sse",
            "optimizer": {"type": "sgd", "lr": 0.1},
            "batch_size": "full",
            "epochs": 10_000,
        },
    },
    {
        "name": "course-exercise",
        "title": "Course exercise: 3-4-2 with softmax and cross-entropy",
        "description": "The course's exercise (4 samples, 3 features, softmax in both "
        "layers, 5,000 epochs), with its mistake fixed: the hidden softmax "
        "backpropagates through its full Jacobian and the output softmax "
        "through cross-entropy, p − y at the logits, instead of x(1 − x). "
        "Watch the accuracy reach 100%.",
        "spec": {
            "seed": 42,
            "init_rng": "mt19937_legacy",
            "init_order": "weights_first",
            "data": {"dataset": "course-exercise", "shuffle": False},
            "model": {"layers": [_course_layer(4, "softmax"), _course_layer(2, "softmax")]},
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "sgd", "lr": 0.1},
            "batch_size": "full",
            "epochs": 5_000,
        },
    },
    {
        "name": "circle",
        "title": "Circle (TF Playground default)",
        "description": "TF Playground's opening set-up: 2-4-2-1 tanh, lr 0.03, batch 10. "
        "Watch the first layer's neurons each draw a line, and the next "
        "layer bend them into a ring.",
        "spec": _tf("circle", [4, 2]),
    },
    {
        "name": "xor",
        "title": "XOR quadrants",
        "description": "Four quadrants, opposite corners alike. From x1 and x2 alone the "
        "8-4 tanh layers must combine lines into corners; switch x1·x2 on "
        "and a single neuron can do it.",
        "spec": _tf("xor", [8, 4]),
    },
    {
        "name": "gauss",
        "title": "Two Gaussians",
        "description": "Two clusters a single line separates: even one neuron learns it. "
        "Raise the noise to see where a line stops being enough.",
        "spec": _tf("gauss", [4, 2]),
    },
    {
        "name": "spiral",
        "title": "Spiral",
        "description": "The hard one: two interleaved arms. With all seven features and "
        "8-8 tanh trained by Adam the boundary winds along the arms.",
        "spec": _tf(
            "spiral",
            [8, 8],
            features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"),
            optimizer={"type": "adam", "lr": 0.01},
        ),
    },
    {
        "name": "reg-plane",
        "title": "Regression: plane",
        "description": "y = (x1 + x2)/10: a linear output neuron fits it almost at once.",
        "spec": _tf("reg-plane", [4, 2], loss="mse", output="linear"),
    },
    {
        "name": "reg-gauss",
        "title": "Regression: six bumps",
        "description": "Six Gaussian bumps up and down: the hidden neurons each carve out "
        "a region.",
        "spec": _tf(
            "reg-gauss", [8, 8], loss="mse", output="linear", optimizer={"type": "adam", "lr": 0.01}
        ),
    },
    {
        "name": "spiral-3",
        "title": "Three-arm spiral with softmax",
        "description": "Multi-class: three arms, one colour each, a softmax output with "
        "categorical cross-entropy.",
        "spec": {
            **_tf(
                "spiral",
                [16, 16],
                features=("x1", "x2", "sin(x1)", "sin(x2)"),
                optimizer={"type": "adam", "lr": 0.01},
                params={"classes": 3},
            ),
            "model": {
                "layers": [
                    {"type": "dense", "units": 16, "activation": "relu"},
                    {"type": "dense", "units": 16, "activation": "relu"},
                    {"type": "dense", "units": 3, "activation": "softmax"},
                ]
            },
            "loss": "categorical_crossentropy",
        },
    },
]


def _conv(filters: int, kernel: int = 3, padding: str = "same") -> dict:
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


_POOL = {"type": "maxpool2d", "pool_size": 2}
_FLATTEN = {"type": "flatten"}


def _softmax(classes: int) -> dict:
    return {"type": "dense", "units": classes, "activation": "softmax"}


PRESETS += [
    {
        "name": "digits-cnn",
        "title": "Digits: a LeNet-style CNN",
        "description": "8×8 handwritten digits through two 3×3 convolutions, each followed "
        "by 2×2 max pooling, then a softmax over the ten digits. Watch the "
        "first layer's filters turn into stroke detectors and the confusion "
        "matrix empty its off-diagonal cells (4s and 9s, 3s and 8s last); "
        "it passes 98% test accuracy within a minute.",
        "spec": _images(
            "digits", [_conv(8), _POOL, _conv(16), _POOL, _FLATTEN, _softmax(10)], lr=3e-3
        ),
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
            [_FLATTEN, {"type": "dense", "units": 64, "activation": "relu"}, _softmax(10)],
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
                _conv(8),
                {"type": "batchnorm"},
                _POOL,
                _conv(16),
                _POOL,
                _FLATTEN,
                {"type": "dropout", "rate": 0.25},
                _softmax(4),
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
                _conv(6, 5),
                _POOL,
                _conv(16, 5, "valid"),
                _POOL,
                _FLATTEN,
                {"type": "dense", "units": 120, "activation": "relu"},
                {"type": "dense", "units": 84, "activation": "relu"},
                _softmax(10),
            ],
            batch=64,
        ),
    },
]


def _sequences(
    dataset: str,
    layers: list[dict],
    loss: str,
    *,
    lr: float = 3e-3,
    batch: int = 32,
    clip_norm: float = 0.0,
    params: dict | None = None,
) -> dict:
    """Text and series: the output layer's units are left to the data (one logit a
    character, one output a step ahead)."""
    return {
        "seed": 1,
        "dtype": "float32",
        "data": {"dataset": dataset, **({"params": params} if params else {})},
        "model": {"layers": layers},
        "loss": loss,
        "optimizer": {"type": "adam", "lr": lr, "clip_norm": clip_norm},
        "batch_size": batch,
    }


def _char_model(dataset: str, recurrent: dict, params: dict | None = None, **kw) -> dict:
    layers = [
        {"type": "embedding", "dim": 32},
        {**recurrent, "return_sequences": True},
        {"type": "dense", "activation": "softmax"},
    ]
    return _sequences(dataset, layers, "categorical_crossentropy", params=params, **kw)


def _forecaster(dataset: str, recurrent: dict, **kw) -> dict:
    layers = [recurrent, {"type": "dense"}]
    return _sequences(dataset, layers, "mse", **kw)


_COPY_DELAY = {"delay": 20, "seq_len": 46}
PRESETS += [
    {
        "name": "char-lstm",
        "title": "Text: a character LSTM on Python source",
        "description": "Real code from Python's standard library, one character at a time: "
        "an embedding, an LSTM of 128 units and a softmax over the characters. "
        "The sampled text goes from noise to words to indented lines with "
        "def, self and colons within a few minutes; lower the temperature "
        "for safer text, raise it for wilder.",
        "spec": _char_model(
            "python-source",
            {"type": "lstm", "units": 128},
            {"chars": 500_000},  # less, and it learns the modules' names by heart
            clip_norm=5.0,
        ),
    },
    {
        "name": "copy-rnn",
        "title": "Memory: a plain RNN on the delayed copy",
        "description": "A letter, 20 dots, the same letter again. A plain tanh RNN learns "
        "the dots and the newline, but not the copy: open the gradient-norm "
        "view and see ‖dL/dh_t‖ fall by orders of magnitude within a few "
        "steps back, so the error at the copy never reaches the letter. "
        "Compare with copy-lstm.",
        "spec": _char_model(
            "delayed-copy", {"type": "rnn", "units": 64}, _COPY_DELAY, clip_norm=1.0
        ),
    },
    {
        "name": "copy-lstm",
        "title": "Memory: an LSTM on the delayed copy",
        "description": "The same task as copy-rnn with an LSTM: its cell carries the "
        "letter across the 20 dots (watch the forget gate stay open in the "
        "gates view), and the gradient's norm through time stays level.",
        "spec": _char_model(
            "delayed-copy", {"type": "lstm", "units": 64}, _COPY_DELAY, clip_norm=1.0
        ),
    },
    {
        "name": "brackets-gru",
        "title": "Memory: a GRU closes brackets",
        "description": "Lines of nested ()[]{}: which bracket closes next was decided "
        "by one opened any number of steps before. A GRU of 64 units learns "
        "to keep the stack in its state; hover the sampled text to see how "
        "sure it is of each closer.",
        "spec": _char_model("brackets", {"type": "gru", "units": 64}, clip_norm=1.0),
    },
    {
        "name": "sine-forecast",
        "title": "Series: forecasting a sine mixture",
        "description": "Three sines and noise; an LSTM of 32 units reads 48 steps and "
        "forecasts the next 12. Watch the free-running forecast (each "
        "prediction fed back in) hold the rhythm over the held-out part.",
        "spec": _forecaster("sine", {"type": "lstm", "units": 32}, lr=1e-2),
    },
    {
        "name": "airline-forecast",
        "title": "Series: airline passengers 1949-1960",
        "description": "Box and Jenkins' monthly passengers: a trend and a season that "
        "grows with it, so the held-out years lie above anything seen in "
        "training. Each window is read as ratios to its last month (relative "
        "windows), and a GRU reads two years and forecasts the next one; the "
        "forecast view scores it (MASE) against repeating last year, the "
        "seasonal-naive forecast. Set relative to 0 to see standardized levels fail.",
        "spec": _forecaster(
            "airline", {"type": "gru", "units": 32}, lr=1e-2, batch=16, params={"relative": 1}
        ),
    },
]


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
        _FLATTEN,
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": code, "name": "code"},
        {"type": "dense", "units": 32, "activation": "relu"},
        {"type": "dense", "units": 64, "activation": "sigmoid"},
        {"type": "reshape", "shape": [8, 8, 1]},
    ]


PRESETS += [
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
                _conv(8),
                _POOL,
                _conv(4),
                {**_POOL, "name": "code"},
                {"type": "upsample2d", "size": 2},
                _conv(8),
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
                    _FLATTEN,
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


def _dense_stack(hidden: list[int], output: dict, **layer) -> dict:
    """{"layers": [...]}: dense layers of `hidden` units (relu unless `layer` says),
    then `output`."""
    dense = {"type": "dense", "activation": "relu", **layer}
    return {"layers": [{**dense, "units": n} for n in hidden] + [{**dense, **output}]}


def _gan(
    dataset: str,
    generator: dict,
    discriminator: dict,
    *,
    loss: str = "non_saturating",
    noise: dict,
    optimizer: dict,
    batch: int,
    params: dict | None = None,
) -> dict:
    return {
        "seed": 1,
        "dtype": "float32",
        "objective": "adversarial",
        "data": {"dataset": dataset, **({"params": params} if params else {})},
        "generator": generator,
        "discriminator": discriminator,
        "noise": noise,
        "gan_loss": loss,
        "d_steps": 1,
        "g_steps": 1,
        "optimizer": optimizer,
        "batch_size": batch,
    }


# GAN Lab's model: two hidden layers of 8 ReLUs in each network, weights normal with
# std 1/√fan_in (LeCun's), zero biases, a tanh generator output, SGD at 0.1 for both,
# batch 150, 2-D uniform noise, its "log loss" (the discriminator's cross-entropy, the
# generator's −log D(G(z))); GAN Lab draws its noise on [0, 1], this engine on [-1, 1]
_GAN_LAB_LAYER = {"init": "lecun_normal", "bias_init": "zeros"}


def _gan_lab(dataset: str) -> dict:
    return _gan(
        dataset,
        _dense_stack([8, 8], {"units": 2, "activation": "tanh"}, **_GAN_LAB_LAYER),
        _dense_stack([8, 8], {"units": 1, "activation": "sigmoid"}, **_GAN_LAB_LAYER),
        noise={"dim": 2, "distribution": "uniform"},
        optimizer={"type": "sgd", "lr": 0.1},
        batch=150,
        params={"n_samples": 12_000},  # GAN Lab's atlas of real samples
    )


def _eight_gaussians(loss: str) -> dict:
    return _gan(
        "eight-gaussians",
        _dense_stack([64, 64, 64], {"units": 2, "activation": "linear"}),
        _dense_stack([64, 64, 64], {"units": 1, "activation": "sigmoid"}),
        loss=loss,
        noise={"dim": 2, "distribution": "normal"},
        optimizer={"type": "adam", "lr": 2e-4, "beta1": 0.5},
        batch=256,
    )


PRESETS += [
    {
        "name": "gan-lab",
        "title": "GAN: GAN Lab's two Gaussian hills",
        "description": "GAN Lab's opening set-up: a round hill and a tall narrow one, "
        "generator and discriminator of two 8-ReLU layers each, SGD at 0.1, batch 150. "
        "Step D and watch the heatmap (the discriminator's belief that a point is real) "
        "grow over the real points; step G and watch the fake points follow the arrows "
        "(the generator's gradient). The warped grid is where the generator sends the "
        "square of noise. From scratch networks this small learn slowly (GAN Lab opens "
        "with a pre-trained model): the fakes first match the data's mean and spread as "
        "one blob while the discriminator, barely ahead, stays near 0.5 everywhere.",
        "spec": _gan_lab("gan-gaussians"),
    },
    {
        "name": "gan-ring",
        "title": "GAN: a ring",
        "description": "The same networks on GAN Lab's ring. The generator must bend the "
        "square of noise into a loop: watch the warped grid fold and stretch, and the "
        "points that cross the hole get pushed to the rim.",
        "spec": _gan_lab("gan-ring"),
    },
    {
        "name": "gan-eight-minimax",
        "title": "GAN: eight Gaussians, minimax loss (mode collapse)",
        "description": "Eight narrow modes on a circle. With the original minimax loss the "
        "generator minimizes log(1 − D(G(z))), whose gradient vanishes where the "
        "discriminator is sure a point is fake: points stranded between modes get "
        "little push. Watch modes and high_quality in the history: on this set-up it "
        "covers the modes too, but later than gan-eight-non-saturating, and its "
        "quality swings more.",
        "spec": _eight_gaussians("minimax"),
    },
    {
        "name": "gan-eight-non-saturating",
        "title": "GAN: eight Gaussians, non-saturating loss",
        "description": "The same set-up with the generator maximizing log D(G(z)) "
        "instead: strong gradients where the discriminator rejects its points. It "
        "covers seven or eight modes within a minute, most points within 3σ of one; "
        "GANs oscillate, so watch the quality rise and dip as the two networks chase.",
        "spec": _eight_gaussians("non_saturating"),
    },
    {
        "name": "gan-digits",
        "title": "GAN: handwritten digits",
        "description": "A generator of 32 normal numbers through 128 and 256 ReLUs to 64 "
        "tanh pixels, against a discriminator of 256 and 128 ReLUs. The fixed-noise grid "
        "goes from grey noise to blobs to strokes to digits over a couple of minutes; "
        "each cell keeps its noise, so you watch one digit take shape.",
        "spec": _gan(
            "digits",
            {
                "layers": [
                    {"type": "dense", "units": 128, "activation": "relu"},
                    {"type": "dense", "units": 256, "activation": "relu"},
                    {"type": "dense", "units": 64, "activation": "tanh"},
                    {"type": "reshape", "shape": [8, 8, 1]},
                ]
            },
            {
                "layers": [
                    _FLATTEN,
                    {"type": "dense", "units": 256, "activation": "leaky_relu"},
                    {"type": "dense", "units": 128, "activation": "leaky_relu"},
                    {"type": "dense", "units": 1, "activation": "sigmoid"},
                ]
            },
            noise={"dim": 32, "distribution": "normal"},
            optimizer={"type": "adam", "lr": 2e-4, "beta1": 0.5},
            batch=64,
        ),
    },
]
_BY_NAME = {p["name"]: p for p in PRESETS}


def list_presets() -> list[dict]:
    return copy.deepcopy(PRESETS)


def get_preset(name: str) -> dict:
    if name not in _BY_NAME:
        raise SpecError("preset", f"unknown preset {name!r}; choose one of {', '.join(_BY_NAME)}")
    return copy.deepcopy(_BY_NAME[name])
