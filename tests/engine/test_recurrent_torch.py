"""The embedding and recurrent layers against PyTorch (float64, batch_first): outputs,
hidden states, gates, input and parameter gradients, dL/dh_t at every step, and a few
optimizer steps (Adam and SGD) of small models trained as in torch.optim.

Layouts: ours W_ih (features, k·units), W_hh (units, k·units); PyTorch's weight_ih_l0
(k·units, features) and weight_hh_l0 (k·units, units) are their transposes; the biases
and the gate order (LSTM i, f, g, o; GRU r, z, n) are the same.
"""

import numpy as np
import pytest

from engine.losses import get_loss
from engine.model import Model
from engine.optimizers import build_optimizer, normalize

torch = pytest.importorskip("torch")
F = torch.nn.functional

TOL = 1e-10

KINDS = {
    "rnn tanh": ({"type": "rnn", "activation": "tanh"}, "RNN", {"nonlinearity": "tanh"}),
    "rnn relu": ({"type": "rnn", "activation": "relu"}, "RNN", {"nonlinearity": "relu"}),
    "lstm": ({"type": "lstm"}, "LSTM", {}),
    "gru": ({"type": "gru"}, "GRU", {}),
}


def close(ours, theirs, tol=TOL) -> bool:
    return np.allclose(ours, np.asarray(theirs), rtol=tol, atol=tol)


def built(specs, input_shape, seed=0) -> Model:
    model = Model(specs, input_shape)
    rng = np.random.default_rng(seed)
    model.initialize(rng)
    model.params += rng.uniform(-0.3, 0.3, model.params.shape)
    return model


def torch_recurrent(kind: str, layer, cell: bool = False):
    """PyTorch's module (or its cell) with our layer's arrays."""
    _, name, options = KINDS[kind]
    options = {**options, "dtype": torch.float64}
    features = layer.input_shape[-1]
    if cell:
        module = getattr(torch.nn, name + "Cell")(features, layer.units, **options)
    else:
        module = getattr(torch.nn, name)(features, layer.units, batch_first=True, **options)
    suffix = "" if cell else "_l0"
    with torch.no_grad():
        for ours, theirs in (("W_ih", "weight_ih"), ("W_hh", "weight_hh")):
            getattr(module, theirs + suffix).copy_(torch.tensor(layer.params[ours].T))
        for ours, theirs in (("b_ih", "bias_ih"), ("b_hh", "bias_hh")):
            getattr(module, theirs + suffix).copy_(torch.tensor(layer.params[ours]))
    return module


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("kind", list(KINDS))
def test_recurrent_layer_matches_pytorch(kind, return_sequences):
    spec = {**KINDS[kind][0], "units": 5, "return_sequences": return_sequences}
    model = built([spec], (6, 3))
    layer = model.layers[0]
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6, 3))
    out = layer.forward(x).copy()
    dy = rng.standard_normal(out.shape)
    dx = layer.backward(dy, True).copy()
    module = torch_recurrent(kind, layer)
    xt = torch.tensor(x, requires_grad=True)
    hs, _ = module(xt)
    y = hs if return_sequences else hs[:, -1]
    y.backward(torch.tensor(dy))
    assert close(out, y.detach())
    assert close(layer.h_seq, hs.detach())
    assert close(dx, xt.grad)
    assert close(layer.grads["W_ih"], module.weight_ih_l0.grad.T)
    assert close(layer.grads["W_hh"], module.weight_hh_l0.grad.T)
    assert close(layer.grads["b_ih"], module.bias_ih_l0.grad)
    assert close(layer.grads["b_hh"], module.bias_hh_l0.grad)


def torch_gates(kind: str, layer, x_t, h, c=None) -> dict:
    """PyTorch's formulas written out, for one step: the gates (and c) by name; an rnn
    has none."""
    if kind.startswith("rnn"):
        return {}
    p = {name: torch.tensor(a) for name, a in layer.params.items()}
    xs, hs = x_t @ p["W_ih"] + p["b_ih"], h @ p["W_hh"] + p["b_hh"]
    u = layer.units
    if kind == "lstm":
        a = xs + hs
        i, f, g, o = (a[:, j * u : (j + 1) * u] for j in range(4))
        i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
        return {"i": i, "f": f, "g": g, "o": o, "c": f * c + i * g}
    r = torch.sigmoid(xs[:, :u] + hs[:, :u])
    z = torch.sigmoid(xs[:, u : 2 * u] + hs[:, u : 2 * u])
    n = torch.tanh(xs[:, 2 * u :] + r * hs[:, 2 * u :])
    return {"r": r, "z": z, "n": n}


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("kind", list(KINDS))
def test_gates_and_the_gradient_at_every_hidden_state_match_pytorchs_cells(kind, return_sequences):
    """PyTorch's cell stepped by hand, each h_t kept with retain_grad: its .grad is
    dL/dh_t in total, what dh_seq holds."""
    spec = {**KINDS[kind][0], "units": 4, "return_sequences": return_sequences}
    model = built([spec], (5, 3), seed=2)
    layer = model.layers[0]
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 5, 3))
    out = layer.forward(x)
    dy = rng.standard_normal(out.shape)
    layer.backward(dy, True)
    cell = torch_recurrent(kind, layer, cell=True)
    xt = torch.tensor(x)
    h = torch.zeros(3, 4, dtype=torch.float64)
    c = torch.zeros_like(h)
    states = []
    for t in range(5):
        with torch.no_grad():
            for name, value in torch_gates(kind, layer, xt[:, t], h, c).items():
                assert close(layer.gate_seq[name][:, t], value), (name, t)
        if kind == "lstm":
            h, c = cell(xt[:, t], (h, c))
        else:
            h = cell(xt[:, t], h)
        h.retain_grad()
        states.append(h)
    y = torch.stack(states, 1) if return_sequences else states[-1]
    y.backward(torch.tensor(dy))
    assert close(layer.dh_seq, torch.stack([s.grad for s in states], 1))


def test_embedding_matches_pytorch_with_repeated_ids():
    model = built([{"type": "embedding", "vocab_size": 7, "dim": 3}], (6,))
    layer = model.layers[0]
    rng = np.random.default_rng(4)
    ids = rng.integers(0, 7, (4, 6))
    ids[:, 0] = 2  # in every sample
    out = layer.forward(ids.astype(np.float64)).copy()
    dy = rng.standard_normal(out.shape)
    layer.backward(dy, False)
    module = torch.nn.Embedding(7, 3, dtype=torch.float64)
    with torch.no_grad():
        module.weight.copy_(torch.tensor(layer.params["E"]))
    y = module(torch.tensor(ids))
    y.backward(torch.tensor(dy))
    assert close(out, y.detach())
    assert close(layer.grads["E"], module.weight.grad)


# -- a few training steps ------------------------------------------------------------

OPTIMIZERS = {
    "adam": ({"type": "adam", "lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
    "sgd": (
        {"type": "sgd", "lr": 0.1, "momentum": 0.9},
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    ),
}


def train_both(model, torch_params, torch_forward, optimizer, batches):
    """Steps of MSE training on both sides; returns the two lists of losses."""
    spec, make_torch_optimizer = OPTIMIZERS[optimizer]
    ours_opt = build_optimizer(normalize(spec), model.params, model.grads)
    theirs_opt = make_torch_optimizer(torch_params)
    loss = get_loss("mse")
    ours, theirs = [], []
    for x, y in batches:
        out = model.backprop(x, y, loss)
        ours.append(loss.value(out, y))
        ours_opt.step()
        theirs_opt.zero_grad()
        value = F.mse_loss(torch_forward(x), torch.tensor(y))
        value.backward()
        theirs_opt.step()
        theirs.append(value.item())
    return ours, theirs


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_recurrent_model_trains_as_in_pytorch(kind, optimizer):
    specs = [
        {**KINDS[kind][0], "units": 5, "return_sequences": True},
        {"type": "dense", "units": 2},
    ]
    model = built(specs, (6, 3), seed=5)
    rec, dense = model.layers
    module = torch_recurrent(kind, rec)
    linear = torch.nn.Linear(5, 2, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(dense.params["W"].T))
        linear.bias.copy_(torch.tensor(dense.params["b"]))
    rng = np.random.default_rng(6)
    batches = [(rng.standard_normal((4, 6, 3)), rng.standard_normal((4, 6, 2))) for _ in range(6)]

    def forward(x):
        return linear(module(torch.tensor(x))[0])

    params = [*module.parameters(), *linear.parameters()]
    ours, theirs = train_both(model, params, forward, optimizer, batches)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=0)
    assert close(rec.params["W_ih"], module.weight_ih_l0.detach().T, 1e-9)
    assert close(rec.params["W_hh"], module.weight_hh_l0.detach().T, 1e-9)
    assert close(rec.params["b_ih"], module.bias_ih_l0.detach(), 1e-9)
    assert close(rec.params["b_hh"], module.bias_hh_l0.detach(), 1e-9)
    assert close(dense.params["W"], linear.weight.detach().T, 1e-9)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_embedding_lstm_dense_trains_as_in_pytorch(optimizer):
    specs = [
        {"type": "embedding", "vocab_size": 6, "dim": 3},
        {"type": "lstm", "units": 4, "return_sequences": True},
        {"type": "dense", "units": 6},
    ]
    model = built(specs, (5,), seed=7)
    embedding, lstm, dense = model.layers
    t_embedding = torch.nn.Embedding(6, 3, dtype=torch.float64)
    t_lstm = torch_recurrent("lstm", lstm)
    linear = torch.nn.Linear(4, 6, dtype=torch.float64)
    with torch.no_grad():
        t_embedding.weight.copy_(torch.tensor(embedding.params["E"]))
        linear.weight.copy_(torch.tensor(dense.params["W"].T))
        linear.bias.copy_(torch.tensor(dense.params["b"]))
    rng = np.random.default_rng(8)
    batches = [
        (rng.integers(0, 6, (3, 5)).astype(np.float64), rng.standard_normal((3, 5, 6)))
        for _ in range(6)
    ]

    def forward(x):
        return linear(t_lstm(t_embedding(torch.tensor(x.astype(np.int64))))[0])

    params = [*t_embedding.parameters(), *t_lstm.parameters(), *linear.parameters()]
    ours, theirs = train_both(model, params, forward, optimizer, batches)
    assert np.allclose(ours, theirs, rtol=1e-9, atol=0)
    assert close(embedding.params["E"], t_embedding.weight.detach(), 1e-9)
    assert close(lstm.params["W_hh"], t_lstm.weight_hh_l0.detach().T, 1e-9)
    assert close(dense.params["W"], linear.weight.detach().T, 1e-9)
