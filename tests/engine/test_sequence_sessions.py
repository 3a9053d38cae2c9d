"""Text and series sessions end to end: data split in time, sparse next-character
targets, clipping in the history, resuming bit-identically, and the sequence views
against the model's own forward pass."""

import numpy as np
import pytest

from engine import Session, SpecError, views
from engine.data import text as text_data
from engine.presets import get_preset


def preset(name: str, **changes) -> Session:
    spec = get_preset(name)["spec"]
    spec.update(changes)
    return Session.from_spec(spec)


def test_text_windows_are_sparse_next_characters_and_the_test_part_is_the_end():
    s = preset("brackets-gru")
    d = s.data
    assert d.modality == "text" and d.y_train.dtype == np.int32
    assert d.X_train.shape == d.y_train.shape == (len(d.X_train), 40)
    np.testing.assert_array_equal(d.X_train[:, 1:], d.y_train[:, :-1])
    train = text_data.decode(d.X_train.astype(np.int64).ravel(), d.vocab)
    test = text_data.decode(d.X_test.astype(np.int64).ravel(), d.vocab)
    assert set(train) | set(test) <= set(d.vocab)
    # the held-out windows are the corpus's last tenth, in order: whole lines follow
    assert test.count("\n") > 10 and len(test) < len(train) / 5
    assert s.spec["model"]["layers"][0]["vocab_size"] == len(d.vocab) == 7


def test_accuracy_counts_every_time_step_and_the_loss_is_the_mean_over_them():
    s = preset("brackets-gru")
    s.step(epochs=1)
    m = s.metrics(evaluate=True)
    out = s.objective.predict(s.data.X_test)
    p = np.take_along_axis(out, s.data.y_test[..., None].astype(np.intp), -1)[..., 0]
    assert m["test_loss"] == pytest.approx(float(-np.log(p).mean()), rel=1e-4)
    hits = out.argmax(-1) == s.data.y_test
    assert m["test_accuracy"] == pytest.approx(hits.mean(), abs=1e-9)


def test_clipping_bounds_the_update_and_the_history_keeps_the_norm_before_it():
    spec = get_preset("copy-rnn")["spec"]
    spec["optimizer"] = {"type": "sgd", "lr": 0.5, "clip_norm": 1e-3}
    s = Session.from_spec(spec)
    before = s.model.params.copy()
    s.step(steps=1)
    norm = s.history["step"]["grad_norm"][0]
    assert norm > 1e-3
    step = np.linalg.norm(s.model.params - before)
    assert step == pytest.approx(0.5 * 1e-3, rel=1e-3)
    s.set({"optimizer": {"clip_norm": 0.0}})
    assert s.optimizer.hyper["clip_norm"] == 0.0


def test_a_text_session_resumes_bit_identically_after_save_and_load(tmp_path):
    s = preset("copy-lstm")
    s.step(steps=5)
    s.save(tmp_path / "s")
    t = Session.load(tmp_path / "s")
    assert t.data.vocab == s.data.vocab
    s.step(steps=4)
    t.step(steps=4)
    np.testing.assert_array_equal(s.model.params, t.model.params)
    assert s.history == t.history


def test_a_series_session_resumes_with_its_scaling_and_split(tmp_path):
    s = preset("airline-forecast")
    s.step(steps=3)
    s.save(tmp_path / "s")
    t = Session.load(tmp_path / "s")
    assert t.data.series["split"] == s.data.series["split"] == 115
    assert t.data.series["mean"] == s.data.series["mean"]
    np.testing.assert_array_equal(t.data.series["values"], s.data.series["values"])
    s.step(steps=3)
    t.step(steps=3)
    np.testing.assert_array_equal(s.model.params, t.model.params)


def test_next_char_one_step_at_a_time_equals_the_whole_window_forward():
    s = preset("brackets-gru", dtype="float64")
    s.step(steps=20)
    x = s.data.X_test[:1]
    whole = s.model.forward(x)[0].copy()  # (time, vocab) probabilities
    prefix = text_data.decode(x[0, :12].astype(np.int64), s.data.vocab)
    step = views.compute(s, "next_char", {"prefix": prefix})
    np.testing.assert_allclose(step["probabilities"], whole[11], rtol=1e-10, atol=1e-12)


def test_sampling_is_seeded_and_the_temperature_sharpens_it():
    s = preset("brackets-gru")
    s.step(steps=30)
    a = views.compute(s, "sample_text", {"length": 200, "seed": 1})
    b = views.compute(s, "sample_text", {"length": 200, "seed": 1})
    c = views.compute(s, "sample_text", {"length": 200, "seed": 2})
    assert a["text"] == b["text"] != c["text"]
    cold = views.compute(s, "sample_text", {"length": 200, "seed": 1, "temperature": 0.1})
    hot = views.compute(s, "sample_text", {"length": 200, "seed": 1, "temperature": 3.0})
    assert np.mean(cold["probabilities"]) > np.mean(hot["probabilities"])


def test_hidden_states_are_the_layers_own_and_gates_lie_in_their_ranges():
    s = preset("copy-lstm")
    hs = views.compute(s, "hidden_states", {"sample": 3})
    layer = s.model.layers[1]
    s.model.forward(s.data.X_train[3:4])
    np.testing.assert_array_equal(hs["layers"][0]["states"], layer.h_seq[0])
    assert len(hs["chars"]) == s.data.X_train.shape[1]
    g = views.compute(s, "gates", {"sample": 3})["layers"][0]["gates"]
    for name in ("i", "f", "o"):
        assert g[name].min() >= 0 and g[name].max() <= 1


def test_gradient_norms_at_the_last_step_are_the_norm_of_dl_dh_there():
    """At the last step, dL/dh_T is the output layer's input gradient alone."""
    s = preset("copy-rnn", dtype="float64")
    s.step(steps=10)
    out = views.compute(s, "gradient_norms", {"sample": 0, "count": 1})
    norms = out["layers"][0]["norms"]
    x, y = s.data.X_train[:1], s.data.y_train[:1]
    p = s.model.forward(x)
    dz = p.copy()
    dz[0, np.arange(p.shape[1]), y[0]] -= 1.0
    dz /= p.shape[1]
    dz[:, :-1] = 0.0
    W = s.model.layers[-1].params["W"]
    assert norms[-1] == pytest.approx(np.linalg.norm(dz[0, -1] @ W.T), rel=1e-9)
    assert norms.shape == (x.shape[1],) and np.all(norms[:-1] <= norms[-1] * 10)


def test_the_forecast_view_scores_seasonal_naive_as_the_data_module_does():
    from engine.data import forecast_baseline

    s = preset("airline-forecast")
    f = views.compute(s, "forecast", {})
    values, split = f["values"], f["split"]
    starts = np.arange(split, len(values) - 12 + 1)
    naive = forecast_baseline.seasonal_naive(values, 12, starts, 12)
    truth = values[starts[:, None] + np.arange(12)]
    assert f["naive_mase"] == pytest.approx(
        forecast_baseline.mase(naive, truth, values[:split], 12)
    )
    assert len(f["one_step"]["x"]) == len(f["one_step"]["y"])


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"loss": "mse"}, "loss"),
        (
            {"model": {"layers": [{"type": "embedding", "dim": 4}, {"type": "dense", "units": 2}]}},
            "model.layers[1].units",
        ),
        (
            {
                "model": {
                    "layers": [
                        {"type": "lstm", "units": 4, "return_sequences": True},
                        {"type": "dense"},
                        {"type": "dense"},
                    ]
                }
            },
            "model.layers[1].units",
        ),
    ],
)
def test_text_spec_errors_name_the_field(change, path):
    spec = get_preset("brackets-gru")["spec"]
    spec.update(change)
    with pytest.raises(SpecError) as caught:
        Session.from_spec(spec)
    assert caught.value.path == path


def test_an_embedding_without_text_data_needs_its_vocab_size():
    spec = {
        "data": {"dataset": "inline", "X": [[0, 1, 2], [2, 1, 0]], "y": [[0], [1]]},
        "model": {
            "layers": [
                {"type": "embedding", "dim": 3},
                {"type": "flatten"},
                {"type": "dense", "units": 1},
            ]
        },
    }
    with pytest.raises(SpecError) as caught:
        Session.from_spec(spec)
    assert caught.value.path == "model.layers[0].vocab_size"


def test_a_users_series_from_numbers_or_a_csv_column():
    values = list(np.sin(np.arange(200) / 5.0))
    spec = get_preset("sine-forecast")["spec"]
    spec["data"] = {
        "dataset": "series",
        "series": values,
        "params": {"input_length": 20, "horizon": 3},
    }
    s = Session.from_spec(spec)
    assert s.data.X_train.shape[1:] == (20, 1) and s.spec["model"]["layers"][-1]["units"] == 3
    csv = "t,v\n" + "\n".join(f"{i},{v}" for i, v in enumerate(values))
    spec["data"] = {
        "dataset": "series",
        "csv": csv,
        "column": "v",
        "params": {"input_length": 20, "horizon": 3},
    }
    t = Session.from_spec(spec)
    np.testing.assert_allclose(t.data.X_train, s.data.X_train)
    spec["data"]["column"] = "w"
    with pytest.raises(SpecError) as caught:
        Session.from_spec(spec)
    assert caught.value.path == "data.column"


def test_a_users_csv_is_read_once_though_checked_and_then_built(monkeypatch):
    from engine.data import sequential

    reads = []
    real = sequential.column_of
    monkeypatch.setattr(sequential, "column_of", lambda *a: reads.append(a) or real(*a))
    spec = get_preset("sine-forecast")["spec"]
    csv = "t,v\n" + "\n".join(f"{i},{np.sin(i / 5.0)}" for i in range(300))
    spec["data"] = {"dataset": "series", "csv": csv, "column": "v"}
    s = Session.from_spec(spec)
    assert len(reads) == 1
    spec["data"]["column"] = "t"  # another column is read anew
    t = Session.from_spec(spec)
    assert len(reads) == 2 and not np.array_equal(t.data.X_train, s.data.X_train)


def test_the_loss_log_of_large_outputs_flushes_in_pieces_with_the_same_numbers(monkeypatch):
    from engine import training_log

    whole = preset("copy-rnn")
    whole.step(epochs=1)
    monkeypatch.setattr(training_log, "PENDING_BYTES", 10_000)  # a few rows at a time
    pieces = preset("copy-rnn")
    assert len(pieces.log.buffer) < pieces.batch_size
    pieces.step(epochs=1)
    assert pieces.history == whole.history
    pieces.set({"batch_size": 200})  # larger than the buffer: it grows
    pieces.step(steps=2)
    assert len(pieces.history["step"]["batch_loss"]) == whole.steps_per_epoch + 2
