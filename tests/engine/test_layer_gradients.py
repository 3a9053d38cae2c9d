"""Every image, shape and regularizing layer's backward against central finite
differences (float64): the input gradient and each parameter's, for the output
contracted with a random upstream gradient (cs231n's pattern, as test_gradients.py).

Each layer is built inside a one-layer Model, so its parameters are views into the
model's flat vector as in training. Also: the spec errors these layers raise.
"""

import numpy as np
import pytest
from test_gradients import RTOL, check_model_gradient, numeric_grad, rel_error

from engine import Session
from engine.errors import SpecError
from engine.losses import get_loss
from engine.model import Model

H = 1e-5
"""A larger step than test_gradients' 1e-6: these layers sum many terms per output, and
the rounding error of f, divided by 2h, would otherwise reach the tolerance for the
smallest gradient entries; the truncation error (h²) stays far below it."""


def one_layer(spec: dict, input_shape: tuple, seed: int = 0) -> Model:
    model = Model([spec], input_shape)
    rng = np.random.default_rng(seed)
    model.initialize(rng)
    model.params += rng.uniform(-0.3, 0.3, model.params.shape)  # gammas and biases too
    return model


def check_layer(
    spec: dict,
    input_shape: tuple,
    training: bool = True,
    batch: int = 2,
    seed: int = 0,
    rng_seed: int | None = None,
) -> None:
    """dx and every parameter's gradient of sum(forward(x) * dy) against finite
    differences. `rng_seed`: the layer draws (dropout); each evaluation gets a fresh
    generator with the same seed, so the same mask."""
    model = one_layer(spec, input_shape, seed)
    layer = model.layers[0]
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((batch, *input_shape))

    def draw():
        return None if rng_seed is None else np.random.default_rng(rng_seed)

    def f():
        return float((layer.forward(x, training, draw()) * dy).sum())

    dy = rng.standard_normal((batch, *layer.output_shape))
    out = layer.forward(x, training, draw())
    assert out.shape == (batch, *layer.output_shape)
    model.grads.fill(0.0)
    dx = layer.backward(dy, True).copy()
    analytic = model.grads.copy()
    assert rel_error(dx, numeric_grad(f, x, H)) < RTOL
    if model.params.size:
        assert rel_error(analytic, numeric_grad(f, model.params, H)) < RTOL
    # the first layer's backward skips the input gradient but keeps the others
    layer.forward(x, training, draw())
    model.grads.fill(0.0)
    assert layer.backward(dy, False) is None
    assert np.array_equal(model.grads, analytic)


def conv(**fields) -> dict:
    return {"type": "conv2d", "filters": 3, "kernel_size": 3, **fields}


@pytest.mark.parametrize(
    "spec,input_shape",
    [
        (conv(kernel_size=1), (4, 3, 2)),
        (conv(kernel_size=2), (5, 4, 2)),
        (conv(), (7, 5, 3)),
        (conv(padding="same"), (7, 5, 3)),
        (conv(padding=1), (7, 5, 2)),
        (conv(kernel_size=2, padding="same"), (7, 5, 2)),  # even: the extra row at the bottom
        (conv(kernel_size=4, padding="same"), (5, 6, 1)),
        (conv(stride=2), (7, 5, 2)),
        (conv(stride=2, padding="same"), (7, 5, 2)),
        (conv(stride=2, padding=1), (6, 6, 2)),
        (conv(kernel_size=2, stride=2), (5, 5, 2)),  # windows that do not overlap
        (conv(kernel_size=1, stride=2), (5, 5, 3)),
        (conv(kernel_size=[2, 3], stride=[1, 2], padding="same"), (7, 5, 2)),
        (conv(kernel_size=[3, 1], padding=1), (4, 5, 3)),
        (conv(kernel_size=[1, 3], stride=[2, 1]), (5, 4, 1)),
        (conv(filters=5, padding=2), (3, 3, 8)),  # kw·c > ow: the other im2col layout
        (conv(activation="tanh", padding="same"), (6, 5, 2)),
        (conv(activation="sigmoid", stride=[2, 1], padding=1), (5, 5, 2)),
    ],
)
def test_conv2d_gradients(spec, input_shape):
    check_layer(spec, input_shape)


@pytest.mark.parametrize("kind", ["maxpool2d", "avgpool2d"])
@pytest.mark.parametrize(
    "fields,input_shape",
    [
        ({}, (4, 6, 2)),
        ({}, (5, 7, 3)),  # not divisible: the last row and column are dropped
        ({"pool_size": 3}, (7, 6, 2)),
        ({"pool_size": 3, "stride": 2}, (7, 7, 2)),  # overlapping windows
        ({"pool_size": 2, "stride": 1}, (4, 5, 1)),
        ({"pool_size": [2, 3], "stride": [1, 2]}, (5, 7, 2)),
        ({"pool_size": 1}, (3, 3, 2)),
        ({"pool_size": [1, 2], "stride": 3}, (5, 8, 2)),  # gaps between windows
    ],
)
def test_pooling_gradients(kind, fields, input_shape):
    check_layer({"type": kind, **fields}, input_shape)


def test_global_avgpool2d_gradient():
    check_layer({"type": "global_avgpool2d"}, (3, 5, 4))


@pytest.mark.parametrize(
    "size,input_shape", [(2, (3, 4, 2)), ([1, 3], (2, 3, 1)), ([3, 2], (2, 2, 3))]
)
def test_upsample2d_gradient(size, input_shape):
    check_layer({"type": "upsample2d", "size": size}, input_shape)


@pytest.mark.parametrize(
    "spec,input_shape",
    [
        ({"type": "flatten"}, (3, 4, 2)),
        ({"type": "flatten"}, (5,)),
        ({"type": "reshape", "shape": [4, -1]}, (3, 4, 2)),
        ({"type": "reshape", "shape": [2, 3, 4]}, (24,)),
    ],
)
def test_shape_layer_gradients(spec, input_shape):
    check_layer(spec, input_shape)


@pytest.mark.parametrize("rate", [0.0, 0.3, 0.8])
@pytest.mark.parametrize("input_shape", [(6,), (3, 4, 2)])
def test_dropout_gradient_with_its_mask_fixed(rate, input_shape):
    check_layer({"type": "dropout", "rate": rate}, input_shape, rng_seed=11)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("input_shape,batch", [((4,), 5), ((3, 4, 2), 2)])
def test_batchnorm_gradients(training, input_shape, batch):
    check_layer({"type": "batchnorm"}, input_shape, training=training, batch=batch)


def test_frozen_batchnorm_still_gives_its_input_gradient():
    check_layer({"type": "batchnorm", "trainable": False}, (3,), batch=4)


CONV_STACKS = {
    "conv, maxpool, flatten, dense softmax": [
        conv(filters=4, padding="same", activation="tanh"),
        {"type": "maxpool2d"},
        {"type": "flatten"},
        {"type": "dense", "units": 3, "activation": "softmax"},
    ],
    "conv, batchnorm, activation, avgpool, global pooling, dense": [
        conv(filters=4, stride=[1, 2]),
        {"type": "batchnorm"},
        {"type": "activation", "activation": "tanh"},
        {"type": "avgpool2d", "stride": 1},
        {"type": "global_avgpool2d"},
        {"type": "dense", "units": 3, "activation": "softmax"},
    ],
    "upsample, conv, reshape, dropout, dense": [
        {"type": "upsample2d"},
        conv(filters=2, kernel_size=2, stride=2, activation="tanh"),
        {"type": "reshape", "shape": [-1]},
        {"type": "dropout", "rate": 0.4},
        {"type": "dense", "units": 3, "activation": "softmax"},
    ],
}


@pytest.mark.parametrize("name", list(CONV_STACKS))
def test_conv_stack_gradient_through_model_backprop(name):
    model = Model(CONV_STACKS[name], (6, 6, 2))
    rng = np.random.default_rng(4)
    model.initialize(rng)
    model.params += rng.uniform(-0.2, 0.2, model.params.shape)
    x = rng.standard_normal((3, 6, 6, 2))
    y = np.eye(3)[rng.integers(0, 3, 3)]
    loss = get_loss("categorical_crossentropy")
    model.grads.fill(0.0)
    model.backprop(x, y, loss, rng=np.random.default_rng(9))
    analytic = model.grads.copy()

    def f():
        return loss.value(model.forward(x, True, np.random.default_rng(9)), y)

    assert rel_error(analytic, numeric_grad(f, model.params, H)) < RTOL


def test_conv_output_layer_with_a_fused_sigmoid_loss():
    """A convolution can end a model (a segmentation map); sigmoid with binary
    cross-entropy then takes the fused gradient at its logits."""
    model = Model(
        [conv(filters=4, padding="same"), conv(filters=1, kernel_size=1, activation="sigmoid")],
        (5, 4, 2),
    )
    rng = np.random.default_rng(6)
    model.initialize(rng)
    x = rng.standard_normal((2, 5, 4, 2))
    y = rng.integers(0, 2, (2, 5, 4, 1)).astype(float)
    loss = get_loss("binary_crossentropy")
    assert model.fused(loss)
    check_model_gradient(model, x, y, loss)


# -- spec errors ---------------------------------------------------------------------


def image_spec(layers, shape=(4, 4, 1)) -> dict:
    X = np.zeros((4, *shape)).tolist()
    return {
        "data": {"dataset": "inline", "X": X, "y": [0, 1, 0, 1]},
        "model": {
            "layers": [
                *layers,
                {"type": "flatten"},
                {"type": "dense", "units": 2, "activation": "softmax"},
            ]
        },
        "loss": "categorical_crossentropy",
    }


@pytest.mark.parametrize(
    "layers,shape,path,words",
    [
        ([conv(kernel_size=0)], (4, 4, 1), "model.layers[0].kernel_size", "at least 1"),
        (
            [conv(kernel_size=[3, 3, 3])],
            (4, 4, 1),
            "model.layers[0].kernel_size",
            "[rows, columns]",
        ),
        (
            [conv(kernel_size=5)],
            (4, 4, 1),
            "model.layers[0].kernel_size",
            "kernel 5×5 is larger than the input 4×4",
        ),
        (
            [conv(kernel_size=[2, 7], padding=1)],
            (4, 4, 1),
            "model.layers[0].kernel_size",
            "kernel 2×7 is larger than the padded input 6×6",
        ),
        ([conv(stride=0)], (4, 4, 1), "model.layers[0].stride", "at least 1"),
        ([conv(padding="full")], (4, 4, 1), "model.layers[0].padding", "same, valid"),
        ([conv(padding=-1)], (4, 4, 1), "model.layers[0].padding", "at least 0"),
        ([conv(filters=0)], (4, 4, 1), "model.layers[0].filters", "at least 1"),
        (
            [conv(kernel_size=3)],
            (6,),
            "model.layers[0]",
            "conv2d needs (height, width, channels) inputs, received shape (6,)",
        ),
        (
            [{"type": "flatten"}, conv()],
            (4, 4, 1),
            "model.layers[1]",
            "conv2d needs (height, width, channels) inputs, received shape (16,)",
        ),
        (
            [{"type": "maxpool2d", "pool_size": 5}],
            (4, 4, 1),
            "model.layers[0].pool_size",
            "pool 5×5 is larger than the input 4×4",
        ),
        ([{"type": "avgpool2d"}], (6,), "model.layers[0]", "avgpool2d needs (height, width"),
        ([{"type": "global_avgpool2d"}], (6,), "model.layers[0]", "global_avgpool2d needs"),
        ([{"type": "upsample2d", "size": 0}], (4, 4, 1), "model.layers[0].size", "at least 1"),
        (
            [{"type": "reshape", "shape": [3, -1]}],
            (4, 4, 1),
            "model.layers[0].shape",
            "cannot reshape the input (4, 4, 1) (16 values) into (3, -1)",
        ),
        (
            [{"type": "reshape", "shape": [4, 5]}],
            (4, 4, 1),
            "model.layers[0].shape",
            "(16 values) into (4, 5)",
        ),
        (
            [{"type": "reshape", "shape": [-1, -1]}],
            (4, 4, 1),
            "model.layers[0].shape",
            "at most one -1",
        ),
        ([{"type": "dropout", "rate": 1}], (4, 4, 1), "model.layers[0].rate", "must be below 1"),
        ([{"type": "dropout", "rate": -0.1}], (4, 4, 1), "model.layers[0].rate", "at least 0"),
        ([{"type": "batchnorm", "eps": 0}], (4, 4, 1), "model.layers[0].eps", "at least"),
        (
            [{"type": "batchnorm", "momentum": 2}],
            (4, 4, 1),
            "model.layers[0].momentum",
            "at most 1",
        ),
        ([conv(units=3)], (4, 4, 1), "model.layers[0].units", "unknown field 'units'"),
        (
            [{"type": "maxpool2d", "padding": "same"}],
            (4, 4, 1),
            "model.layers[0].padding",
            "unknown field 'padding'",
        ),
        (
            [{"type": "conv2d", "kernel_size": 3}],
            (4, 4, 1),
            "model.layers[0].filters",
            "is required",
        ),
    ],
)
def test_spec_errors_name_the_field(layers, shape, path, words):
    with pytest.raises(SpecError) as info:
        Session.from_spec(image_spec(layers, shape))
    assert info.value.path == path
    assert words in info.value.message


def test_dropout_while_training_needs_an_rng():
    model = Model([{"type": "dropout", "rate": 0.5}], (3,))
    with pytest.raises(ValueError, match="needs the rng"):
        model.forward(np.ones((2, 3)), training=True)
    assert np.array_equal(model.forward(np.ones((2, 3))), np.ones((2, 3)))  # inference
