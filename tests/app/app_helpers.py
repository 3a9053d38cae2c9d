"""Shared constants and assertions for the app tests (imported as a plain module:
tests/app is on sys.path because pytest puts each conftest's folder there)."""

import copy
import time

from app.settings import Settings

BASE = "http://localhost"

SPIRAL = {
    "seed": 1,
    "data": {
        "dataset": "spiral",
        "params": {"n_samples": 200, "noise": 0.0},
        "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"],
        "test_fraction": 0.5,
    },
    "model": {
        "layers": [
            {"units": 8, "activation": "tanh"},
            {"units": 8, "activation": "tanh"},
            {"units": 1, "activation": "sigmoid"},
        ]
    },
    "loss": "binary_crossentropy",
    "optimizer": {"type": "adam", "lr": 0.01},
    "batch_size": 10,
}

EXERCISE_3D = {  # 3 inputs: no boundary
    "seed": 42,
    "data": {"dataset": "course-exercise"},
    "model": {
        "layers": [{"units": 4, "activation": "sigmoid"}, {"units": 2, "activation": "softmax"}]
    },
    "loss": "categorical_crossentropy",
    "optimizer": {"type": "sgd", "lr": 0.1},
    "batch_size": "full",
}


def make_settings(tmp_path, **overrides) -> Settings:
    return Settings(data_dir=tmp_path / "data", **overrides)


def wait(condition, seconds: float = 60.0):
    """`condition()`'s first true value, asked until it comes (at most `seconds`)."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)
    return result


def spiral():
    return copy.deepcopy(SPIRAL)


def assert_error(response, status: int, code: str | None = None, path: str | None = None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"code", "message", "path"} and error["message"], body
    if code is not None:
        assert error["code"] == code, body
    if path is not None:
        assert error.get("path") == path, body
    return error
