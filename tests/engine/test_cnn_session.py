"""Convolutional sessions end to end: they learn, save and resume bit-identically with
batch-norm statistics and dropout, predict in inference mode, freeze layers, and take
weights by layer name."""

import numpy as np
import pytest

from engine import Session
from engine.errors import ShapeError
from engine.layers import conv2d

CNN = [
    {"type": "conv2d", "filters": 6, "kernel_size": 3, "padding": "same", "activation": "relu"},
    {"type": "maxpool2d"},
    {"type": "flatten"},
    {"type": "dense", "units": 10, "activation": "softmax"},
]
REGULARIZED = [
    {"type": "conv2d", "filters": 4, "kernel_size": 3, "activation": "relu"},
    {"type": "batchnorm"},
    {"type": "maxpool2d"},
    {"type": "flatten"},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 10, "activation": "softmax"},
]


def digits_spec(layers, seed=0, n_samples=200, **extra) -> dict:
    return {
        "seed": seed,
        "data": {"dataset": "digits", "params": {"n_samples": n_samples}},
        "model": {"layers": layers},
        "loss": "categorical_crossentropy",
        "optimizer": {"type": "adam", "lr": 0.01},
        "batch_size": 16,
        **extra,
    }


def same_weights(a: Session, b: Session) -> bool:
    return all(
        np.array_equal(x[k], y[k]) for x, y in zip(a.get_weights(), b.get_weights()) for k in x
    )


def test_a_conv_session_learns_digits():
    s = Session.from_spec(digits_spec(CNN, n_samples=400))
    before = s.metrics(evaluate=True)
    s.step(epochs=6)
    after = s.metrics(evaluate=True)
    assert s.status == "ready"
    assert after["train_loss"] < 0.3 * before["train_loss"]
    assert after["test_accuracy"] > 0.7  # chance is 0.1


def test_save_and_load_resume_bit_identically_with_batchnorm_and_dropout(tmp_path):
    spec = digits_spec(REGULARIZED)
    uninterrupted = Session.from_spec(spec)
    uninterrupted.step(steps=17)
    first = Session.from_spec(spec)
    first.step(steps=7)  # mid-epoch, shuffled: the order and the dropout stream matter
    first.save(tmp_path / "s")
    resumed = Session.load(tmp_path / "s")
    stats = resumed.model.layers[1].state
    assert not np.array_equal(stats["running_mean"], np.zeros(4))  # statistics were saved
    assert np.array_equal(stats["running_var"], first.model.layers[1].state["running_var"])
    resumed.step(steps=10)
    assert same_weights(resumed, uninterrupted)
    assert resumed.history["step"]["batch_loss"] == uninterrupted.history["step"]["batch_loss"]
    assert np.array_equal(
        resumed.predict(uninterrupted.data.X_test[:5]),
        uninterrupted.predict(uninterrupted.data.X_test[:5]),
    )


def test_dropout_runs_are_deterministic_for_a_seed():
    runs = [Session.from_spec(digits_spec(REGULARIZED, seed=seed)) for seed in (4, 4, 5)]
    for s in runs:
        s.step(steps=12)
    assert same_weights(runs[0], runs[1])
    assert not same_weights(runs[0], runs[2])


def test_predict_and_evaluation_use_inference_mode():
    s = Session.from_spec(digits_spec(REGULARIZED))
    s.step(steps=20)
    X = s.data.X_test[:12]
    first, second = s.predict(X), s.predict(X)
    assert np.array_equal(first, second)  # dropout off
    # batch norm uses its running statistics: a sample's output does not depend on
    # the others in its batch
    assert np.allclose(s.predict(X[3:4]), first[3:4], rtol=1e-12, atol=1e-15)
    # the evaluation's loss is that of the inference-mode outputs
    m = s.metrics(evaluate=True)
    p = s.predict(s.data.X_test)
    expected = -np.log(p[s.data.y_test.astype(bool)]).mean()
    assert m["test_loss"] == pytest.approx(expected, rel=1e-9)


def test_a_large_inference_batch_is_computed_in_chunks_with_the_same_outputs(monkeypatch):
    s = Session.from_spec(digits_spec(CNN))
    s.step(steps=5)
    X = s.data.X_train[:40]
    whole = s.predict(X)
    monkeypatch.setattr(conv2d, "MAX_COLS", 3000)  # about 5 samples' columns
    s.model.release((40,))
    chunked = s.model.forward(X).copy()
    assert np.allclose(chunked, whole, rtol=1e-12, atol=1e-15)
    conv = s.model.layers[0]
    assert ("chunked", 40) in conv._buffers  # the whole output, computed 4 samples at a time
    assert conv._buffers[(4,)]["cols_t"].size <= 3000
    assert conv.z.shape == conv.a.shape == (40, 8, 8, 6)  # the logits too, for a fused loss
    with pytest.raises(RuntimeError, match="backward needs a forward"):
        conv.backward(np.ones((40, 8, 8, 6)))


def test_a_frozen_conv_layer_keeps_its_weights_and_stays_out_of_the_optimizer():
    layers = [{**CNN[0], "trainable": False, "name": "features"}, *CNN[1:]]
    s = Session.from_spec(digits_spec(layers))
    trained = Session.from_spec(digits_spec(CNN))
    conv_size = 3 * 3 * 1 * 6 + 6
    assert s.model.params.size == trained.model.params.size - conv_size
    assert s.model.frozen.size == conv_size
    assert all(a.size == s.model.params.size for a in s.optimizer.state.values())
    before = s.get_weights()
    s.step(steps=10)
    after = s.get_weights()
    assert np.array_equal(before[0]["W"], after[0]["W"])
    assert np.array_equal(before[0]["b"], after[0]["b"])
    assert not np.array_equal(before[3]["W"], after[3]["W"])  # the head trains


def test_weights_by_layer_name():
    s = Session.from_spec(digits_spec(REGULARIZED))
    W = np.full((3, 3, 1, 4), 0.5)
    s.model.set_layer_weights("conv2d_1", {"W": W, "b": np.arange(4.0)})
    weights = s.get_weights()
    assert np.array_equal(weights[0]["W"], W)
    assert np.array_equal(weights[0]["b"], np.arange(4.0))
    stats = {
        "gamma": np.full(4, 2.0),
        "beta": np.zeros(4),
        "running_mean": np.ones(4),
        "running_var": np.full(4, 3.0),
    }
    s.model.set_layer_weights("batchnorm_1", stats)
    assert np.array_equal(s.get_weights()[1]["running_var"], np.full(4, 3.0))
    assert s.get_weights()[2] == {}  # pooling has no arrays
    with pytest.raises(ShapeError) as info:
        s.model.set_layer_weights("conv2d_1", {"W": np.zeros((3, 3, 4)), "b": np.zeros(4)})
    assert info.value.path == "weights.W"
    assert "(3, 3, 1, 4)" in info.value.message


def test_memory_estimate_counts_the_layers_buffers():
    s = Session.from_spec(digits_spec(REGULARIZED))
    empty = s.nbytes()
    s.step(steps=3)
    s.predict(s.data.X_test)
    assert s.nbytes() > empty + 16 * 26 * 26 * 4 * 8  # at least the batch's conv output


def test_a_negative_running_variance_is_refused_and_nothing_changes():
    s = Session.from_spec(
        {
            "data": {"dataset": "moons", "params": {"n_samples": 40}},
            "model": {
                "layers": [
                    {"type": "dense", "units": 3},
                    {"type": "batchnorm"},
                    {"type": "dense", "units": 1, "activation": "sigmoid"},
                ]
            },
            "loss": "binary_crossentropy",
        }
    )
    before = s.get_weights()
    bad = [dict(layer) for layer in before]
    bad[0]["W"] = bad[0]["W"] + 1.0
    bad[1]["running_var"] = -bad[1]["running_var"]
    with pytest.raises(ShapeError) as info:
        s.set_weights(bad)
    assert info.value.path == "weights[1].running_var"
    np.testing.assert_array_equal(s.get_weights()[0]["W"], before[0]["W"])
