"""Every bad spec raises SpecError naming the offending path and what was received."""

import copy

import pytest

from engine import Session, SpecError

BASE = {
    "seed": 1,
    "data": {"dataset": "inline", "X": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": [[0], [1], [1], [0]]},
    "model": {
        "layers": [
            {"type": "dense", "units": 3, "activation": "tanh"},
            {"type": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "loss": "binary_crossentropy",
    "optimizer": {"type": "sgd", "lr": 0.1},
    "batch_size": 2,
}
SPIRAL_3 = {
    "data": {"dataset": "spiral", "params": {"classes": 3, "n_samples": 30}},
    "loss": "categorical_crossentropy",
}


def spec_with(**changes) -> dict:
    """BASE with top-level fields replaced; a value None deletes the field."""
    spec = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            del spec[key]
        else:
            spec[key] = value
    return spec


def layers(*specs) -> dict:
    return {"layers": list(specs)}


def data(**changes) -> dict:
    return {**copy.deepcopy(BASE["data"]), **changes}


def layer0(**changes) -> dict:
    return layers({**BASE["model"]["layers"][0], **changes}, BASE["model"]["layers"][1])


CSV_BAD_CELL = "a,b,t\n1,2,0\n3,x,1\n"

# (id, spec, path, text the message must contain: usually what was received)
CASES = [
    ("not-an-object", [1, 2], "", "[1, 2]"),
    ("unknown-top-level-field", spec_with(learning_rate=0.1), "learning_rate", "'learning_rate'"),
    ("missing-model", spec_with(model=None), "model", "required"),
    ("missing-data", spec_with(data=None), "data", "required"),
    ("name-not-text", spec_with(name=5), "name", "5"),
    ("seed-negative", spec_with(seed=-1), "seed", "-1"),
    ("seed-too-big", spec_with(seed=2**32), "seed", str(2**32)),
    ("seed-fraction", spec_with(seed=1.5), "seed", "1.5"),
    ("dtype-float16", spec_with(dtype="float16"), "dtype", "'float16'"),
    ("init-rng", spec_with(init_rng="mersenne"), "init_rng", "'mersenne'"),
    ("batch-size-zero", spec_with(batch_size=0), "batch_size", "0"),
    ("batch-size-text", spec_with(batch_size="all"), "batch_size", "'all'"),
    ("batch-size-bool", spec_with(batch_size=True), "batch_size", "True"),
    ("epochs-zero", spec_with(epochs=0), "epochs", "0"),
    ("loss-unknown", spec_with(loss="hinge"), "loss", "'hinge'"),
    ("optimizer-type", spec_with(optimizer={"type": "lbfgs"}), "optimizer.type", "'lbfgs'"),
    ("optimizer-name", spec_with(optimizer="nadam"), "optimizer.type", "'nadam'"),
    ("optimizer-not-object", spec_with(optimizer=3), "optimizer", "3"),
    (
        "optimizer-lr-negative",
        spec_with(optimizer={"type": "sgd", "lr": -0.5}),
        "optimizer.lr",
        "-0.5",
    ),
    (
        "optimizer-beta1-one",
        spec_with(optimizer={"type": "adam", "beta1": 1.0}),
        "optimizer.beta1",
        "1.0",
    ),
    (
        "optimizer-foreign-field",
        spec_with(optimizer={"type": "adam", "momentum": 0.9}),
        "optimizer.momentum",
        "'momentum'",
    ),
    (
        "nesterov-without-momentum",
        spec_with(optimizer={"type": "sgd", "nesterov": True}),
        "optimizer.nesterov",
        "momentum",
    ),
    (
        "regularization-type",
        spec_with(regularization={"type": "l3"}),
        "regularization.type",
        "'l3'",
    ),
    (
        "regularization-rate",
        spec_with(regularization={"type": "l2", "rate": -1}),
        "regularization.rate",
        "-1",
    ),
    (
        "regularization-field",
        spec_with(regularization={"type": "l2", "lambda": 1}),
        "regularization.lambda",
        "'lambda'",
    ),
    ("model-not-object", spec_with(model=[1]), "model", "[1]"),
    ("layers-empty", spec_with(model=layers()), "model.layers", "[]"),
    (
        "units-negative",
        spec_with(model=layers(BASE["model"]["layers"][0], {"units": -3, "activation": "sigmoid"})),
        "model.layers[1].units",
        "-3",
    ),
    ("units-fraction", spec_with(model=layer0(units=2.5)), "model.layers[0].units", "2.5"),
    (
        "units-missing",
        spec_with(model=layers({"activation": "tanh"}, {"units": 1})),
        "model.layers[0].units",
        "required",
    ),
    (
        "activation-unknown",
        spec_with(model=layer0(activation="relux")),
        "model.layers[0].activation",
        "'relux'",
    ),
    (
        "activation-layer-without-activation",
        spec_with(model=layers({"units": 1}, {"type": "activation"})),
        "model.layers[1].activation",
        "required",
    ),
    ("layer-type", spec_with(model=layer0(type="conv9")), "model.layers[0].type", "'conv9'"),
    (
        "layer-unknown-field",
        spec_with(model=layer0(dropout=0.5)),
        "model.layers[0].dropout",
        "'dropout'",
    ),
    (
        "trainable-text",
        spec_with(model=layer0(trainable="no")),
        "model.layers[0].trainable",
        "'no'",
    ),
    (
        "init-uniform-low-above-high",
        spec_with(model=layer0(init={"type": "uniform", "low": 1, "high": 0})),
        "model.layers[0].init",
        "low=1.0, high=0.0",
    ),
    (
        "init-unknown",
        spec_with(model=layer0(init="orthogonal")),
        "model.layers[0].init.type",
        "'orthogonal'",
    ),
    (
        "init-normal-std",
        spec_with(model=layer0(init={"type": "normal", "std": -1})),
        "model.layers[0].init.std",
        "-1",
    ),
    (
        "bias-init-field",
        spec_with(model=layer0(bias_init={"type": "zeros", "value": 2})),
        "model.layers[0].bias_init.value",
        "'value'",
    ),
    ("data-not-object", spec_with(data="circle"), "data", "'circle'"),
    ("data-unknown-field", spec_with(data=data(labels=[1])), "data.labels", "'labels'"),
    ("dataset-unknown", spec_with(data={"dataset": "cifar10"}), "data.dataset", "'cifar10'"),
    (
        "dataset-params-unknown",
        spec_with(data={"dataset": "circle", "params": {"radius": 2}}),
        "data.params.radius",
        "'radius'",
    ),
    (
        "noise-out-of-range",
        spec_with(data={"dataset": "circle", "params": {"noise": 0.9}}),
        "data.params.noise",
        "0.9",
    ),
    (
        "n-samples-too-few",
        spec_with(data={"dataset": "xor", "params": {"n_samples": 2}}),
        "data.params.n_samples",
        "2",
    ),
    (
        "test-fraction-1.5",
        spec_with(data={"dataset": "circle", "test_fraction": 1.5}),
        "data.test_fraction",
        "1.5",
    ),
    (
        "test-fraction-leaves-nothing",
        spec_with(data=data(test_fraction=0.9)),
        "data.test_fraction",
        "4",
    ),
    ("shuffle-text", spec_with(data=data(shuffle="yes")), "data.shuffle", "'yes'"),
    (
        "X-for-generated-data",
        spec_with(data={"dataset": "circle", "X": [[1, 2]]}),
        "data.X",
        "'circle'",
    ),
    ("inline-X-missing", spec_with(data={"dataset": "inline", "y": [[0]]}), "data.X", "required"),
    (
        "inline-X-ragged",
        spec_with(data=data(X=[[0, 0], [0], [1, 0], [1, 1]])),
        "data.X",
        "equal length",
    ),
    (
        "inline-X-text",
        spec_with(data=data(X=[[0, 0], [0, "a"], [1, 0], [1, 1]])),
        "data.X",
        "numbers",
    ),
    (
        "inline-X-nan",
        spec_with(data=data(X=[[0, 0], [0, float("nan")], [1, 0], [1, 1]])),
        "data.X",
        "row 1",
    ),
    ("inline-y-length", spec_with(data=data(y=[[0], [1], [1]])), "data.y", "3 rows"),
    (
        "inline-y-not-classes",
        spec_with(data=data(y=[[0], [1.5], [1], [0]])),
        "data.y",
        "class indices",
    ),
    ("view-not-a-pair", spec_with(data=data(view=[-6])), "data.view", "[-6]"),
    ("view-text", spec_with(data=data(view=[-6, "6"])), "data.view[1]", "'6'"),
    ("view-reversed", spec_with(data=data(view=[6, -6])), "data.view", "[6.0, -6.0]"),
    (
        "view-of-generated-data",
        spec_with(data={"dataset": "circle", "view": [-1, 1]}),
        "data.view",
        "'circle'",
    ),
    ("task-unknown", spec_with(data=data(task="clustering")), "data.task", "'clustering'"),
    (
        "features-unknown",
        spec_with(data={"dataset": "circle", "features": ["x3"]}),
        "data.features[0]",
        "'x3'",
    ),
    (
        "features-twice",
        spec_with(data={"dataset": "circle", "features": ["x1", "x1"]}),
        "data.features[1]",
        "'x1'",
    ),
    (
        "features-on-3-column-data",
        {
            **spec_with(data={"dataset": "course-exercise", "features": ["x1", "x2"]}),
            "model": layers({"units": 2, "activation": "softmax"}),
            "loss": "categorical_crossentropy",
        },
        "data.features",
        "3 columns",
    ),
    (
        "features-on-inline-3-columns",
        spec_with(data=data(X=[[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], features=["x1"])),
        "data.features",
        "3 columns",
    ),
    (
        "output-units-below-classes",
        {
            **spec_with(**SPIRAL_3),
            "model": layers(
                {"units": 4, "activation": "tanh"}, {"units": 2, "activation": "softmax"}
            ),
        },
        "model.layers[1].units",
        "3 classes",
    ),
    (
        "output-units-vs-target-columns",
        spec_with(
            model=layers({"units": 3}, {"units": 2, "activation": "sigmoid"}),
            loss="mse",
            data=data(task="regression"),
        ),
        "model.layers[1].units",
        "2 units",
    ),
    (
        "csv-bad-cell",
        {
            **spec_with(data={"dataset": "csv", "csv": CSV_BAD_CELL, "targets": ["t"]}),
            "model": layers({"units": 1, "activation": "sigmoid"}),
        },
        "data.csv",
        "line 3 (row 2 of data), column 'b': 'x' is not a number",
    ),
    (
        "csv-unknown-target",
        {
            **spec_with(data={"dataset": "csv", "csv": "a,b,t\n1,2,0\n", "targets": ["z"]}),
            "model": layers({"units": 1, "activation": "sigmoid"}),
        },
        "data.targets[0]",
        "'z'",
    ),
    (
        "csv-not-text",
        {
            **spec_with(data={"dataset": "csv", "csv": 12, "targets": ["t"]}),
            "model": layers({"units": 1, "activation": "sigmoid"}),
        },
        "data.csv",
        "CSV",
    ),
]


@pytest.mark.parametrize(
    ("spec", "path", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_spec_raises_spec_error_naming_path_and_value(spec, path, text):
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec)
    assert info.value.path == path
    assert text in info.value.message
    assert str(info.value) == (f"{path}: {info.value.message}" if path else info.value.message)


def test_the_base_spec_is_valid():
    Session.from_spec(BASE).step(steps=1)


# ---- edge cases ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [["relu"], {"type": "relu"}], ids=["list", "dict"])
def test_activation_of_the_wrong_type_raises_spec_error(activation):
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec_with(model=layer0(activation=activation)))
    assert info.value.path == "model.layers[0].activation"


def test_output_units_error_names_the_last_dense_layer_before_an_activation_layer():
    spec = {
        **spec_with(**SPIRAL_3),
        "model": layers(
            {"units": 4, "activation": "tanh"},
            {"units": 2},
            {"type": "activation", "activation": "softmax"},
        ),
    }
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec)
    assert info.value.path == "model.layers[1].units"


@pytest.mark.parametrize(
    "dataset",
    [{"dataset": "spiral", "params": {"classes": 3}}, {"dataset": "blobs"}],
    ids=["spiral-3", "blobs"],
)
def test_one_output_unit_for_more_than_two_classes_is_rejected(dataset):
    spec = {
        **spec_with(data=dataset),
        "model": layers({"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}),
    }
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec)
    assert info.value.path == "model.layers[1].units"
    assert "3 classes" in info.value.message


@pytest.mark.parametrize(
    "loss,dataset",
    [("binary_crossentropy", "reg-plane"), ("categorical_crossentropy", "reg-gauss")],
)
def test_cross_entropy_on_regression_targets_is_rejected(loss, dataset):
    spec = {
        "data": {"dataset": dataset, "params": {"n_samples": 50}},
        "model": {"layers": [{"units": 1, "activation": "sigmoid"}]},
        "loss": loss,
    }
    with pytest.raises(SpecError) as err:
        Session.from_spec(spec)
    assert err.value.path == "loss"
    assert "mse" in err.value.message
