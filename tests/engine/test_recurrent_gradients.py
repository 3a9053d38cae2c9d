"""The embedding and recurrent layers' backward against central finite differences
(float64): the input gradient and every parameter's, for the output contracted with a
random upstream gradient (cs231n's pattern, as test_gradients.py), alone, stacked, after
an embedding and before a dense layer; Model.backprop over whole stacks; `step` against
forward; the spec errors these layers raise.
"""

import numpy as np
import pytest
from test_gradients import RTOL, numeric_grad, rel_error

from engine import Session
from engine.errors import SpecError
from engine.losses import get_loss
from engine.model import Model

H = 1e-5
"""As test_layer_gradients: a step that keeps f's rounding error, divided by 2h, below
the tolerance for the smallest entries."""

KINDS = {
    "rnn tanh": {"type": "rnn", "activation": "tanh"},
    "rnn relu": {"type": "rnn", "activation": "relu"},
    "lstm": {"type": "lstm"},
    "gru": {"type": "gru"},
}


def built(specs: list[dict], input_shape: tuple, seed: int = 0, dtype=np.float64) -> Model:
    model = Model(specs, input_shape, dtype)
    rng = np.random.default_rng(seed)
    model.initialize(rng)
    model.params += rng.uniform(-0.3, 0.3, model.params.shape)  # off the initial bounds
    return model


def chain_backward(model: Model, dy: np.ndarray, need_dx: bool = True):
    grad = dy
    for i in range(len(model.layers) - 1, -1, -1):
        grad = model.layers[i].backward(grad, need_dx or i > 0)
    return grad


def check_stack(specs: list[dict], input_shape: tuple, x: np.ndarray, check_dx: bool = True):
    """dx (unless the input is token ids) and every parameter's gradient of
    sum(forward(x) * dy), through every layer's backward in turn."""
    model = built(specs, input_shape)
    rng = np.random.default_rng(1)
    out = model.forward(x)
    dy = rng.standard_normal(out.shape)

    def f():
        return float((model.forward(x) * dy).sum())

    model.forward(x)
    model.grads.fill(0.0)
    dx = chain_backward(model, dy, check_dx)
    analytic = model.grads.copy()
    assert rel_error(analytic, numeric_grad(f, model.params, H)) < RTOL
    if check_dx:
        dx = dx.copy()
        assert dx.shape == x.shape
        assert rel_error(dx, numeric_grad(f, x, H)) < RTOL
    return model


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("kind", list(KINDS))
def test_recurrent_layer_gradients(kind, return_sequences):
    spec = {**KINDS[kind], "units": 5, "return_sequences": return_sequences}
    x = np.random.default_rng(2).standard_normal((3, 4, 3))
    model = check_stack([spec], (4, 3), x)
    layer = model.layers[0]
    assert layer.out.shape == ((3, 4, 5) if return_sequences else (3, 5))
    # the first layer's backward skips dx but gives the same parameter gradients
    dy = np.random.default_rng(3).standard_normal(layer.out.shape)
    layer.forward(x)
    model.grads.fill(0.0)
    layer.backward(dy, True)
    expected = model.grads.copy()
    layer.forward(x)
    model.grads.fill(0.0)
    assert layer.backward(dy, False) is None
    assert np.array_equal(model.grads, expected)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_single_step_and_a_single_unit(kind):
    x = np.random.default_rng(4).standard_normal((2, 1, 2))
    check_stack([{**KINDS[kind], "units": 1, "return_sequences": True}], (1, 2), x)


@pytest.mark.parametrize(
    "first,second", [("lstm", "gru"), ("gru", "rnn tanh"), ("rnn relu", "lstm")]
)
def test_two_stacked_recurrent_layers(first, second):
    specs = [
        {**KINDS[first], "units": 4, "return_sequences": True},
        {**KINDS[second], "units": 3},
    ]
    check_stack(specs, (5, 2), np.random.default_rng(5).standard_normal((2, 5, 2)))


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_dense_layer_after_a_sequence_output_applies_at_every_step(kind):
    specs = [
        {**KINDS[kind], "units": 4, "return_sequences": True},
        {"type": "dense", "units": 3, "activation": "tanh"},
    ]
    x = np.random.default_rng(6).standard_normal((2, 4, 3))
    model = check_stack(specs, (4, 3), x)
    rec, dense = model.layers
    model.forward(x)
    at_each_step = np.tanh(rec.out @ dense.params["W"] + dense.params["b"])
    assert np.allclose(model.forward(x), at_each_step, rtol=1e-12, atol=1e-12)


def token_ids(rng, shape, vocab) -> np.ndarray:
    ids = rng.integers(0, vocab, shape).astype(np.float64)
    ids[0, :2] = ids[1, 2:4] = 2.0  # a repeated id within a sample and across samples
    return ids


def test_embedding_then_lstm_gradients_with_repeated_ids():
    specs = [
        {"type": "embedding", "vocab_size": 6, "dim": 3},
        {"type": "lstm", "units": 4, "return_sequences": True},
    ]
    x = token_ids(np.random.default_rng(7), (3, 5), 6)
    model = check_stack(specs, (5,), x, check_dx=False)
    embedding = model.layers[0]
    assert embedding.backward(np.ones((3, 5, 3)), True).shape == (3, 5)
    assert not embedding.backward(np.ones((3, 5, 3)), True).any()  # ids have no gradient


def test_embedding_forward_is_a_lookup_and_backward_adds_up_repeats():
    model = built([{"type": "embedding", "vocab_size": 5, "dim": 2}], (3,))
    E = model.layers[0].params["E"]
    x = np.array([[1.0, 1.0, 4.0], [0.0, 1.0, 4.0]])
    assert np.array_equal(model.forward(x), E[x.astype(int)])
    dy = np.arange(12.0).reshape(2, 3, 2)
    model.layers[0].backward(dy, False)
    dE = model.layers[0].grads["E"]
    assert np.array_equal(dE[1], dy[0, 0] + dy[0, 1] + dy[1, 1])
    assert np.array_equal(dE[4], dy[0, 2] + dy[1, 2])
    assert np.array_equal(dE[0], dy[1, 0]) and not dE[2:4].any()


STACKS = {
    "embedding, lstm, dense softmax at every step": (
        [
            {"type": "embedding", "vocab_size": 5, "dim": 3},
            {"type": "lstm", "units": 4, "return_sequences": True},
            {"type": "dense", "units": 5, "activation": "softmax"},
        ],
        (4,),
        "categorical_crossentropy",
    ),
    "gru, rnn, dense on the last step": (
        [
            {"type": "gru", "units": 4, "return_sequences": True},
            {"type": "rnn", "units": 3},
            {"type": "dense", "units": 2},
        ],
        (5, 2),
        "mse",
    ),
    "lstm, dense sigmoid at every step": (
        [
            {"type": "lstm", "units": 3, "return_sequences": True},
            {"type": "dense", "units": 2, "activation": "sigmoid"},
        ],
        (4, 3),
        "binary_crossentropy",
    ),
}


@pytest.mark.parametrize("name", list(STACKS))
def test_model_backprop_through_a_recurrent_stack(name):
    specs, input_shape, loss_name = STACKS[name]
    model = built(specs, input_shape)
    rng = np.random.default_rng(8)
    if specs[0]["type"] == "embedding":
        x = token_ids(rng, (3, *input_shape), specs[0]["vocab_size"])
    else:
        x = rng.standard_normal((3, *input_shape))
    out_shape = (3, *model.output_shape)
    if loss_name == "categorical_crossentropy":
        y = np.eye(out_shape[-1])[rng.integers(0, out_shape[-1], out_shape[:-1])]
    elif loss_name == "binary_crossentropy":
        y = rng.integers(0, 2, out_shape).astype(float)
    else:
        y = rng.standard_normal(out_shape)
    loss = get_loss(loss_name)
    model.grads.fill(0.0)
    model.backprop(x, y, loss)
    analytic = model.grads.copy()
    numeric = numeric_grad(lambda: loss.value(model.forward(x), y), model.params, H)
    assert rel_error(analytic, numeric) < RTOL


# -- step, views, dtypes ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", list(KINDS))
def test_step_t_times_equals_forward(kind, dtype):
    model = built([{**KINDS[kind], "units": 6, "return_sequences": True}], (7, 3), dtype=dtype)
    layer = model.layers[0]
    x = np.random.default_rng(9).standard_normal((2, 7, 3)).astype(dtype)
    whole = layer.forward(x).copy()
    state, steps = None, []
    for t in range(7):
        h, state = layer.step(x[:, t], state)
        steps.append(h)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert np.allclose(np.stack(steps, axis=1), whole, rtol=tol, atol=tol)
    assert h.dtype == dtype


@pytest.mark.parametrize("kind", list(KINDS))
def test_views_keep_states_gates_and_gradients_through_time(kind):
    model = built([{**KINDS[kind], "units": 4}], (6, 2))
    layer = model.layers[0]
    x = np.random.default_rng(10).standard_normal((3, 6, 2))
    out = layer.forward(x)
    assert layer.h_seq.shape == (3, 6, 4) and np.array_equal(layer.h_seq[:, -1], out)
    names = {"rnn": set(), "lstm": {"i", "f", "g", "o", "c"}, "gru": {"r", "z", "n"}}
    assert set(layer.gate_seq) == names[layer.type]
    for name, values in layer.gate_seq.items():
        assert values.shape == (3, 6, 4)
        if name in ("i", "f", "o", "r", "z"):
            assert ((values > 0) & (values < 1)).all()
    dy = np.random.default_rng(11).standard_normal(out.shape)
    layer.backward(dy, True)
    assert layer.dh_seq.shape == (3, 6, 4)
    assert np.array_equal(layer.dh_seq[:, -1], dy)  # only the last step has an output


@pytest.mark.parametrize("kind", list(KINDS))
def test_float32_matches_float64(kind):
    specs = [{**KINDS[kind], "units": 5, "return_sequences": True}]
    wide = built(specs, (6, 3))
    narrow = Model(specs, (6, 3), np.float32)
    narrow.params[:] = wide.params
    x = np.random.default_rng(12).standard_normal((4, 6, 3))
    dy = np.random.default_rng(13).standard_normal((4, 6, 5))
    out64, out32 = wide.forward(x).copy(), narrow.forward(x.astype(np.float32))
    assert out32.dtype == np.float32
    assert np.allclose(out32, out64, rtol=1e-4, atol=1e-5)
    dx64 = wide.layers[0].backward(dy, True).copy()
    dx32 = narrow.layers[0].backward(dy.astype(np.float32), True)
    assert np.allclose(dx32, dx64, rtol=1e-3, atol=1e-4)
    assert np.allclose(narrow.grads, wide.grads, rtol=1e-3, atol=1e-4)


def test_a_longer_sequence_than_built_for_runs_and_steps_agree():
    """Forward takes any length (a primed sampler runs the prime through it)."""
    model = built([{"type": "lstm", "units": 3, "return_sequences": True}], (4, 2))
    layer = model.layers[0]
    x = np.random.default_rng(14).standard_normal((1, 9, 2))
    assert layer.forward(x).shape == (1, 9, 3)
    assert layer.forward(x[:, :4]).shape == (1, 4, 3)


# -- spec errors --------------------------------------------------------------------


def text_spec(layers):
    return {
        "seed": 0,
        "data": {
            "dataset": "inline",
            "X": [[0, 1, 2], [1, 2, 0]],
            "y": [[1.0], [0.0]],
            "task": "regression",
        },
        "model": {"layers": layers},
        "loss": "mse",
    }


@pytest.mark.parametrize(
    "layers,path,words",
    [
        ([{"type": "lstm"}], "model.layers[0].units", "is required"),
        ([{"type": "gru", "units": 0}], "model.layers[0].units", "at least 1"),
        (
            [{"type": "rnn", "units": 3, "activation": "sigmoid"}],
            "model.layers[0].activation",
            "relu, tanh",
        ),
        (
            [{"type": "lstm", "units": 3, "activation": "tanh"}],
            "model.layers[0].activation",
            "unknown field",
        ),
        (
            [{"type": "embedding", "dim": 2}, {"type": "dense", "units": 1}],
            "model.layers[0].vocab_size",
            "",
        ),
        ([{"type": "embedding", "vocab_size": 3}], "model.layers[0].dim", "is required"),
    ],
)
def test_spec_errors_name_the_field(layers, path, words):
    with pytest.raises(SpecError) as info:
        Session.from_spec(text_spec(layers))
    assert info.value.path == path
    assert words in info.value.message


def test_an_embedding_built_without_a_vocabulary_says_vocab_size_must_be_given():
    with pytest.raises(SpecError) as info:
        Model([{"type": "embedding", "dim": 2}], (4,))
    assert info.value.path == "model.layers[0].vocab_size"
    assert "vocab_size must be given" in info.value.message


@pytest.mark.parametrize(
    "spec,input_shape,words",
    [
        ({"type": "embedding", "vocab_size": 3, "dim": 2}, (4, 2), "(time,) inputs"),
        ({"type": "gru", "units": 2}, (3,), "(time, features) inputs"),
        ({"type": "lstm", "units": 2}, (3, 4, 1), "(time, features) inputs"),
    ],
)
def test_the_input_must_be_a_sequence(spec, input_shape, words):
    with pytest.raises(SpecError) as info:
        Model([spec], input_shape)
    assert info.value.path == "model.layers[0]" and words in info.value.message


@pytest.mark.parametrize("bad", [3.0, -1.0, 0.5, np.nan])
def test_embedding_refuses_ids_out_of_range_or_not_whole(bad):
    model = Model([{"type": "embedding", "vocab_size": 3, "dim": 2}], (2,))
    with pytest.raises(ValueError, match="token ids must be whole numbers from 0 to 2"):
        model.forward(np.array([[0.0, bad]]))
