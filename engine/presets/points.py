"""The 2-D playground's presets: the course's examples and TF Playground's set-ups (its
defaults: noise 0, half the points for testing, batch 10, tanh, with what each dataset
needs to reach a low test loss: more neurons or features for the spiral, Adam where
plain SGD crawls)."""

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
