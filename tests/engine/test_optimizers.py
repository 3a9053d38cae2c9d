"""Optimizers against independent implementations of PyTorch's documented algorithms.

The references below follow the pseudo-code on the PyTorch docs pages of
torch.optim.SGD, RMSprop, Adagrad, Adam and AdamW (amsgrad/maximize/foreach off), one
plain NumPy line per line of pseudo-code, with none of the engine's in-place tricks.
They keep their state in a dict and take the hyperparameters afresh at every step, so
a hyperparameter changed mid-run applies from that step on, as in PyTorch.
"""

import numpy as np
import pytest

from engine import SpecError
from engine.optimizers import build_optimizer, normalize

N = 7
STEPS = 5
RTOL = 1e-12

# What PyTorch 2.x documents as the constructor defaults (written out, not imported).
TORCH_DEFAULTS = {
    "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "nesterov": False, "weight_decay": 0.0},
    "rmsprop": {
        "lr": 1e-2,
        "alpha": 0.99,
        "eps": 1e-8,
        "momentum": 0.0,
        "centered": False,
        "weight_decay": 0.0,
    },
    "adagrad": {
        "lr": 1e-2,
        "lr_decay": 0.0,
        "eps": 1e-10,
        "initial_accumulator_value": 0.0,
        "weight_decay": 0.0,
    },
    "adam": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
    "adamw": {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 1e-2},
}


# ---- reference implementations (PyTorch docs pseudo-code) -------------------------


def ref_sgd(theta, g, h, state, t):
    if h["weight_decay"] != 0:
        g = g + h["weight_decay"] * theta
    if h["momentum"] != 0:
        if t > 1:
            b = h["momentum"] * state["b"] + (1 - h["dampening"]) * g
        else:
            b = g
        state["b"] = b
        g = g + h["momentum"] * b if h["nesterov"] else b
    return theta - h["lr"] * g


def ref_rmsprop(theta, g, h, state, t):
    if h["weight_decay"] != 0:
        g = g + h["weight_decay"] * theta
    v = h["alpha"] * state.get("v", 0.0) + (1 - h["alpha"]) * g**2
    state["v"] = v
    v_tilde = v
    if h["centered"]:
        g_ave = state.get("g_ave", 0.0) * h["alpha"] + (1 - h["alpha"]) * g
        state["g_ave"] = g_ave
        v_tilde = v_tilde - g_ave**2
    if h["momentum"] > 0:
        b = h["momentum"] * state.get("b", 0.0) + g / (np.sqrt(v_tilde) + h["eps"])
        state["b"] = b
        return theta - h["lr"] * b
    return theta - h["lr"] * g / (np.sqrt(v_tilde) + h["eps"])


def ref_adagrad(theta, g, h, state, t):
    lr_t = h["lr"] / (1 + (t - 1) * h["lr_decay"])
    if h["weight_decay"] != 0:
        g = g + h["weight_decay"] * theta
    state_sum = state.get("sum", h["initial_accumulator_value"]) + g**2
    state["sum"] = state_sum
    return theta - lr_t * g / (np.sqrt(state_sum) + h["eps"])


def ref_adam(theta, g, h, state, t):
    if h["weight_decay"] != 0:
        g = g + h["weight_decay"] * theta
    m = h["beta1"] * state.get("m", 0.0) + (1 - h["beta1"]) * g
    v = h["beta2"] * state.get("v", 0.0) + (1 - h["beta2"]) * g**2
    state["m"], state["v"] = m, v
    m_hat = m / (1 - h["beta1"] ** t)
    v_hat = v / (1 - h["beta2"] ** t)
    return theta - h["lr"] * m_hat / (np.sqrt(v_hat) + h["eps"])


def ref_adamw(theta, g, h, state, t):
    theta = theta - h["lr"] * h["weight_decay"] * theta
    m = h["beta1"] * state.get("m", 0.0) + (1 - h["beta1"]) * g
    v = h["beta2"] * state.get("v", 0.0) + (1 - h["beta2"]) * g**2
    state["m"], state["v"] = m, v
    m_hat = m / (1 - h["beta1"] ** t)
    v_hat = v / (1 - h["beta2"] ** t)
    return theta - h["lr"] * m_hat / (np.sqrt(v_hat) + h["eps"])


REFERENCES = {
    "sgd": ref_sgd,
    "rmsprop": ref_rmsprop,
    "adagrad": ref_adagrad,
    "adam": ref_adam,
    "adamw": ref_adamw,
}

CONFIGS = [
    ("sgd", {}),
    ("sgd", {"lr": 0.1, "momentum": 0.9}),
    ("sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
    ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("sgd", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.1}),
    ("sgd", {"lr": 0.1, "weight_decay": 0.3}),
    ("rmsprop", {}),
    ("rmsprop", {"centered": True}),
    ("rmsprop", {"momentum": 0.9}),
    (
        "rmsprop",
        {"alpha": 0.9, "eps": 1e-3, "momentum": 0.5, "centered": True, "weight_decay": 0.1},
    ),
    ("adagrad", {}),
    ("adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("adagrad", {"lr": 0.1, "weight_decay": 0.2, "eps": 1e-3}),
    ("adam", {}),
    ("adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("adam", {"beta1": 0.5, "beta2": 0.6, "eps": 1e-3}),
    ("adam", {"beta1": 0.0}),
    ("adamw", {}),
    ("adamw", {"lr": 0.01, "weight_decay": 0.1, "beta2": 0.9}),
    ("adamw", {"weight_decay": 0.0}),
]
CONFIG_IDS = [
    f"{name}-{'-'.join(f'{k}={v}' for k, v in hyper.items()) or 'defaults'}"
    for name, hyper in CONFIGS
]


def make(name, hyper, theta0):
    """An engine optimizer on its own copy of theta0; returns (opt, params, grads)."""
    params = theta0.copy()
    grads = np.zeros_like(params)
    return build_optimizer(normalize({"type": name, **hyper}), params, grads), params, grads


def run_engine(opt, params, grads, gradients, changes=None):
    """Step through `gradients`; `changes` maps a 1-based step to opt.set(**kwargs)."""
    for t, g in enumerate(gradients, start=1):
        if changes and t in changes:
            opt.set(**changes[t])
        grads[:] = g
        opt.step()
    return params


def run_reference(name, hyper, theta0, gradients, changes=None):
    h = {**TORCH_DEFAULTS[name], **hyper}
    theta, state = theta0.copy(), {}
    for t, g in enumerate(gradients, start=1):
        if changes and t in changes:
            h = {**h, **changes[t]}
        theta = REFERENCES[name](theta, g, h, state, t)
    return theta


@pytest.fixture
def theta0():
    return np.random.default_rng(0).normal(size=N)


@pytest.fixture
def gradients():
    """Gradients that change every step, with a zero entry to exercise eps."""
    g = np.random.default_rng(1).normal(size=(STEPS, N))
    g[:, 3] = 0.0
    return g


# ---- against the references ---------------------------------------------------------


@pytest.mark.parametrize(("name", "hyper"), CONFIGS, ids=CONFIG_IDS)
def test_updates_match_pytorch_documented_algorithm(name, hyper, theta0, gradients):
    opt, params, grads = make(name, hyper, theta0)
    got = run_engine(opt, params, grads, gradients)
    want = run_reference(name, hyper, theta0, gradients)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0)
    assert opt.t == STEPS


@pytest.mark.parametrize(("name", "hyper"), CONFIGS, ids=CONFIG_IDS)
def test_hyperparameters_changed_mid_run_keep_state(name, hyper, theta0, gradients):
    """set() at step 3 acts like PyTorch's param_group edit: state and step count stay."""
    changes = {3: {"lr": 0.5 * normalize({"type": name, **hyper})["lr"]}}
    if name in ("adam", "adamw"):
        changes[4] = {"beta1": 0.8}
    if name == "sgd" and hyper.get("momentum"):
        changes[4] = {"momentum": 0.3}
    opt, params, grads = make(name, hyper, theta0)
    got = run_engine(opt, params, grads, gradients, changes)
    want = run_reference(name, hyper, theta0, gradients, changes)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0)


@pytest.mark.parametrize(("name", "hyper"), CONFIGS, ids=CONFIG_IDS)
def test_state_dict_round_trip_continues_identically(name, hyper, theta0, gradients):
    opt, params, grads = make(name, hyper, theta0)
    run_engine(opt, params, grads, gradients[:2])
    saved = {k: np.array(a, copy=True) for k, a in opt.state_dict().items()}
    assert all(isinstance(a, np.ndarray) for a in saved.values())

    other, other_params, other_grads = make(name, hyper, params)
    other.load_state_dict(saved)
    assert other.t == 2
    run_engine(opt, params, grads, gradients[2:])
    run_engine(other, other_params, other_grads, gradients[2:])
    assert np.array_equal(params, other_params)


# ---- hand-computed steps --------------------------------------------------------------


def test_sgd_with_momentum_first_two_steps_by_hand():
    opt, params, grads = make("sgd", {"lr": 0.1, "momentum": 0.9}, np.array([1.0, -2.0]))
    grads[:] = [0.5, 0.25]
    opt.step()  # buffer = g: p - 0.1 * g
    np.testing.assert_allclose(params, [0.95, -2.025], rtol=RTOL)
    opt.step()  # buffer = 0.9 * g + g = 1.9 g
    np.testing.assert_allclose(params, [0.855, -2.0725], rtol=RTOL)


def test_plain_sgd_step_by_hand_with_default_lr():
    opt, params, grads = make("sgd", {}, np.array([1.0, -2.0]))
    grads[:] = [0.5, 0.25]
    opt.step()
    np.testing.assert_allclose(params, [0.9995, -2.00025], rtol=RTOL)


def test_adam_first_step_by_hand():
    """Bias correction makes m_hat = g and v_hat = g², so the step is lr·g/(|g| + eps)."""
    opt, params, grads = make("adam", {}, np.array([1.0, 1.0]))
    grads[:] = [0.5, -2.0]
    opt.step()
    np.testing.assert_allclose(params, [0.99900000002, 1.000999999995], rtol=RTOL)


# ---- hyperparameters -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TORCH_DEFAULTS))
def test_defaults_equal_pytorch(name):
    """Plus clip_norm, ours (torch clips outside the optimizer), off by default."""
    assert normalize(name) == {"type": name, **TORCH_DEFAULTS[name], "clip_norm": 0.0}
    assert normalize({"type": name}) == normalize(name)


def test_clip_norm_scales_a_long_gradient_as_clip_grad_norm_and_reports_the_norm():
    opt, params, grads = make("sgd", {"lr": 1.0, "clip_norm": 1.0}, np.array([0.0, 0.0]))
    grads[:] = [3.0, 4.0]
    opt.step()
    assert opt.last_norm == 5.0
    np.testing.assert_allclose(params, [-3.0 / (5 + 1e-6), -4.0 / (5 + 1e-6)], rtol=1e-12)


def test_clip_norm_leaves_a_short_gradient_alone_and_can_change_live():
    opt, params, grads = make("sgd", {"lr": 1.0, "clip_norm": 10.0}, np.array([0.0, 0.0]))
    grads[:] = [3.0, 4.0]
    opt.step()
    np.testing.assert_array_equal(params, [-3.0, -4.0])
    opt.set(clip_norm=2.5)
    grads[:] = [3.0, 4.0]
    opt.step()
    np.testing.assert_allclose(params, [-3.0 - 1.5, -4.0 - 2.0], rtol=1e-6)


def test_clip_norm_must_not_be_negative():
    with pytest.raises(SpecError, match="clip_norm"):
        normalize({"type": "adam", "clip_norm": -1})


@pytest.mark.parametrize(
    ("spec", "path", "received"),
    [
        ({"type": "sgd", "lr": -0.1}, "optimizer.lr", "-0.1"),
        ({"type": "adam", "lr": float("nan")}, "optimizer.lr", "nan"),
        ({"type": "adam", "lr": "0.1"}, "optimizer.lr", "'0.1'"),
        ({"type": "adam", "beta1": 1.0}, "optimizer.beta1", "1.0"),
        ({"type": "adamw", "beta2": 1.5}, "optimizer.beta2", "1.5"),
        ({"type": "adam", "beta1": -0.1}, "optimizer.beta1", "-0.1"),
        ({"type": "rmsprop", "alpha": 1.0}, "optimizer.alpha", "1.0"),
        ({"type": "rmsprop", "eps": -1e-8}, "optimizer.eps", "-1e-08"),
        ({"type": "rmsprop", "centered": "yes"}, "optimizer.centered", "'yes'"),
        ({"type": "sgd", "momentum": 1.5}, "optimizer.momentum", "1.5"),
        ({"type": "sgd", "weight_decay": -1}, "optimizer.weight_decay", "-1"),
        ({"type": "adagrad", "lr_decay": -0.5}, "optimizer.lr_decay", "-0.5"),
        (
            {"type": "adagrad", "initial_accumulator_value": -1},
            "optimizer.initial_accumulator_value",
            "-1",
        ),
        ({"type": "adam", "momentum": 0.9}, "optimizer.momentum", "'momentum'"),
        ({"type": "lbfgs"}, "optimizer.type", "'lbfgs'"),
        ({"lr": 0.1}, "optimizer.type", "None"),
        ("nadam", "optimizer.type", "'nadam'"),
        ({"type": "sgd", "nesterov": True}, "optimizer.nesterov", "momentum"),
        (
            {"type": "sgd", "nesterov": True, "momentum": 0.9, "dampening": 0.1},
            "optimizer.nesterov",
            "dampening",
        ),
    ],
)
def test_bad_hyperparameters_raise_spec_error_naming_path(spec, path, received):
    with pytest.raises(SpecError) as info:
        normalize(spec)
    assert info.value.path == path
    assert received in info.value.message


@pytest.mark.parametrize(
    ("name", "changes", "path"),
    [
        ("sgd", {"lr": -1.0}, "optimizer.lr"),
        ("sgd", {"nesterov": True}, "optimizer.nesterov"),
        ("adam", {"beta2": 1.0}, "optimizer.beta2"),
        ("adam", {"alpha": 0.9}, "optimizer.alpha"),
    ],
)
def test_bad_set_raises_and_keeps_hyperparameters(name, changes, path, theta0):
    opt, _, _ = make(name, {"lr": 0.05}, theta0)
    before = dict(opt.hyper)
    with pytest.raises(SpecError) as info:
        opt.set(**changes)
    assert info.value.path == path
    assert opt.hyper == before


def test_set_validates_on_top_of_current_values(theta0):
    opt, _, _ = make("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, theta0)
    opt.set(lr=0.2)
    assert opt.hyper == {
        **TORCH_DEFAULTS["sgd"],
        "lr": 0.2,
        "momentum": 0.9,
        "nesterov": True,
        "clip_norm": 0.0,
    }
    with pytest.raises(SpecError):
        opt.set(momentum=0.0)  # would leave nesterov without momentum
