"""The image and regularizing layers against PyTorch (float64): outputs, input gradients
and parameter gradients, batch norm's running statistics, and a whole convolutional
stack trained by a Session for 20 Adam steps against the same network in PyTorch.

Layouts: ours are channels-last, images (n, h, w, c) and kernels W (kh, kw, in, out);
PyTorch's are channels-first, (n, c, h, w) and (out, in, kh, kw).
"""

import numpy as np
import pytest

from engine import Session
from engine.model import Model

torch = pytest.importorskip("torch")
F = torch.nn.functional

TOL = 1e-10


def nchw(a: np.ndarray):
    return torch.tensor(a.transpose(0, 3, 1, 2).copy(), dtype=torch.float64, requires_grad=True)


def nhwc(t) -> np.ndarray:
    return t.detach().numpy().transpose(0, 2, 3, 1)


def kernel_to_torch(W: np.ndarray):
    return torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)


def close(ours, theirs) -> bool:
    return np.allclose(ours, theirs, rtol=TOL, atol=TOL)


def layer_run(
    spec: dict,
    input_shape: tuple,
    x: np.ndarray,
    dy: np.ndarray | None = None,
    training: bool = True,
    seed: int = 0,
):
    """A one-layer model's layer with random parameters, its output and gradients."""
    model = Model([spec], input_shape)
    rng = np.random.default_rng(seed)
    model.initialize(rng)
    model.params += rng.uniform(-0.3, 0.3, model.params.shape)
    layer = model.layers[0]
    out = layer.forward(x, training).copy()
    if dy is None:
        dy = rng.standard_normal(out.shape)
    dx = layer.backward(dy, True).copy()
    return layer, out, dy, dx


CONVS = [
    ({"kernel_size": 3}, (7, 5, 3)),
    ({"kernel_size": 3, "padding": "same"}, (7, 5, 3)),
    ({"kernel_size": 2, "padding": "same"}, (6, 5, 2)),
    ({"kernel_size": 4, "padding": "same"}, (5, 7, 1)),
    ({"kernel_size": 3, "stride": 2, "padding": "same"}, (7, 6, 2)),
    ({"kernel_size": 3, "stride": 2, "padding": 1}, (7, 5, 2)),
    ({"kernel_size": [2, 3], "stride": [1, 2], "padding": "same"}, (7, 5, 2)),
    ({"kernel_size": 1}, (4, 4, 5)),
    ({"kernel_size": 2, "stride": 2}, (5, 5, 2)),
    ({"kernel_size": 3, "padding": 2, "activation": "relu"}, (3, 4, 8)),
    ({"kernel_size": 5, "padding": "same", "activation": "tanh"}, (6, 6, 1)),
]


@pytest.mark.parametrize("fields,input_shape", CONVS)
def test_conv2d_matches_pytorch(fields, input_shape):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, *input_shape))
    layer, out, dy, dx = layer_run({"type": "conv2d", "filters": 4, **fields}, input_shape, x)
    W, b = (
        kernel_to_torch(layer.params["W"]),
        torch.tensor(layer.params["b"].copy(), requires_grad=True),
    )
    xt = nchw(x)
    (top, bottom), (left, right) = layer.pads  # "same" as TF/Keras: the extra at the end
    z = F.conv2d(F.pad(xt, (left, right, top, bottom)), W, b, stride=layer.stride)
    y = {"linear": z, "relu": torch.relu(z), "tanh": torch.tanh(z)}[layer.activation]
    y.backward(torch.tensor(dy.transpose(0, 3, 1, 2).copy()))
    assert close(out, nhwc(y))
    assert close(dx, nhwc(xt.grad))
    assert close(layer.grads["W"], W.grad.numpy().transpose(2, 3, 1, 0))
    assert close(layer.grads["b"], b.grad.numpy())


@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")
def test_same_padding_with_stride_1_keeps_the_size_and_matches_pytorchs_same():
    rng = np.random.default_rng(2)
    for k in (2, 3, 4, 5):
        x = rng.standard_normal((2, 6, 5, 2))
        layer, out, _, _ = layer_run(
            {"type": "conv2d", "filters": 3, "kernel_size": k, "padding": "same"}, (6, 5, 2), x
        )
        assert out.shape == (2, 6, 5, 3)
        theirs = F.conv2d(
            nchw(x),
            kernel_to_torch(layer.params["W"]),
            torch.tensor(layer.params["b"]),
            padding="same",
        )
        assert close(out, nhwc(theirs))


def pool_input(rng, shape, ties: bool) -> np.ndarray:
    """Random values, or small integers after a ReLU: windows full of equal values."""
    if ties:
        return np.maximum(rng.integers(-2, 3, shape), 0).astype(float)
    return rng.standard_normal(shape)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("kind", ["maxpool2d", "avgpool2d"])
@pytest.mark.parametrize(
    "fields,input_shape",
    [
        ({}, (4, 6, 3)),
        ({}, (5, 7, 2)),
        ({"pool_size": 3}, (7, 8, 2)),
        ({"pool_size": 3, "stride": 2}, (7, 7, 2)),
        ({"pool_size": [2, 3], "stride": [1, 2]}, (5, 7, 2)),
        ({"pool_size": 2, "stride": 3}, (8, 8, 1)),
    ],
)
def test_pooling_matches_pytorch(kind, fields, input_shape, ties):
    rng = np.random.default_rng(3)
    x = pool_input(rng, (3, *input_shape), ties)
    layer, out, dy, dx = layer_run({"type": kind, **fields}, input_shape, x)
    xt = nchw(x)
    pool = F.max_pool2d if kind == "maxpool2d" else F.avg_pool2d
    y = pool(xt, layer.pool, layer.stride)
    y.backward(torch.tensor(dy.transpose(0, 3, 1, 2).copy()))
    assert close(out, nhwc(y))
    assert close(dx, nhwc(xt.grad))


def test_global_avgpool2d_matches_pytorch():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 5, 4, 6))
    _, out, dy, dx = layer_run({"type": "global_avgpool2d"}, (5, 4, 6), x)
    xt = nchw(x)
    y = F.adaptive_avg_pool2d(xt, 1).flatten(1)
    y.backward(torch.tensor(dy))
    assert close(out, y.detach().numpy())
    assert close(dx, nhwc(xt.grad))


@pytest.mark.parametrize("size", [2, [1, 3], [3, 2]])
def test_upsample2d_matches_pytorchs_nearest(size):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 4, 2))
    layer, out, dy, dx = layer_run({"type": "upsample2d", "size": size}, (3, 4, 2), x)
    xt = nchw(x)
    y = F.interpolate(xt, scale_factor=layer.size, mode="nearest")
    y.backward(torch.tensor(dy.transpose(0, 3, 1, 2).copy()))
    assert close(out, nhwc(y))
    assert close(dx, nhwc(xt.grad))


@pytest.mark.parametrize("spec", [{"type": "flatten"}, {"type": "reshape", "shape": [6, -1]}])
def test_flatten_and_reshape_are_row_major_over_channels_last_samples(spec):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 3, 4, 2))
    layer, out, dy, dx = layer_run(spec, (3, 4, 2), x)
    xt = torch.tensor(x, requires_grad=True)  # NHWC as it is: Keras's order
    y = xt.reshape(2, *layer.output_shape)
    y.backward(torch.tensor(dy))
    assert close(out, y.detach().numpy())
    assert close(dx, xt.grad.numpy())


def test_dropout_scales_as_pytorch_and_backpropagates_through_its_mask():
    rng = np.random.default_rng(7)
    x = rng.uniform(0.5, 1.5, (50, 40))  # never 0, so kept entries are the nonzero ones
    model = Model([{"type": "dropout", "rate": 0.3}], (40,))
    layer = model.layers[0]
    out = layer.forward(x, True, np.random.default_rng(8)).copy()
    theirs = F.dropout(torch.tensor(x), p=0.3, training=True).numpy()
    for a in (out, theirs):  # both: kept entries scaled by 1 / (1 - p), the rest 0
        kept = a != 0
        assert close(a[kept], x[kept] / 0.7)
        assert 0.6 < kept.mean() < 0.8
    dy = rng.standard_normal(x.shape)
    xt = torch.tensor(x, requires_grad=True)
    (xt * torch.tensor((out != 0) / 0.7)).backward(torch.tensor(dy))
    assert close(layer.backward(dy), xt.grad.numpy())
    expected = (np.random.default_rng(8).random(x.shape) >= 0.3) / 0.7
    assert close(out, x * expected)  # the mask is reproducible from the generator


@pytest.mark.parametrize("input_shape", [(5,), (4, 3, 6)])
def test_batchnorm_training_and_inference_match_pytorch(input_shape):
    rng = np.random.default_rng(9)
    model = Model([{"type": "batchnorm", "momentum": 0.2}], input_shape)
    model.initialize(rng)
    layer = model.layers[0]
    c = input_shape[-1]
    layer.params["gamma"][:] = rng.uniform(0.5, 1.5, c)
    layer.params["beta"][:] = rng.standard_normal(c)
    running_mean, running_var = (
        torch.zeros(c, dtype=torch.float64),
        torch.ones(c, dtype=torch.float64),
    )
    gamma = torch.tensor(layer.params["gamma"].copy(), requires_grad=True)
    beta = torch.tensor(layer.params["beta"].copy(), requires_grad=True)

    def to_torch(a):
        return torch.tensor(
            a if len(input_shape) == 1 else a.transpose(0, 3, 1, 2).copy(), requires_grad=True
        )

    def from_torch(t):
        a = t.detach().numpy()
        return a if len(input_shape) == 1 else a.transpose(0, 2, 3, 1)

    for _ in range(3):  # training: batch statistics, and the running ones move
        x = rng.standard_normal((6, *input_shape)) * 2 + 1
        out = layer.forward(x, True).copy()
        dy = rng.standard_normal(out.shape)
        model.grads.fill(0.0)
        dx = layer.backward(dy).copy()
        xt = to_torch(x)
        gamma.grad = beta.grad = None
        y = F.batch_norm(
            xt, running_mean, running_var, gamma, beta, training=True, momentum=0.2, eps=1e-5
        )
        y.backward(to_torch(dy))
        assert close(out, from_torch(y))
        assert close(dx, from_torch(xt.grad))
        assert close(layer.grads["gamma"], gamma.grad.numpy())
        assert close(layer.grads["beta"], beta.grad.numpy())
        assert close(layer.state["running_mean"], running_mean.numpy())
        assert close(layer.state["running_var"], running_var.numpy())  # unbiased
    x = rng.standard_normal((4, *input_shape))  # inference: the running statistics
    out = layer.forward(x, False).copy()
    dy = rng.standard_normal(out.shape)
    dx = layer.backward(dy).copy()
    xt = to_torch(x)
    gamma.grad = beta.grad = None
    y = F.batch_norm(xt, running_mean, running_var, gamma, beta, training=False, eps=1e-5)
    y.backward(to_torch(dy))
    assert close(out, from_torch(y))
    assert close(dx, from_torch(xt.grad))
    assert close(layer.grads["gamma"], gamma.grad.numpy())
    assert close(layer.grads["beta"], beta.grad.numpy())


# -- a whole stack, trained --------------------------------------------------------

STACK = [
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
    {"type": "batchnorm"},
    {"type": "maxpool2d"},
    {"type": "conv2d", "filters": 6, "kernel_size": 2, "activation": "tanh"},
    {"type": "avgpool2d", "pool_size": 1},
    {"type": "flatten"},
    {"type": "dense", "units": 3, "activation": "softmax"},
]


def torch_stack(weights):
    """The same network in PyTorch, from our arrays (a list, one dict per layer)."""
    conv1, bn, _, conv2, _, _, dense = weights
    p = {
        "W1": kernel_to_torch(conv1["W"]),
        "b1": torch.tensor(conv1["b"], requires_grad=True),
        "gamma": torch.tensor(bn["gamma"], requires_grad=True),
        "beta": torch.tensor(bn["beta"], requires_grad=True),
        "W2": kernel_to_torch(conv2["W"]),
        "b2": torch.tensor(conv2["b"], requires_grad=True),
        "W3": torch.tensor(dense["W"].T.copy(), requires_grad=True),
        "b3": torch.tensor(dense["b"], requires_grad=True),
    }
    stats = {"mean": torch.tensor(bn["running_mean"]), "var": torch.tensor(bn["running_var"])}

    def forward(x):
        a = torch.relu(F.conv2d(x, p["W1"], p["b1"], padding=1))
        a = F.batch_norm(
            a,
            stats["mean"],
            stats["var"],
            p["gamma"],
            p["beta"],
            training=True,
            momentum=0.1,
            eps=1e-5,
        )
        a = F.max_pool2d(a, 2)
        a = torch.tanh(F.conv2d(a, p["W2"], p["b2"]))
        a = a.permute(0, 2, 3, 1).flatten(1)  # channels-last order, as our flatten
        return F.linear(a, p["W3"], p["b3"])

    return p, stats, forward


def test_a_conv_stack_trains_as_in_pytorch():
    rng = np.random.default_rng(10)
    X, labels = rng.standard_normal((12, 6, 6, 2)), rng.integers(0, 3, 12)
    s = Session.from_spec(
        {
            "seed": 3,
            "dtype": "float64",
            "data": {
                "dataset": "inline",
                "X": X.tolist(),
                "y": labels.tolist(),
                "task": "classification",
                "shuffle": False,
            },
            "model": {"layers": STACK},
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "adam", "lr": 0.01},
            "batch_size": 4,
        }
    )
    weights = s.get_weights()
    weights[1]["gamma"] = rng.uniform(0.5, 1.5, 4)  # off their initial ones and zeros
    weights[1]["beta"] = rng.standard_normal(4) * 0.1
    s.set_weights(weights)
    p, stats, forward = torch_stack(s.get_weights())
    optimizer = torch.optim.Adam(p.values(), lr=0.01)
    Xt, yt = torch.tensor(X.transpose(0, 3, 1, 2).copy()), torch.tensor(labels)
    theirs = []
    for step in range(20):
        batch = slice(step % 3 * 4, step % 3 * 4 + 4)
        optimizer.zero_grad()
        loss = F.cross_entropy(forward(Xt[batch]), yt[batch])
        loss.backward()
        optimizer.step()
        theirs.append(loss.item())
    s.step(steps=20)
    ours = s.history["step"]["batch_loss"]
    assert np.allclose(ours, theirs, rtol=1e-8, atol=0)
    after = s.get_weights()
    assert np.allclose(after[0]["W"], p["W1"].detach().numpy().transpose(2, 3, 1, 0), rtol=1e-8)
    assert np.allclose(after[6]["W"], p["W3"].detach().numpy().T, rtol=1e-8)
    assert np.allclose(after[1]["running_mean"], stats["mean"].numpy(), rtol=1e-8)
    assert np.allclose(after[1]["running_var"], stats["var"].numpy(), rtol=1e-8)
