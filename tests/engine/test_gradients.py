"""Every backward pass against central finite differences (float64, relative error < 1e-6).

cs231n's pattern: contract the output with a random upstream gradient, so one scalar
function checks the whole Jacobian-vector product.
"""

import numpy as np
import pytest

from engine.activations import ACTIVATIONS, get_activation
from engine.losses import LOSSES, get_loss
from engine.model import Model

RTOL = 1e-6
H = 1e-6


def rel_error(a, b):
    return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))


def numeric_grad(f, x, h=H):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def away_from_kinks(rng, shape):
    """Inputs at least 0.1 from 0, where relu-like functions have no derivative."""
    x = rng.uniform(0.1, 2.0, shape)
    return x * rng.choice([-1.0, 1.0], shape)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4)])
def test_activation_backward_matches_finite_differences(name, shape):
    rng = np.random.default_rng(0)
    act = get_activation(name)
    z = away_from_kinks(rng, shape)
    dout = rng.standard_normal(shape)

    def f():
        return float((act.forward(z, np.empty_like(z)) * dout).sum())

    a = act.forward(z, np.empty_like(z))
    analytic = act.backward(z, a, dout, np.empty_like(z))
    assert rel_error(analytic, numeric_grad(f, z)) < RTOL


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    rng = np.random.default_rng(1)
    loss = get_loss(name)
    if name == "categorical_crossentropy":
        p = rng.dirichlet(np.ones(3), size=5)
        y = np.eye(3)[rng.integers(0, 3, 5)]
    elif name == "binary_crossentropy":
        p = rng.uniform(0.05, 0.95, (5, 2))
        y = rng.integers(0, 2, (5, 2)).astype(float)
    else:
        y = rng.standard_normal((5, 2))
        p = y + away_from_kinks(rng, (5, 2))  # |p - y| in [0.1, 2]
        if name == "huber":
            p = y + rng.choice([-1, 1], (5, 2)) * rng.choice([0.5, 1.5], (5, 2))
    analytic = loss.grad(p, y)
    assert rel_error(analytic, numeric_grad(lambda: loss.value(p, y), p)) < RTOL
    value, grad = loss.value_and_grad(p.copy(), y)
    assert value == pytest.approx(loss.value(p, y), rel=1e-12)
    assert np.allclose(grad, analytic, rtol=1e-12, atol=0)
    assert loss.per_sample(p, y).sum() / loss.count(p) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    "name,activation", [("binary_crossentropy", "sigmoid"), ("categorical_crossentropy", "softmax")]
)
def test_fused_loss_gradient_at_logits_is_p_minus_y_over_n(name, activation):
    rng = np.random.default_rng(2)
    loss, act = get_loss(name), get_activation(activation)
    units = 1 if activation == "sigmoid" else 4
    z = rng.standard_normal((6, units)) * 3
    y = (
        rng.integers(0, 2, (6, 1)).astype(float)
        if units == 1
        else np.eye(units)[rng.integers(0, units, 6)]
    )
    p = act.forward(z, np.empty_like(z))
    fused = (p - y) / loss.count(p)
    assert rel_error(fused, numeric_grad(lambda: loss.value_from_logits(z, y), z)) < RTOL
    assert loss.value_from_logits(z, y) == pytest.approx(loss.value(p, y), rel=1e-9)
    per = loss.per_sample_from_logits(z, y)
    assert per.sum() / loss.count(z) == pytest.approx(loss.value_from_logits(z, y), rel=1e-12)


def test_fused_losses_stay_finite_for_extreme_logits():
    z = np.array([[800.0], [-800.0]])
    y = np.array([[0.0], [1.0]])
    assert get_loss("binary_crossentropy").value_from_logits(z, y) == pytest.approx(800.0)
    z = np.array([[1000.0, -1000.0]])
    y = np.array([[0.0, 1.0]])
    assert get_loss("categorical_crossentropy").value_from_logits(z, y) == pytest.approx(2000.0)


def model_case(activations, loss_name, input_shape=(3,), units_out=2, seed=3):
    layers = [{"type": "dense", "units": 4, "activation": a} for a in activations[:-1]]
    layers.append({"type": "dense", "units": units_out, "activation": activations[-1]})
    model = Model(layers, input_shape)
    rng = np.random.default_rng(seed)
    model.initialize(rng)
    model.params += rng.uniform(-0.3, 0.3, model.params.shape)  # biases off zero too
    x = rng.standard_normal((5, *input_shape))
    loss = get_loss(loss_name)
    if loss_name == "categorical_crossentropy":
        y = np.eye(units_out)[rng.integers(0, units_out, x.shape[:-1])]
    elif loss_name == "binary_crossentropy":
        y = rng.integers(0, 2, (*x.shape[:-1], units_out)).astype(float)
    else:
        y = rng.standard_normal((*x.shape[:-1], units_out))
    return model, x, y, loss


def check_model_gradient(model, x, y, loss):
    model.grads.fill(0.0)
    model.backprop(x, y, loss)
    analytic = model.grads.copy()

    def f():
        return loss.value(model.forward(x), y)

    numeric = numeric_grad(f, model.params)
    assert rel_error(analytic, numeric) < RTOL


HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "gelu", "linear"]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_dense_network_gradient_for_every_hidden_activation(hidden):
    check_model_gradient(*model_case([hidden, hidden, "linear"], "mse"))


@pytest.mark.parametrize(
    "loss_name,output",
    [
        ("sse", "sigmoid"),
        ("mse", "linear"),
        ("mae", "tanh"),
        ("huber", "linear"),
        ("binary_crossentropy", "sigmoid"),
        ("categorical_crossentropy", "softmax"),
        ("mse", "softmax"),
        ("binary_crossentropy", "linear"),
        ("categorical_crossentropy", "relu"),
    ],
)
def test_dense_network_gradient_for_every_loss_and_output(loss_name, output):
    model, x, y, loss = model_case(["tanh", output], loss_name)
    if output in ("linear", "relu") and "crossentropy" in loss_name:
        # cross-entropy on unsquashed outputs needs them inside (0, 1)
        model.forward(x)
        x = x * 0.05
        y = np.clip(y, 0, 1)
        model.params[:] = np.abs(model.params) * 0.1 + 0.05
    if loss_name == "mae":
        y = y * 5  # keep |p - y| away from the kink at 0
    check_model_gradient(model, x, y, loss)


def test_gradient_for_inputs_of_higher_rank():
    check_model_gradient(*model_case(["tanh", "linear"], "mse", input_shape=(2, 3)))


def test_activation_layer_between_dense_layers():
    model = Model(
        [
            {"type": "dense", "units": 4},
            {"type": "activation", "activation": "tanh"},
            {"type": "dense", "units": 2, "activation": "softmax"},
        ],
        (3,),
    )
    rng = np.random.default_rng(5)
    model.initialize(rng)
    x = rng.standard_normal((5, 3))
    y = np.eye(2)[rng.integers(0, 2, 5)]
    check_model_gradient(model, x, y, get_loss("categorical_crossentropy"))


def test_single_layer_network_gradient():
    check_model_gradient(*model_case(["sigmoid"], "binary_crossentropy", units_out=1))


@pytest.mark.parametrize("into", [False, True])
def test_backprop_with_augmented_inputs_matches_plain_inputs(into):
    """The training loop's shortcuts (inputs with their ones column, the loss source
    written in place) give the same gradients as the plain path, for one layer too."""
    for layers in (["sigmoid"], ["tanh", "sigmoid"]):
        model, x, y, loss = model_case(layers, "binary_crossentropy", units_out=1)
        model.backprop(x, y, loss)
        plain = model.grads.copy()
        x_aug = np.concatenate([x, np.ones((len(x), 1))], axis=1)
        target = np.empty((len(x), 1)) if into else None
        model.backprop(x_aug, y, loss, augmented=True, source_into=target)
        assert np.array_equal(model.grads, plain)
