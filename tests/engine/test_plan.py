"""The bound training step (engine.plan) computes what Model.backprop computes, bit for
bit, for every kind of dense stack the session hands it."""

import numpy as np
import pytest

from engine import Session
from engine.plan import DensePlan

CASES = [
    # (hidden activations, output activation, loss, units out, dtype)
    (["tanh", "tanh"], "sigmoid", "binary_crossentropy", 1, "float64"),
    (["relu", "linear"], "softmax", "categorical_crossentropy", 3, "float64"),
    (["elu", "leaky_relu", "gelu"], "linear", "mse", 2, "float64"),
    (["swish"], "sigmoid", "mse", 1, "float64"),
    (["softplus"], "softmax", "mse", 3, "float32"),
    ([], "sigmoid", "binary_crossentropy", 1, "float64"),
    ([], "linear", "huber", 1, "float32"),
    (["sigmoid", "tanh"], "tanh", "sse", 2, "float32"),
]


def make_session(hidden, output, loss, units, dtype):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(23, 4)).tolist()
    if loss in ("binary_crossentropy", "categorical_crossentropy"):
        y = rng.integers(0, max(units, 2), size=(23, 1)).tolist()
        task = "classification"
    else:
        y = rng.normal(size=(23, units)).tolist()
        task = "regression"
    layers = [{"units": 5, "activation": a} for a in hidden]
    layers.append({"units": units, "activation": output})
    return Session.from_spec(
        {
            "seed": 2,
            "dtype": dtype,
            "loss": loss,
            "data": {"dataset": "inline", "X": X, "y": y, "task": task},
            "model": {"layers": layers},
            "batch_size": 7,
        }
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join([*c[0], c[1], c[2], c[4]]))
@pytest.mark.parametrize("rows", [7, 2])
def test_plan_matches_backprop_bit_for_bit(case, rows):
    s = make_session(*case)
    s.step(steps=3)  # weights away from their initial values
    model, X, y = s.model, s.objective.train_X[:rows], s.data.y_train[:rows]
    general_into = np.empty((rows, model.output_shape[-1]), s.dtype)
    model.grads[:] = np.nan
    model.backprop(X, y, s.loss, s.objective.fused, True, general_into)
    general_grads = model.grads.copy()
    plan_into = np.empty_like(general_into)
    model.grads[:] = np.nan
    DensePlan(model, rows, s.loss, s.objective.fused).run(X, y, plan_into)
    assert np.array_equal(plan_into, general_into)
    assert np.array_equal(model.grads, general_grads)
    assert np.isfinite(general_grads).all()


def test_sessions_train_through_the_plan_and_match_the_general_path():
    """Whole runs, with the plan and without it, give identical histories."""
    planned = make_session(["tanh", "relu"], "softmax", "categorical_crossentropy", 3, "float64")
    general = make_session(["tanh", "relu"], "softmax", "categorical_crossentropy", 3, "float64")
    general.objective._plans = None
    assert planned.objective._plans is not None
    planned.step(epochs=30)
    general.step(epochs=30)
    assert planned.objective._plans  # it was used
    assert np.array_equal(planned.model.params, general.model.params)
    assert planned.history == general.history
