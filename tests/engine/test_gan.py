"""GANs: the generator's gradient through the discriminator against finite differences,
each loss against its formula, a step of one network changes only that network, the
epochs and history, and saving mid-training resumes bit-identically."""

import copy

import numpy as np
import pytest

from engine import Session
from engine.objectives import gan_losses as losses

RTOL = 1e-7  # on the whole gradient's norm: a tiny element's own error is the differences' noise
H = 1e-5
LOSSES = ("minimax", "non_saturating", "least_squares")


def dense(units, activation="tanh", **kw):
    return {"type": "dense", "units": units, "activation": activation, **kw}


def points_spec(loss="non_saturating", **changes) -> dict:
    spec = {
        "objective": "adversarial",
        "seed": 3,
        "data": {"dataset": "gan-gaussians", "params": {"n_samples": 300}},
        "generator": {"layers": [dense(6), dense(5), dense(2, "linear")]},
        "discriminator": {"layers": [dense(6), dense(4), dense(1, "sigmoid")]},
        "noise": {"dim": 3, "distribution": "normal"},
        "gan_loss": loss,
        "optimizer": {"type": "adam", "lr": 0.01, "beta1": 0.5},
        "batch_size": 100,
    }
    spec.update(changes)
    return spec


def image_spec(loss="non_saturating", **changes) -> dict:
    """Digits from a dense generator (tanh, reshaped) and a convolutional discriminator."""
    conv = {"type": "conv2d", "filters": 2, "kernel_size": 3, "activation": "tanh"}
    spec = points_spec(
        loss,
        data={"dataset": "digits", "params": {"n_samples": 60}},
        generator={"layers": [dense(8), dense(64), {"type": "reshape", "shape": [8, 8, 1]}]},
        discriminator={"layers": [conv, {"type": "flatten"}, dense(1, "sigmoid")]},
        batch_size=16,
    )
    spec.update(changes)
    return spec


def rel_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a + b), 1e-12)


def numeric_grad(f, x: np.ndarray) -> np.ndarray:
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i]
        x[i] = old + H
        up = f()
        x[i] = old - H
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * H)
    return grad


# -- gradients ------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("make", [points_spec, image_spec], ids=["dense", "conv"])
def test_generator_gradient_through_the_discriminator_matches_finite_differences(make, loss):
    s = Session.from_spec(make(loss))
    s.step(steps=3)  # away from the initial weights
    o = s.objective
    z = o.draw_noise(np.random.default_rng(1), 7)
    G, D = o.generator, o.discriminator
    d_params = D.params.copy()
    o.g_gradients(z)
    analytic = G.grads.copy()
    numeric = numeric_grad(lambda: o.g_gradients(z)[0], G.params)
    assert rel_error(analytic, numeric) < RTOL
    assert np.array_equal(D.params, d_params)  # the generator's loss never moves D


@pytest.mark.parametrize("loss", LOSSES)
def test_discriminator_gradient_matches_finite_differences(loss):
    s = Session.from_spec(points_spec(loss))
    s.step(steps=3)
    o = s.objective
    z = o.draw_noise(np.random.default_rng(2), 5)
    real = o.train_X[:6]
    o.d_gradients(real, z)
    analytic = o.discriminator.grads.copy()
    numeric = numeric_grad(lambda: o.d_gradients(real, z)[0], o.discriminator.params)
    assert rel_error(analytic, numeric) < RTOL


@pytest.mark.parametrize("loss", LOSSES)
def test_point_gradients_are_each_samples_generator_loss_gradient(loss):
    s = Session.from_spec(points_spec(loss))
    s.step(steps=5)
    o = s.objective
    x = o.generate(o.draw_noise(np.random.default_rng(0), 4))
    _, analytic = o.point_gradients(x)
    for i in range(len(x)):
        point = x[i : i + 1].copy()

        def term(p=point):
            return losses.g_loss(loss, o.d_scores(p))

        numeric = numeric_grad(term, point.reshape(-1))
        assert rel_error(analytic[i], numeric) < RTOL


# -- the losses' formulas ---------------------------------------------------------------


def sigmoid(s):
    return 1.0 / (1.0 + np.exp(-s))


@pytest.mark.parametrize("loss", LOSSES)
def test_each_loss_and_its_gradient_against_its_formula(loss):
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=5), rng.normal(size=3)
    if loss == "least_squares":
        d_formula = 0.5 * np.mean((real - 1) ** 2) + 0.5 * np.mean(fake**2)
        g_formula = 0.5 * np.mean((fake - 1) ** 2)
        d_real, d_fake = real.mean(), fake.mean()
    else:
        # D maximizes log D(x) + log(1 - D(G(z)))
        d_formula = -(np.mean(np.log(sigmoid(real))) + np.mean(np.log(1 - sigmoid(fake))))
        g_formula = (
            np.mean(np.log(1 - sigmoid(fake)))  # minimax: G minimizes log(1 - D(G(z)))
            if loss == "minimax"
            else -np.mean(np.log(sigmoid(fake)))  # non-saturating: G maximizes log D(G(z))
        )
        d_real, d_fake = sigmoid(real).mean(), sigmoid(fake).mean()
    grad = np.empty(8)
    value, mean_real, mean_fake, g_value = losses.d_loss(loss, real, fake, grad)
    assert value == pytest.approx(d_formula, rel=1e-12)
    assert (mean_real, mean_fake) == pytest.approx((d_real, d_fake), rel=1e-12)
    assert g_value == pytest.approx(g_formula, rel=1e-12)
    both = np.concatenate([real, fake])

    def d_of():
        return losses.d_loss(loss, both[:5], both[5:])[0]

    assert rel_error(grad, numeric_grad(d_of, both)) < RTOL
    g_grad = np.empty(3)
    assert losses.g_loss(loss, fake, g_grad) == pytest.approx(g_formula, rel=1e-12)
    assert rel_error(g_grad, numeric_grad(lambda: losses.g_loss(loss, fake), fake)) < RTOL


def test_the_log_losses_agree_with_pytorch_and_stay_finite_for_sure_discriminators():
    torch = pytest.importorskip("torch")
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    real = np.array([-60.0, -3.0, 0.5, 40.0])
    fake = np.array([-45.0, 0.0, 2.0, 70.0])
    r, f = torch.tensor(real), torch.tensor(fake)
    ones, zeros = torch.ones(4, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)
    d_torch = bce(r, ones) + bce(f, zeros)
    assert losses.d_loss("minimax", real, fake)[0] == pytest.approx(float(d_torch), rel=1e-12)
    ns = float(bce(f, ones))
    assert losses.g_loss("non_saturating", fake) == pytest.approx(ns, rel=1e-12)
    assert losses.g_loss("minimax", fake) == pytest.approx(-float(bce(f, zeros)))
    grad = np.empty(4)
    losses.g_loss("minimax", np.array([-50.0, -40.0, 0.0, 50.0]), grad)
    assert np.isfinite(grad).all() and abs(grad[0]) < 1e-20  # it saturates where D is sure


# -- stepping -------------------------------------------------------------------------------


def arrays(s):
    o = s.objective
    return o.generator.params.copy(), o.discriminator.params.copy()


@pytest.mark.parametrize("part", ["d", "g"])
def test_a_step_of_one_network_changes_only_that_network(part):
    s = Session.from_spec(points_spec())
    s.step(steps=2)
    g0, d0 = arrays(s)
    d_t, g_t = s.objective.d_optimizer.t, s.objective.g_optimizer.t
    m = s.step(steps=1, part=part)
    g1, d1 = arrays(s)
    assert m["step"] == 3
    assert np.array_equal(g0, g1) == (part == "d")
    assert np.array_equal(d0, d1) == (part == "g")
    o = s.objective
    assert (o.d_optimizer.t - d_t, o.g_optimizer.t - g_t) == ((1, 0) if part == "d" else (0, 1))
    if part == "g":  # no real batch was measured
        assert m["d_loss"] is None and m["d_real"] is None and m["g_loss"] is not None
    else:
        assert None not in (m["d_loss"], m["d_real"], m["d_fake"], m["g_loss"])


def test_a_round_is_d_steps_then_g_steps():
    s = Session.from_spec(points_spec(d_steps=3, g_steps=2))
    s.step(steps=2)
    assert (s.objective.d_optimizer.t, s.objective.g_optimizer.t) == (6, 4)
    assert s.steps_per_epoch == 1 and s.epoch == 2  # 300 samples, batch 100, 3 a round
    by_parts = Session.from_spec(points_spec(d_steps=3, g_steps=2))
    for part in ("d", "d", "d", "g", "g") * 2:
        by_parts.step(steps=1, part=part)
    for a, b in zip(arrays(s), arrays(by_parts)):
        assert np.array_equal(a, b)


def test_an_epoch_is_a_pass_of_the_discriminator_over_the_real_data():
    s = Session.from_spec(points_spec())
    assert s.steps_per_epoch == 3
    s.step(steps=5, part="g")
    assert s.epoch == 0
    m = s.step(epochs=2)
    assert (m["epoch"], m["step"]) == (2, 11)
    h = s.history
    assert h["epoch"]["x"] == [1, 2] and set(h["epoch"]) >= {"kl", "js", "modes", "high_quality"}
    assert h["step"]["x"] == list(range(1, 12))
    assert h["step"]["d_loss"][:5] == [None] * 5  # the generator's steps measure no real batch
    assert 0 <= m["js"] <= 1.01 and m["modes"] in (0, 1, 2) and 0 <= m["high_quality"] <= 1


def test_the_same_spec_trains_the_same_and_reset_starts_again():
    a, b = Session.from_spec(points_spec()), Session.from_spec(points_spec())
    first = arrays(a)
    for s in (a, b):
        s.step(steps=4)
        s.step(steps=2, part="g")
    for x, y in zip(arrays(a), arrays(b)):
        assert np.array_equal(x, y)
    a.reset()
    assert a.step_count == 0 and all(np.array_equal(x, y) for x, y in zip(arrays(a), first))


def test_evaluate_measures_without_moving_any_stream():
    s = Session.from_spec(points_spec())
    s.step(steps=4)
    twin = Session.from_state(*s.state_dict())
    first = s.metrics(evaluate=True)
    assert first == s.metrics(evaluate=True)
    s.step(steps=3)
    twin.step(steps=3)
    for x, y in zip(arrays(s), arrays(twin)):
        assert np.array_equal(x, y)


@pytest.mark.parametrize("make", [points_spec, image_spec], ids=["points", "images"])
def test_saving_mid_training_resumes_bit_identically(make, tmp_path):
    spec = make(d_steps=2, regularization={"type": "l2", "rate": 1e-3})
    s = Session.from_spec(spec)
    s.step(steps=2)
    s.step(steps=1, part="d")  # mid-epoch, mid-round
    assert 0 < s.objective.cursor
    s.save(tmp_path / "gan")
    loaded = Session.load(tmp_path / "gan")
    for x in (s, loaded):
        x.step(steps=3)
        x.step(steps=2, part="g")
        x.step(steps=1, part="d")
    for x, y in zip(arrays(s), arrays(loaded)):
        assert np.array_equal(x, y)
    assert s.history == loaded.history and s.metrics() == loaded.metrics()
    for a, b in zip(s.get_weights(), loaded.get_weights()):
        assert all(np.array_equal(a[k], b[k]) for k in a)


def test_live_changes_reach_each_network_and_the_loss():
    s = Session.from_spec(points_spec())
    s.step(steps=1)
    s.set({"optimizer": {"lr": 0.003}, "g_optimizer": {"beta1": 0.9}, "gan_loss": "minimax"})
    o = s.objective
    assert o.d_optimizer.hyper["lr"] == o.g_optimizer.hyper["lr"] == 0.003
    assert (o.d_optimizer.hyper["beta1"], o.g_optimizer.hyper["beta1"]) == (0.5, 0.9)
    assert o.d_optimizer.t == 1  # kept its state
    s.set({"d_optimizer": {"type": "sgd", "lr": 0.1}, "d_steps": 2})
    assert o.d_optimizer.name == "sgd" and o.d_optimizer.t == 0 and s.spec["d_steps"] == 2
    s.step(steps=1)
    assert o.d_optimizer.t == 2 and s.spec["gan_loss"] == "minimax"


def test_images_with_a_tanh_generator_are_learned_in_its_range():
    s = Session.from_spec(image_spec())
    o = s.objective
    np.testing.assert_allclose(o.train_X, 2 * s.data.X_train - 1)
    out = s.predict(o.draw_noise(np.random.default_rng(0), 5).tolist())
    assert out.shape == (5, 8, 8, 1) and 0 <= out.min() and out.max() <= 1


def test_weights_by_layer_reach_both_networks():
    s = Session.from_spec(points_spec())
    rows = s.layers_summary()
    assert [r["name"] for r in rows] == [
        "generator.dense_1",
        "generator.dense_2",
        "generator.dense_3",
        "discriminator.dense_1",
        "discriminator.dense_2",
        "discriminator.dense_3",
    ]
    assert s.n_params == sum(r["params"] for r in rows)
    weights = s.get_weights()
    assert len(weights) == 6 and weights[5]["W"].shape == (4, 1)
    g0, _ = arrays(s)
    s.set_layer_weights("discriminator.dense_3", {"W": np.zeros((4, 1)), "b": [1.0]})
    assert np.array_equal(arrays(s)[0], g0)
    assert s.get_weights()[5]["b"][0] == 1.0 and s.layer(5)[0] == 5
    changed = copy.deepcopy(weights)
    changed[0]["b"] = changed[0]["b"] + 1
    s.set_weights(changed)
    assert np.array_equal(s.objective.generator.layers[0].params["b"], changed[0]["b"])
