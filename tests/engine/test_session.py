"""Session: reproducibility, stepping, live changes, persistence and inspection."""

import copy
import json

import numpy as np
import pytest

from engine import Session, ShapeError, SpecError
from engine.optimizers import Adam
from engine.presets import get_preset

METRIC_KEYS = {
    "step",
    "epoch",
    "status",
    "batch_loss",
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "penalty",
}


# ---- specs ---------------------------------------------------------------------------


def preset_spec(name: str, n_samples: int | None = 60, **top) -> dict:
    """A preset, shrunk to `n_samples` points (TF sets; course sets are fixed)."""
    spec = get_preset(name)["spec"]
    if n_samples and "params" in spec["data"]:
        spec["data"]["params"]["n_samples"] = n_samples
    spec.update(top)
    return spec


def inline_spec(n: int = 25, batch_size=10, layers=None, **top) -> dict:
    """n points of an XOR-like problem given inline; no test set, so no shuffle needed."""
    rng = np.random.default_rng(7)
    X = rng.uniform(-1.0, 1.0, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)[:, None]
    spec = {
        "seed": 3,
        "data": {"dataset": "inline", "X": X.tolist(), "y": y.tolist()},
        "model": {
            "layers": layers
            or [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]
        },
        "loss": "binary_crossentropy",
        "optimizer": {"type": "sgd", "lr": 0.1},
        "batch_size": batch_size,
    }
    spec.update(top)
    return spec


def trained(spec: dict, steps: int) -> Session:
    s = Session.from_spec(spec)
    s.step(steps=steps)
    return s


def assert_same_weights(a, b):
    assert len(a) == len(b)
    for la, lb in zip(a, b):
        assert la.keys() == lb.keys()
        for name in la:
            assert np.array_equal(la[name], lb[name]), name


def assert_same_run(s: Session, t: Session):
    """Bit-identical weights, optimizer state, counters, history and metrics."""
    assert_same_weights(s.get_weights(), t.get_weights())
    for key, array in s.optimizer.state.items():
        assert np.array_equal(array, t.optimizer.state[key]), key
    assert s.optimizer.t == t.optimizer.t
    assert s.history == t.history
    assert s.metrics() == t.metrics()


def flat(weights) -> np.ndarray:
    return np.concatenate([a.ravel() for layer in weights for a in layer.values()])


SMALL_SPECS = {
    "circle": lambda: preset_spec("circle"),
    "spiral-3": lambda: preset_spec("spiral-3", 90),
    "reg-plane": lambda: preset_spec("reg-plane"),
    "course-xor": lambda: preset_spec("course-xor"),
    "inline-adam-l2": lambda: inline_spec(
        optimizer={"type": "adam", "lr": 0.01}, regularization={"type": "l2", "rate": 0.01}
    ),
    "float32": lambda: preset_spec("spiral", dtype="float32"),
}


# ---- reproducibility -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SMALL_SPECS))
def test_same_spec_gives_bit_identical_runs(name):
    a = trained(SMALL_SPECS[name](), 37)
    b = trained(SMALL_SPECS[name](), 37)
    assert_same_run(a, b)
    assert a.step_count == 37


@pytest.mark.parametrize("name", ["circle", "spiral-3", "reg-plane", "inline-adam-l2"])
def test_a_different_seed_gives_a_different_run(name):
    spec = SMALL_SPECS[name]()
    other = {**copy.deepcopy(spec), "seed": spec["seed"] + 1}
    a, b = Session.from_spec(spec), Session.from_spec(other)
    assert not np.array_equal(flat(a.get_weights()), flat(b.get_weights()))
    a.step(steps=5)
    b.step(steps=5)
    assert a.history != b.history


def test_changing_the_model_does_not_change_the_data():
    """Separate random streams: initialization draws never shift the data's draws."""
    spec = preset_spec("circle")
    wider = copy.deepcopy(spec)
    wider["model"]["layers"][0]["units"] = 7
    a, b = Session.from_spec(spec), Session.from_spec(wider)
    assert np.array_equal(a.data.X_train, b.data.X_train)
    assert np.array_equal(a.data.y_test, b.data.y_test)


def test_from_spec_does_not_modify_the_given_spec():
    spec = preset_spec("circle")
    before = copy.deepcopy(spec)
    Session.from_spec(spec).step(steps=3)
    assert spec == before


def test_session_spec_is_normalized_and_rebuilds_the_same_session():
    s = trained(preset_spec("spiral-3", 90), 10)
    t = trained(copy.deepcopy(s.spec), 10)
    assert t.spec == s.spec
    assert_same_run(s, t)
    json.dumps(s.spec, allow_nan=False)


# ---- reset -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["circle", "inline-adam-l2", "course-xor"])
def test_reset_restores_initial_weights_and_data_after_training_and_changes(name):
    spec = SMALL_SPECS[name]()
    fresh = Session.from_spec(spec)
    s = Session.from_spec(spec)
    s.step(steps=13)
    s.set({"optimizer": {"lr": 0.5}, "batch_size": 3})
    s.step(steps=4)
    s.reset()
    assert_same_weights(s.get_weights(), fresh.get_weights())
    for field in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(s.data, field), getattr(fresh.data, field))
    assert (s.step_count, s.epoch, s.status) == (0, 0, "ready")
    assert s.history == fresh.history
    assert all(not a.any() for a in s.optimizer.state.values())
    assert s.spec["optimizer"]["lr"] == 0.5  # live changes are kept; progress is not


@pytest.mark.parametrize("name", ["circle", "inline-adam-l2"])
def test_training_after_reset_repeats_the_first_run(name):
    spec = SMALL_SPECS[name]()
    s = trained(spec, 17)
    first = s.get_weights(), s.history
    s.reset()
    s.step(steps=17)
    assert_same_weights(s.get_weights(), first[0])
    assert s.history == first[1]


# ---- stepping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "batch_size", "per_epoch"),
    [
        (25, 10, 3),
        (20, 10, 2),
        (25, 1, 25),
        (25, 25, 1),
        (25, 100, 1),
        (25, "full", 1),
    ],
)
def test_steps_per_epoch_counts_the_last_partial_batch(n, batch_size, per_epoch):
    s = Session.from_spec(inline_spec(n, batch_size))
    assert s.steps_per_epoch == per_epoch
    m = s.step(epochs=2)
    assert (m["step"], m["epoch"]) == (2 * per_epoch, 2)


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 7])
def test_step_steps_advances_by_exactly_n(steps):
    s = Session.from_spec(inline_spec(25, 10))
    s.step(steps=2)
    m = s.step(steps=steps)
    assert m["step"] == 2 + steps
    assert m["epoch"] == (2 + steps) // 3
    assert isinstance(m["step"], int) and isinstance(m["epoch"], int)


@pytest.mark.parametrize(
    ("before", "epochs", "step", "epoch"),
    [
        (0, 1, 3, 1),
        (0, 3, 9, 3),
        (1, 1, 3, 1),
        (2, 1, 3, 1),
        (3, 1, 6, 2),
        (4, 2, 9, 3),
        (5, 0, 5, 1),
    ],
)
def test_step_epochs_ends_exactly_on_an_epoch_boundary(before, epochs, step, epoch):
    """Mid-epoch, `epochs=1` finishes the current epoch."""
    s = Session.from_spec(inline_spec(25, 10))
    s.step(steps=before)
    m = s.step(epochs=epochs)
    assert (m["step"], m["epoch"]) == (step, epoch)


def test_last_partial_batch_is_a_batch_of_its_own():
    """25 rows, batch 10, no shuffling: step 3 trains rows 20-24 only, step 4 rows 0-9."""
    spec = inline_spec(
        25,
        10,
        loss="mse",
        data={**inline_spec()["data"], "shuffle": False},
        model={"layers": [{"units": 1}]},
    )
    s = trained(spec, 2)
    X, y = s.data.X_train, s.data.y_train
    expected_third = float(np.mean((s.predict(X[20:]) - y[20:]) ** 2))
    s.step(steps=1)
    expected_fourth = float(np.mean((s.predict(X[:10]) - y[:10]) ** 2))
    s.step(steps=1)
    losses = s.history["step"]["batch_loss"]
    assert losses[2] == pytest.approx(expected_third, rel=1e-12)
    assert losses[3] == pytest.approx(expected_fourth, rel=1e-12)


def test_full_batch_follows_the_training_set_size():
    s = Session.from_spec(preset_spec("circle", 60, batch_size="full"))
    assert s.batch_size == 30 and s.steps_per_epoch == 1


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({}, "steps"),
        ({"steps": 1, "epochs": 1}, "steps"),
        ({"steps": -1}, "steps"),
        ({"epochs": -2}, "epochs"),
        ({"steps": 1.5}, "steps"),
        ({"steps": "3"}, "steps"),
    ],
)
def test_bad_step_arguments_raise_spec_error(kwargs, path):
    s = Session.from_spec(inline_spec())
    with pytest.raises(SpecError) as info:
        s.step(**kwargs)
    assert info.value.path == path
    assert s.step_count == 0


# ---- save / load -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first", "then"),
    [
        ("circle-adam", 11, 13),  # 30 rows, batch 4: save inside epoch 2
        ("spiral-3", 5, 9),
        ("reg-plane-momentum", 3, 4),
        ("inline-adam-l2", 3, 5),  # save right at an epoch boundary (3 steps each)
        ("inline-adam-l2", 4, 5),
        ("float32", 2, 3),
        ("circle-adam", 0, 6),  # never stepped
    ],
)
def test_save_and_load_mid_epoch_resumes_bit_identically(tmp_path, name, first, then):
    specs = {
        "circle-adam": lambda: preset_spec(
            "circle",
            batch_size=4,
            optimizer={"type": "adam", "lr": 0.01},
            regularization={"type": "l1", "rate": 0.001},
        ),
        "reg-plane-momentum": lambda: preset_spec(
            "reg-plane", optimizer={"type": "sgd", "lr": 0.01, "momentum": 0.9, "nesterov": True}
        ),
        **SMALL_SPECS,
    }
    spec = specs[name]()
    assert Session.from_spec(spec).spec["data"]["shuffle"] is True
    straight = trained(spec, first + then)
    s = trained(spec, first)
    s.save(tmp_path / "saved")
    resumed = Session.load(tmp_path / "saved")
    assert resumed.metrics() == s.metrics()
    assert resumed.history == s.history
    resumed.step(steps=then)
    assert (resumed.step_count, resumed.epoch, resumed.status) == (
        straight.step_count,
        straight.epoch,
        straight.status,
    )
    assert_same_run(resumed, straight)
    assert resumed.spec == straight.spec


@pytest.mark.parametrize("name", ["inline-adam-l2", "float32", "spiral-3"])
def test_history_does_not_depend_on_how_steps_are_grouped(name):
    at_once = trained(SMALL_SPECS[name](), 12)
    one_by_one = Session.from_spec(SMALL_SPECS[name]())
    for _ in range(12):
        one_by_one.step(steps=1)
    assert_same_weights(at_once.get_weights(), one_by_one.get_weights())
    assert at_once.history == one_by_one.history
    assert at_once.metrics() == one_by_one.metrics()


def test_saved_files_are_json_and_npz_without_pickle(tmp_path):
    s = trained(preset_spec("circle", batch_size=4), 9)
    s.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npz", "session.json"]
    meta = json.loads((tmp_path / "session.json").read_text())
    assert meta["step"] == 9 and meta["spec"] == s.spec
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    assert arrays and all(a.dtype != object for a in arrays.values())


def test_a_loaded_session_resets_like_the_original(tmp_path):
    spec = preset_spec("circle", batch_size=4)
    s = trained(spec, 5)
    s.save(tmp_path)
    loaded = Session.load(tmp_path)
    loaded.reset()
    assert_same_run(loaded, Session.from_spec(spec))


def test_a_diverged_session_whose_loss_overflowed_can_be_saved(tmp_path):
    spec = preset_spec("reg-plane", 100, optimizer={"type": "sgd", "lr": 100.0})
    s = trained(spec, 200)
    assert s.status == "diverged"
    assert s.history["step"]["batch_loss"][-1] is None  # the last good step's loss was inf
    s.save(tmp_path)
    loaded = Session.load(tmp_path)
    assert loaded.status == "diverged"
    assert_same_weights(loaded.get_weights(), s.get_weights())


# ---- divergence ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diverging_spec():
    return preset_spec("reg-plane", 100, optimizer={"type": "sgd", "lr": 1e6})


def test_divergence_keeps_the_last_finite_weights(diverging_spec):
    s = Session.from_spec(diverging_spec)
    m = s.step(steps=1000)
    assert m["status"] == s.status == "diverged"
    done = m["step"]
    assert 0 < done < 1000
    weights = s.get_weights()
    assert all(np.isfinite(a).all() for layer in weights for a in layer.values())
    one_less = trained(diverging_spec, done)  # every step it took succeeded
    assert one_less.status == "ready"
    assert_same_weights(weights, one_less.get_weights())
    assert one_less.step(steps=1)["status"] == "diverged"
    assert one_less.step_count == done


def test_a_diverged_session_does_not_step_until_reset(diverging_spec):
    s = trained(diverging_spec, 1000)
    weights, history, metrics = s.get_weights(), s.history, s.metrics()
    assert s.step(steps=5) == metrics
    assert s.step(epochs=2) == metrics
    assert_same_weights(s.get_weights(), weights)
    assert s.history == history
    s.reset()
    assert (s.status, s.step_count) == ("ready", 0)
    assert s.step(steps=1)["status"] == "ready"


def test_after_divergence_the_optimizer_starts_afresh(diverging_spec):
    spec = dict(diverging_spec, optimizer={"type": "sgd", "lr": 1e6, "momentum": 0.9})
    s = Session.from_spec(spec)
    s.step(steps=200)
    assert s.status == "diverged"
    assert s.optimizer.t == 0
    assert all(not a.any() for a in s.optimizer.state.values())
    s.set_weights(s.get_weights())
    assert s.status == "ready"


# ---- epochs limit --------------------------------------------------------------------------


def test_training_finishes_at_the_spec_epochs_and_resumes_when_raised():
    s = Session.from_spec(inline_spec(25, 10, epochs=3))
    m = s.step(steps=100)
    assert (m["status"], m["epoch"], m["step"]) == ("finished", 3, 9)
    weights = s.get_weights()
    assert s.step(epochs=5)["step"] == 9
    assert_same_weights(s.get_weights(), weights)
    s.set({"epochs": 5})
    assert s.status == "ready"
    m = s.step(epochs=100)
    assert (m["status"], m["epoch"], m["step"]) == ("finished", 5, 15)


def test_finished_run_matches_an_unlimited_run_up_to_the_limit():
    limited = Session.from_spec(inline_spec(25, 10, epochs=4))
    limited.step(steps=50)
    free = trained(inline_spec(25, 10), 12)
    assert_same_weights(limited.get_weights(), free.get_weights())


def test_lowering_epochs_below_the_current_epoch_finishes_on_the_next_step():
    s = trained(inline_spec(25, 10), 7)
    s.set({"epochs": 1})
    assert s.step(steps=1)["status"] == "finished"
    assert s.step_count == 7
    s.set({"epochs": None})
    assert s.step(steps=1)["step"] == 8


# ---- live changes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "optimizer",
    [
        {"type": "sgd", "lr": 0.1},
        {"type": "sgd", "lr": 0.1, "momentum": 0.9},
        {"type": "rmsprop", "momentum": 0.5, "centered": True},
        {"type": "adagrad", "lr_decay": 0.1},
        {"type": "adam", "lr": 0.01},
    ],
    ids=lambda o: o["type"] + ("-momentum" if o.get("momentum") else ""),
)
def test_set_lr_scales_the_next_update_and_keeps_weights_and_state(optimizer):
    """Given the same state, every one of these updates is proportional to lr."""
    spec = preset_spec("circle", optimizer=optimizer)
    a, b = trained(spec, 9), trained(spec, 9)
    before = flat(a.get_weights())
    state_before = {k: x.copy() for k, x in a.optimizer.state.items()}
    a.set({"optimizer": {"lr": optimizer["lr"] * 0.5 if "lr" in optimizer else 0.005}})
    assert np.array_equal(flat(a.get_weights()), before)
    assert a.optimizer.t == 9
    for key, x in state_before.items():
        assert np.array_equal(a.optimizer.state[key], x)
    ratio = a.spec["optimizer"]["lr"] / b.spec["optimizer"]["lr"]
    a.step(steps=1)
    b.step(steps=1)
    np.testing.assert_allclose(
        flat(a.get_weights()) - before,
        ratio * (flat(b.get_weights()) - before),
        rtol=1e-8,
        atol=1e-15,
    )


def test_set_optimizer_hyperparameter_updates_spec_and_optimizer():
    s = trained(preset_spec("circle", optimizer={"type": "sgd", "lr": 0.1, "momentum": 0.5}), 4)
    buffer = s.optimizer.state["momentum_buffer"].copy()
    s.set({"optimizer": {"momentum": 0.9, "nesterov": True}})
    assert s.spec["optimizer"] == {
        "type": "sgd",
        "lr": 0.1,
        "momentum": 0.9,
        "dampening": 0.0,
        "nesterov": True,
        "weight_decay": 0.0,
        "clip_norm": 0.0,
    }
    assert s.optimizer.hyper["momentum"] == 0.9 and s.optimizer.hyper["nesterov"] is True
    assert np.array_equal(s.optimizer.state["momentum_buffer"], buffer)


def test_set_batch_size_to_full_gives_a_full_batch_step():
    data = {**inline_spec()["data"], "shuffle": False}
    s = Session.from_spec(inline_spec(25, 10, data=data))
    s.step(epochs=1)
    s.set({"batch_size": "full"})
    assert s.steps_per_epoch == 1
    reference = Session.from_spec(inline_spec(25, "full", data=data))
    reference.set_weights(s.get_weights())
    s.step(steps=1)
    reference.step(steps=1)
    assert (s.step_count, s.epoch) == (4, 2)
    np.testing.assert_allclose(
        flat(s.get_weights()), flat(reference.get_weights()), rtol=1e-12, atol=1e-15
    )


def test_set_batch_size_mid_epoch_applies_from_the_next_batch():
    s = trained(inline_spec(25, 10), 1)
    s.set({"batch_size": 4})
    m = s.step(epochs=1)  # rows 10-24 in batches of 4, 4, 4, 3
    assert (m["step"], m["epoch"]) == (5, 1)
    assert s.steps_per_epoch == 7


def test_switching_optimizer_type_starts_fresh_state_and_keeps_weights():
    s = trained(preset_spec("circle", optimizer={"type": "sgd", "lr": 0.1, "momentum": 0.9}), 6)
    before = flat(s.get_weights())
    s.set({"optimizer": {"type": "adam", "lr": 0.01}})
    assert isinstance(s.optimizer, Adam) and s.optimizer.t == 0
    assert s.spec["optimizer"] == {
        "type": "adam",
        "lr": 0.01,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "weight_decay": 0.0,
        "clip_norm": 0.0,
    }
    assert np.array_equal(flat(s.get_weights()), before)
    s.step(steps=1)
    delta = np.abs(flat(s.get_weights()) - before)
    # Adam's first step moves every parameter with a gradient by lr·|g|/(|g| + eps)
    assert delta.max() <= 0.01 and delta.max() == pytest.approx(0.01, rel=1e-3)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"optimizer": {"lr": -1}}, "optimizer.lr"),
        ({"optimizer": {"lr": 0.5}, "batch_size": 0}, "batch_size"),
        ({"optimizer": {"type": "nadam"}}, "optimizer.type"),
        ({"optimizer": {"beta1": 0.9}}, "optimizer.beta1"),
        ({"optimizer": {"nesterov": True}}, "optimizer.nesterov"),
        ({"regularization": {"type": "l5"}}, "regularization.type"),
        ({"regularization": {"rate": -0.1}, "epochs": 5}, "regularization.rate"),
        ({"epochs": 0}, "epochs"),
        ({"shuffle": "yes"}, "shuffle"),
        ({"loss": "mse"}, "loss"),
        ({"data": {"dataset": "xor"}}, "data"),
        ("lr=0.1", ""),
    ],
)
def test_invalid_set_raises_and_changes_nothing(changes, path):
    s = trained(preset_spec("circle", optimizer={"type": "sgd", "lr": 0.1}), 5)
    spec, hyper, weights = copy.deepcopy(s.spec), dict(s.optimizer.hyper), s.get_weights()
    optimizer, reg = s.optimizer, dict(s.regularizer.spec)
    with pytest.raises(SpecError) as info:
        s.set(changes)
    assert info.value.path == path
    assert s.spec == spec
    assert s.optimizer is optimizer and s.optimizer.hyper == hyper
    assert s.regularizer.spec == reg
    assert_same_weights(s.get_weights(), weights)


# ---- regularization ------------------------------------------------------------------------


def _two_layer_sgd(reg: dict | None) -> dict:
    return inline_spec(
        25,
        "full",
        layers=[
            {"units": 3, "activation": "tanh", "bias_init": {"type": "uniform"}},
            {"units": 1, "activation": "sigmoid", "bias_init": {"type": "uniform"}},
        ],
        optimizer={"type": "sgd", "lr": 0.3},
        regularization=reg,
    )


@pytest.mark.parametrize("kind", ["l2", "l1"])
@pytest.mark.parametrize("how", ["spec", "set"])
def test_regularized_sgd_step_adds_lr_rate_term_to_kernels_only(kind, how):
    rate, lr = 0.05, 0.3
    plain = Session.from_spec(_two_layer_sgd(None))
    if how == "spec":
        reg = Session.from_spec(_two_layer_sgd({"type": kind, "rate": rate}))
    else:
        reg = Session.from_spec(_two_layer_sgd(None))
        reg.set({"regularization": {"type": kind, "rate": rate}})
    w0 = reg.get_weights()
    plain.step(steps=1)
    reg.step(steps=1)
    for before, p, r in zip(w0, plain.get_weights(), reg.get_weights()):
        term = before["W"] if kind == "l2" else np.sign(before["W"])
        np.testing.assert_allclose(r["W"], p["W"] - lr * rate * term, rtol=1e-12, atol=1e-15)
        assert np.array_equal(r["b"], p["b"])


@pytest.mark.parametrize(
    ("reg", "expected"),
    [
        (None, lambda ws: 0.0),
        ({"type": "l2", "rate": 0.2}, lambda ws: 0.5 * 0.2 * sum((w["W"] ** 2).sum() for w in ws)),
        ({"type": "l1", "rate": 0.2}, lambda ws: 0.2 * sum(np.abs(w["W"]).sum() for w in ws)),
        ({"type": "l2", "rate": 0.0}, lambda ws: 0.0),
    ],
)
def test_penalty_counts_kernels_only(reg, expected):
    s = Session.from_spec(_two_layer_sgd(reg))
    value = expected(s.get_weights())
    assert s.metrics()["penalty"] == pytest.approx(value, rel=1e-12)
    assert s.regularizer.penalty() == pytest.approx(value, rel=1e-12)


def test_reported_losses_exclude_the_penalty():
    plain = trained(_two_layer_sgd(None), 1)
    reg = Session.from_spec(_two_layer_sgd({"type": "l2", "rate": 1.0}))
    reg.set_weights(plain.get_weights())
    assert reg.metrics(evaluate=True)["train_loss"] == plain.metrics(evaluate=True)["train_loss"]
    plain.reset()
    plain.set_weights(reg.get_weights())
    reg.step(steps=1)
    plain.step(steps=1)
    # the recorded batch and epoch losses (same weights before the step) are the data loss
    assert reg.metrics()["batch_loss"] == plain.metrics()["batch_loss"]
    assert reg.metrics()["train_loss"] == plain.metrics()["train_loss"]
    assert reg.metrics()["penalty"] > 0 and plain.metrics()["penalty"] == 0.0


# ---- frozen layers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "optimizer",
    [
        {"type": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
        {"type": "adamw", "lr": 0.01, "weight_decay": 0.5},
    ],
    ids=["sgd", "adamw"],
)
@pytest.mark.parametrize("frozen", [0, 1])
def test_a_frozen_layer_keeps_its_weights(optimizer, frozen):
    spec = preset_spec("circle", optimizer=optimizer, regularization={"type": "l2", "rate": 0.1})
    spec["model"]["layers"][frozen]["trainable"] = False
    s = Session.from_spec(spec)
    w0 = s.get_weights()
    s.step(steps=12)
    w = s.get_weights()
    assert_same_weights([w[frozen]], [w0[frozen]])
    for i in set(range(len(w))) - {frozen}:
        assert not np.array_equal(w[i]["W"], w0[i]["W"])
        assert not np.array_equal(w[i]["b"], w0[i]["b"])


# ---- inspection ------------------------------------------------------------------------------

FEATURES = ["x1", "x2", "x1^2", "x1*x2", "sin(x2)"]


def _features(P: np.ndarray) -> np.ndarray:
    x1, x2 = P[:, 0], P[:, 1]
    return np.stack([x1, x2, x1 * x1, x1 * x2, np.sin(x2)], axis=1)


@pytest.fixture(scope="module")
def featured():
    spec = preset_spec("circle")
    spec["data"]["features"] = FEATURES
    spec["model"]["layers"] = [
        {"units": 5, "activation": "tanh"},
        {"units": 3, "activation": "relu"},
        {"units": 1, "activation": "sigmoid"},
    ]
    return trained(spec, 7)


def test_predict_computes_the_forward_pass_on_features(featured):
    P = np.array([[0.5, -1.0], [2.0, 3.0], [-4.0, 0.0]])
    out = featured.predict(P.tolist())
    (W1, b1), (W2, b2), (W3, b3) = [(w["W"], w["b"]) for w in featured.get_weights()]
    a1 = np.tanh(_features(P) @ W1 + b1)
    a2 = np.maximum(a1 @ W2 + b2, 0.0)
    expected = 1.0 / (1.0 + np.exp(-(a2 @ W3 + b3)))
    assert out.shape == (3, 1)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_activations_list_inputs_then_each_layer_ending_with_predict(featured):
    P = np.random.default_rng(0).uniform(-5, 5, (6, 2))
    acts = featured.activations(P)
    assert [a.shape for a in acts] == [(6, 5), (6, 5), (6, 3), (6, 1)]
    np.testing.assert_allclose(acts[0], _features(P), rtol=1e-15)
    assert np.array_equal(acts[-1], featured.predict(P))
    assert (acts[2] >= 0).all()


def test_predict_returns_a_copy(featured):
    P = [[1.0, 1.0]]
    first = featured.predict(P)
    featured.predict([[2.0, -2.0]])
    assert np.array_equal(first, featured.predict(P))


@pytest.mark.parametrize(
    ("inputs", "path"),
    [
        ([[1.0, 2.0, 3.0]], "inputs"),
        ([["a", 1.0]], "inputs"),
        ([[float("nan"), 1.0]], "inputs"),
    ],
)
def test_predict_rejects_bad_inputs(featured, inputs, path):
    with pytest.raises(SpecError) as info:
        featured.predict(inputs)
    assert info.value.path == path


@pytest.mark.parametrize("resolution", [2, 7, 20])
def test_boundary_shapes_and_values_match_predict_on_the_grid(featured, resolution):
    b = featured.boundary(resolution)
    r = resolution
    assert b["x"].shape == b["y"].shape == (r,)
    assert b["output"].shape == (r, r, 1)
    assert [a.shape for a in b["layers"]] == [(r, r, 5), (r, r, 3), (r, r, 1)]
    assert np.array_equal(b["layers"][-1], b["output"])
    low, high = featured.data.view
    assert (b["x"][0], b["x"][-1]) == (low, high)
    # row i, column j is the point (x[j], y[i])
    gx, gy = np.meshgrid(b["x"], b["y"])
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    expected = featured.predict(points)
    # float32 by default (documented: a heatmap needs 7 digits); float64 on request
    assert b["output"].dtype == np.float32
    np.testing.assert_allclose(b["output"].reshape(-1, 1), expected, rtol=1e-5)
    exact = featured.boundary(resolution, dtype="float64")
    assert exact["output"].dtype == np.float64
    np.testing.assert_allclose(exact["output"].reshape(-1, 1), expected, rtol=1e-12)
    for k, layer in enumerate(exact["layers"]):
        np.testing.assert_allclose(
            layer.reshape(r * r, -1), featured.activations(points)[k + 1], rtol=1e-12, atol=1e-15
        )
    i, j = r - 1, 0
    np.testing.assert_allclose(
        exact["output"][i, j], featured.predict([[b["x"][j], b["y"][i]]])[0], rtol=1e-12
    )


def test_boundary_follows_training(featured):
    s = trained(copy.deepcopy(featured.spec), 1)
    before = s.boundary(5, dtype="float64")["output"].copy()
    s.step(steps=3)
    after = s.boundary(5, dtype="float64")["output"]
    assert not np.array_equal(after, before)
    np.testing.assert_allclose(s.boundary(5)["output"], after, rtol=1e-5)


def test_boundary_needs_two_dimensional_points():
    s = Session.from_spec(preset_spec("course-exercise"))
    with pytest.raises(SpecError, match="2-D"):
        s.boundary(10)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"resolution": 1}, "resolution"),
        ({"resolution": 0}, "resolution"),
        ({"resolution": 1001}, "resolution"),
        ({"resolution": 2.5}, "resolution"),
        ({"resolution": 4, "dtype": "float16"}, "dtype"),
    ],
)
def test_boundary_rejects_bad_arguments(featured, kwargs, path):
    with pytest.raises(SpecError) as info:
        featured.boundary(**kwargs)
    assert info.value.path == path


def test_float32_sessions_produce_float32_arrays():
    s = trained(preset_spec("spiral-3", 90, dtype="float32"), 5)
    P = [[0.5, 1.0], [-1.0, 2.0]]
    assert s.model.params.dtype == np.float32
    assert s.predict(P).dtype == np.float32
    assert all(a.dtype == np.float32 for a in s.activations(P))
    b = s.boundary(4)
    assert b["output"].dtype == np.float32
    assert all(a.dtype == np.float32 for a in b["layers"])
    assert all(a.dtype == np.float32 for w in s.get_weights() for a in w.values())
    assert all(isinstance(v, float) for k, v in s.metrics().items() if k.endswith("loss"))


# ---- weights -----------------------------------------------------------------------------------


def test_get_weights_gives_each_layer_W_and_b_as_copies():
    s = Session.from_spec(preset_spec("circle"))
    weights = s.get_weights()
    assert [(w["W"].shape, w["b"].shape) for w in weights] == [
        ((2, 4), (4,)),
        ((4, 2), (2,)),
        ((2, 1), (1,)),
    ]
    weights[0]["W"][:] = 123.0
    assert not (s.get_weights()[0]["W"] == 123.0).any()


def test_set_weights_round_trip_and_json_lists():
    s = trained(preset_spec("circle"), 3)
    rng = np.random.default_rng(5)
    new = [{k: rng.normal(size=a.shape) for k, a in w.items()} for w in s.get_weights()]
    s.set_weights([{k: a.tolist() for k, a in w.items()} for w in new])
    assert_same_weights(s.get_weights(), new)
    s.set_weights(s.get_weights())
    assert_same_weights(s.get_weights(), new)


def test_set_weights_refreshes_metrics():
    s = Session.from_spec(preset_spec("circle"))
    before = s.metrics(evaluate=True)["train_loss"]
    zeros = [{k: np.zeros_like(a) for k, a in w.items()} for w in s.get_weights()]
    s.set_weights(zeros)
    after = s.metrics(evaluate=True)["train_loss"]
    assert after != before
    assert after == pytest.approx(np.log(2.0), rel=1e-12)  # sigmoid(0) = 0.5 everywhere


def _bad_weights(kind, weights):
    w = copy.deepcopy(weights)
    w[0]["W"] = w[0]["W"] + 1.0  # a valid change before the bad entry
    if kind == "shape":
        w[1]["W"] = np.zeros((2, 4))
    elif kind == "missing":
        del w[1]["b"]
    elif kind == "extra":
        w[2]["gamma"] = np.ones(1)
    elif kind == "layers":
        w = w[:2]
    elif kind == "nan":
        w[2]["b"] = np.array([np.nan])
    elif kind == "text":
        w[1]["b"] = ["a", "b"]
    elif kind == "not_list":
        w = {"W": 1}
    return w


@pytest.mark.parametrize(
    ("kind", "path", "received"),
    [
        ("shape", "weights[1].W", "(2, 4)"),
        ("missing", "weights[1]", "'W'"),
        ("extra", "weights[2]", "['W', 'b']"),
        ("layers", "weights", "2"),
        ("nan", "weights[2].b", "NaN"),
        ("text", "weights[1].b", ""),
        ("not_list", "weights", "W"),
    ],
)
def test_set_weights_with_bad_arrays_raises_shape_error_and_changes_nothing(kind, path, received):
    s = trained(preset_spec("circle"), 3)
    weights = s.get_weights()
    with pytest.raises(ShapeError) as info:
        s.set_weights(_bad_weights(kind, weights))
    assert isinstance(info.value, SpecError)
    assert info.value.path == path
    assert received in info.value.message
    assert_same_weights(s.get_weights(), weights)


# ---- history -------------------------------------------------------------------------------------


def test_history_stays_bounded_on_long_runs():
    """5,000 full-batch steps on the four XOR points: one step and one epoch each.

    A series keeps at most 2,048 points; past that each stored point averages `stride`
    raw points, and the fewer-than-`stride` newest raw points wait unstored.
    """
    s = trained(preset_spec("course-xor", epochs=None), 5000)
    h = s.history
    for series, n in ((h["step"], s.step_count), (h["epoch"], s.epoch)):
        size, stride = len(series["x"]), series["stride"]
        assert n == 5000
        assert size <= 2048 and stride == 4
        assert size * stride <= n < (size + 1) * stride
        assert series["x"] == list(range(stride, size * stride + 1, stride))
    assert len(h["step"]["batch_loss"]) == len(h["step"]["x"])
    assert set(h["epoch"]) == {
        "x",
        "stride",
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
    }


def test_history_records_each_step_and_epoch():
    s = Session.from_spec(inline_spec(25, 10))
    s.step(steps=7)
    h = s.history
    assert h["step"]["x"] == [1, 2, 3, 4, 5, 6, 7] and h["step"]["stride"] == 1
    assert h["epoch"]["x"] == [1, 2]
    assert h["epoch"]["test_loss"] == [None, None]  # no test set
    assert all(0.0 <= a <= 1.0 for a in h["epoch"]["train_accuracy"])
    assert s.metrics()["batch_loss"] == h["step"]["batch_loss"][-1]
    json.dumps(h, allow_nan=False)


def test_epoch_train_loss_is_the_mean_of_its_batch_losses_by_rows():
    s = Session.from_spec(inline_spec(25, 10))
    s.step(epochs=1)
    batch = s.history["step"]["batch_loss"]
    expected = (10 * batch[0] + 10 * batch[1] + 5 * batch[2]) / 25
    assert s.history["epoch"]["train_loss"][0] == pytest.approx(expected, rel=1e-12)


# ---- metrics -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "has_test", "classification"),
    [
        ("circle", True, True),
        ("reg-plane", True, False),
        ("course-xor", False, True),
        ("inline-adam-l2", False, True),
    ],
)
def test_metrics_keys_and_types(name, has_test, classification):
    s = Session.from_spec(SMALL_SPECS[name]())
    m = s.metrics()
    assert set(m) == METRIC_KEYS
    assert (m["step"], m["epoch"], m["status"], m["batch_loss"]) == (0, 0, "ready", None)
    m = s.step(steps=3)
    assert set(m) == METRIC_KEYS
    assert type(m["step"]) is int and type(m["epoch"]) is int
    assert isinstance(m["batch_loss"], float) and isinstance(m["train_loss"], float)
    assert isinstance(m["penalty"], float)
    assert (m["test_loss"] is not None) == has_test
    assert (m["train_accuracy"] is not None) == classification
    assert (m["test_accuracy"] is not None) == (has_test and classification)
    json.dumps(m, allow_nan=False)


def test_metrics_report_the_last_finished_epoch_by_default():
    s = trained(preset_spec("circle"), 4)  # 3 steps per epoch
    epoch = s.history["epoch"]
    m = s.metrics()
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert m[key] == epoch[key][-1]
    assert m["batch_loss"] == s.history["step"]["batch_loss"][-1]


def test_metrics_evaluate_the_whole_sets_with_current_weights():
    s = trained(preset_spec("circle"), 8)
    m = s.metrics(evaluate=True)
    assert set(m) == METRIC_KEYS and m["step"] == 8
    d = s.data
    p_train, p_test = s.predict(d.points_train), s.predict(d.points_test)

    def bce(p, y):
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    assert m["train_loss"] == pytest.approx(bce(p_train, d.y_train), rel=1e-9)
    assert m["test_loss"] == pytest.approx(bce(p_test, d.y_test), rel=1e-9)
    assert m["train_accuracy"] == np.mean((p_train >= 0.5) == (d.y_train >= 0.5))
    assert m["test_accuracy"] == np.mean((p_test >= 0.5) == (d.y_test >= 0.5))


def test_inline_points_are_drawn_on_the_view_the_spec_names(tmp_path):
    """Points clicked onto TF's [-6, 6] plane stay on that plane; without a view the
    plane spans the points."""
    data = {"dataset": "inline", "X": [[0, 0], [1, 1]], "y": [[0], [1]]}
    model = {"layers": [{"type": "dense", "units": 1, "activation": "sigmoid"}]}
    spanned = Session.from_spec({"data": data, "model": model})
    assert spanned.data.view == pytest.approx((-0.1, 1.1))
    fixed = Session.from_spec({"data": {**data, "view": [-6, 6]}, "model": model})
    assert fixed.data.view == (-6.0, 6.0)
    assert fixed.boundary(3)["x"].tolist() == [-6.0, 0.0, 6.0]
    fixed.save(tmp_path / "s")
    assert Session.load(tmp_path / "s").data.view == (-6.0, 6.0)


def test_steps_within_epoch_counts_the_steps_before_a_boundary():
    """25 samples in batches of 10: steps of 10, 10 and a last partial 5. Only after the
    first step of an epoch can a step run without starting or ending one."""
    s = Session.from_spec(inline_spec(n=25, batch_size=10))
    assert s.n_train == 25 and s.steps_per_epoch == 3
    seen = []
    for _ in range(7):
        seen.append((s.epoch, s.steps_within_epoch))
        s.step(steps=1)
    assert seen == [(0, 0), (0, 1), (0, 0), (1, 0), (1, 1), (1, 0), (2, 0)]
