"""The session resource and its actions over REST."""

import numpy as np
import pytest
from app_helpers import EXERCISE_3D, assert_error

from engine import Session


def test_create_returns_201_with_the_summary(client, spiral_spec):
    r = client.post("/api/sessions", json=spiral_spec)
    assert r.status_code == 201
    body = r.json()
    assert len(body["id"]) == 22 and body["step"] == 0 and body["epoch"] == 0
    assert body["status"] == "ready" and body["n_params"] == Session.from_spec(spiral_spec).n_params
    assert body["spec"] == Session.from_spec(spiral_spec).spec


def test_list_read_delete(client, session_id):
    assert [s["id"] for s in client.get("/api/sessions").json()] == [session_id]
    assert client.get(f"/api/sessions/{session_id}").json()["id"] == session_id
    assert client.delete(f"/api/sessions/{session_id}").status_code == 204
    assert_error(client.get(f"/api/sessions/{session_id}"), 404, "session_not_found")
    assert_error(client.delete(f"/api/sessions/{session_id}"), 404)
    assert client.get("/api/sessions").json() == []


def test_unknown_and_malformed_ids_are_404(client):
    assert_error(client.get("/api/sessions/" + "A" * 22), 404, "session_not_found")
    assert_error(client.post("/api/sessions/../step", json={"steps": 1}), 404)
    assert_error(client.get("/api/sessions/short/history"), 404, "session_not_found")


def test_step_matches_the_bare_engine(client, session_id, spiral_spec):
    r = client.post(f"/api/sessions/{session_id}/step", json={"steps": 30})
    assert r.status_code == 200
    body = r.json()
    engine = Session.from_spec(spiral_spec)
    expected = engine.step(steps=30)
    assert body["steps_done"] == 30 and body["complete"] is True
    assert body["metrics"]["step"] == 30 and body["metrics"]["epoch"] == 3
    assert body["metrics"]["train_loss"] == expected["train_loss"]
    weights = client.get(f"/api/sessions/{session_id}/weights").json()
    np.testing.assert_array_equal(weights[0]["W"], engine.get_weights()[0]["W"])
    r = client.post(f"/api/sessions/{session_id}/step?evaluate=true", json={"epochs": 2})
    assert r.json()["metrics"]["epoch"] == 5 and r.json()["steps_done"] == 20


def test_small_steps_run_on_the_event_loop_with_the_same_results(client, spiral_spec, monkeypatch):
    """A step that the session's measured pace says is quicker than two thread hops runs
    inline; a long one, one with evaluate, one that would shuffle or evaluate a large
    dataset, or one whose session is busy, runs in a worker thread. Same numbers either
    way."""
    import asyncio
    import copy
    import threading

    from app import actions

    on_loop = []
    real = actions.train_locked

    def spy(manager, entry, *args, **kwargs):
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        result = real(manager, entry, *args, **kwargs)
        entry.seconds_per_step = 1e-4  # a fixed pace: the decisions below, not the clock
        return result

    monkeypatch.setattr(actions, "train_locked", spy)
    big = copy.deepcopy(spiral_spec)
    big["data"]["params"]["n_samples"] = 2000  # 1,000 train: 100 steps an epoch
    engine = Session.from_spec(big)
    sid = client.post("/api/sessions", json=big).json()["id"]
    step = lambda body, query="": client.post(f"/api/sessions/{sid}/step{query}", json=body)
    for body, query, expected in [
        ({"steps": 1}, "", False),  # pace not yet known
        ({"steps": 1}, "", True),
        ({"steps": 3}, "", True),
        ({"steps": 10}, "", False),  # 1 ms: longer than the hops
        ({"steps": 1}, "?evaluate=true", False),
        ({"steps": 1}, "", True),
    ]:
        on_loop.clear()
        assert step(body, query).status_code == 200
        engine.step(**body)
        assert on_loop == [expected], (body, query)
    cursor_to_end = engine.steps_within_epoch
    on_loop.clear()
    assert step({"steps": cursor_to_end + 1}).status_code == 200  # ends the epoch
    engine.step(steps=cursor_to_end + 1)
    assert on_loop == [False]
    on_loop.clear()
    assert step({"steps": 1}).status_code == 200  # starts the next one: shuffles
    engine.step(steps=1)
    assert on_loop == [False]
    weights = client.get(f"/api/sessions/{sid}/weights").json()
    for got, want in zip(weights, engine.get_weights()):
        np.testing.assert_array_equal(got["W"], want["W"])

    manager = client.app.state.manager
    entry = manager.pin_loaded(sid)
    with entry.lock:  # busy: the request must wait in a thread, not on the loop
        on_loop.clear()
        result = {}
        worker = threading.Thread(target=lambda: result.update(r=step({"steps": 1})))
        worker.start()
        worker.join(0.3)
        assert worker.is_alive()  # waiting for the lock, while the loop stays free
        assert client.get("/api/health").status_code == 200
    worker.join(5)
    manager.unpin(entry)
    assert result["r"].status_code == 200 and on_loop == [False]


def test_step_needs_exactly_one_of_steps_and_epochs(client, session_id):
    assert_error(client.post(f"/api/sessions/{session_id}/step", json={}), 422)
    assert_error(
        client.post(f"/api/sessions/{session_id}/step", json={"steps": 1, "epochs": 1}), 422
    )
    assert_error(
        client.post(f"/api/sessions/{session_id}/step", json={"steps": 0}), 422, path="steps"
    )


def test_step_over_the_request_limit_is_422(client, session_id):
    error = assert_error(
        client.post(f"/api/sessions/{session_id}/step", json={"epochs": 10**6}),
        422,
        "limit_exceeded",
        "epochs",
    )
    assert "--max-steps-per-request" in error["message"]


def test_patch_changes_hyperparameters_live(client, session_id):
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 5})
    r = client.patch(
        f"/api/sessions/{session_id}",
        json={
            "optimizer": {"lr": 0.5},
            "batch_size": "full",
            "regularization": {"type": "l2", "rate": 0.01},
        },
    )
    assert r.status_code == 200, r.text
    spec = r.json()["spec"]
    assert spec["optimizer"]["lr"] == 0.5 and spec["batch_size"] == "full"
    assert spec["regularization"] == {"type": "l2", "rate": 0.01}
    assert r.json()["step"] == 5  # no reset


def test_patch_rejects_bad_values_and_unknown_fields(client, session_id):
    assert_error(
        client.patch(f"/api/sessions/{session_id}", json={"optimizer": {"lr": -1}}),
        422,
        path="optimizer.lr",
    )
    assert_error(client.patch(f"/api/sessions/{session_id}", json={"lr": 0.1}), 422, path="lr")
    # momentum is not an Adam hyperparameter: the engine says so
    error = assert_error(
        client.patch(f"/api/sessions/{session_id}", json={"optimizer": {"momentum": 0.5}}), 422
    )
    assert error["path"] == "optimizer.momentum"


def test_reset_goes_back_to_the_first_weights(client, session_id):
    first = client.get(f"/api/sessions/{session_id}/weights").json()
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 10})
    body = client.post(f"/api/sessions/{session_id}/reset").json()
    assert body["step"] == 0 and body["status"] == "ready"
    assert client.get(f"/api/sessions/{session_id}/weights").json() == first


def test_history_per_step_and_epoch(client, session_id):
    client.post(f"/api/sessions/{session_id}/step", json={"epochs": 2})
    h = client.get(f"/api/sessions/{session_id}/history").json()
    assert h["epoch"]["x"] == [1, 2] and len(h["step"]["x"]) == 20
    assert set(client.get(f"/api/sessions/{session_id}/history?per=epoch").json()) == {"epoch"}
    assert_error(client.get(f"/api/sessions/{session_id}/history?per=minute"), 422, path="per")


def test_weights_round_trip_and_shape_errors(client, session_id):
    weights = client.get(f"/api/sessions/{session_id}/weights").json()
    assert len(weights) == 3 and len(weights[0]["W"]) == 7 and len(weights[0]["b"]) == 8
    weights[2]["b"] = [0.25]
    assert client.put(f"/api/sessions/{session_id}/weights", json=weights).status_code == 200
    assert client.get(f"/api/sessions/{session_id}/weights").json()[2]["b"] == [0.25]
    weights[1]["W"] = weights[1]["W"][:3]
    error = assert_error(
        client.put(f"/api/sessions/{session_id}/weights", json=weights),
        422,
        "invalid_weights",
        "weights[1].W",
    )
    assert "shape" in error["message"]


def test_predict_and_activations(client, session_id):
    out = client.post(f"/api/sessions/{session_id}/predict", json={"inputs": [[0, 0], [1, 2]]})
    assert out.status_code == 200 and len(out.json()["outputs"]) == 2
    assert_error(
        client.post(f"/api/sessions/{session_id}/predict", json={"inputs": [[0, 0, 1]]}),
        422,
        "invalid_inputs",
    )
    act = client.post(f"/api/sessions/{session_id}/activations", json={"sample": 3}).json()
    assert len(act["features"][0]) == 7 and [len(a[0]) for a in act["layers"]] == [8, 8, 1]
    assert_error(
        client.post(f"/api/sessions/{session_id}/activations", json={"sample": 10_000}),
        422,
        path="sample",
    )


def test_boundary_for_2d_data_only(client, session_id):
    grid = client.get(f"/api/sessions/{session_id}/boundary?resolution=10").json()
    assert len(grid["x"]) == 10 and np.array(grid["output"]).shape == (10, 10, 1)
    assert [np.array(g).shape for g in grid["layers"]] == [(10, 10, 8), (10, 10, 8), (10, 10, 1)]
    assert_error(client.get(f"/api/sessions/{session_id}/boundary?resolution=5000"), 422)
    assert_error(
        client.get(f"/api/sessions/{session_id}/boundary?resolution=500"),
        422,
        "limit_exceeded",
        "resolution",
    )
    other = client.post("/api/sessions", json=EXERCISE_3D).json()["id"]
    assert_error(client.get(f"/api/sessions/{other}/boundary"), 422, "not_2d")


def test_diverged_values_are_null_not_nan(client, spiral_spec):
    spiral_spec["optimizer"] = {"type": "sgd", "lr": 1e30}
    spiral_spec["model"]["layers"][-1]["activation"] = "linear"
    spiral_spec["loss"] = "mse"
    sid = client.post("/api/sessions", json=spiral_spec).json()["id"]
    r = client.post(f"/api/sessions/{sid}/step", json={"epochs": 3})
    assert r.status_code == 200
    assert r.json()["metrics"]["status"] == "diverged" and r.json()["complete"] is False
    assert client.get(f"/api/sessions/{sid}/history").status_code == 200


def test_least_recently_used_sessions_are_unloaded_to_disk_not_lost(tmp_path, spiral_spec):
    from app_helpers import BASE, make_settings
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(make_settings(tmp_path, max_sessions=2))
    with TestClient(app, base_url=BASE) as client:
        ids, weights = [], {}
        for steps in (1, 2, 3, 4):
            sid = client.post("/api/sessions", json=spiral_spec).json()["id"]
            client.post(f"/api/sessions/{sid}/step", json={"steps": steps})
            ids.append(sid)
            weights[sid] = client.get(f"/api/sessions/{sid}/weights").json()
        manager = app.state.manager
        assert manager.loaded <= 2
        assert {s["id"] for s in client.get("/api/sessions").json()} == set(ids)
        for sid, steps in zip(ids, (1, 2, 3, 4)):  # the first ones come back from disk
            summary = client.get(f"/api/sessions/{sid}").json()
            assert summary["step"] == steps
            assert client.get(f"/api/sessions/{sid}/weights").json() == weights[sid]
        assert manager.loaded <= 2


def test_session_data_gives_the_points_and_targets(client, session_id, spiral_spec):
    d = client.get(f"/api/sessions/{session_id}/data").json()
    n = spiral_spec["data"]["params"]["n_samples"] // 2
    assert len(d["train"]["points"]) == len(d["train"]["labels"]) == n
    assert len(d["test"]["points"]) == n and len(d["train"]["points"][0]) == 2
    assert d["view"] == [-6.0, 6.0] and d["task"] == "classification" and d["n_classes"] == 2
    assert {label[0] for label in d["train"]["labels"]} == {0.0, 1.0}


def test_dataset_sample_without_a_session(client):
    r = client.get("/api/datasets/spiral/sample", params={"n_samples": 30, "classes": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["points"]) == 30 and {y[0] for y in body["labels"]} == {0.0, 1.0, 2.0}
    again = client.get("/api/datasets/spiral/sample", params={"n_samples": 30, "classes": 3})
    assert again.json() == body  # the same seed draws the same points
    assert client.get("/api/datasets/nope/sample").status_code == 404
    bad = client.get("/api/datasets/circle/sample", params={"noise": 3})
    assert bad.status_code == 422 and bad.json()["error"]["path"] == "params.noise"
    assert client.get("/api/datasets/circle/sample", params={"classes": 3}).status_code == 422


def test_metrics_measured_now_give_losses_before_any_training(client, session_id, spiral_spec):
    cheap = client.get(f"/api/sessions/{session_id}/metrics").json()
    assert cheap["step"] == 0 and cheap["train_loss"] is None and cheap["status"] == "ready"
    r = client.get(f"/api/sessions/{session_id}/metrics", params={"evaluate": "true"})
    assert r.status_code == 200, r.text
    now = r.json()
    expected = Session.from_spec(spiral_spec).metrics(evaluate=True)
    assert now["step"] == 0 and now["epoch"] == 0 and now["status"] == "ready"
    for key in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        assert now[key] == pytest.approx(expected[key]), key
    assert client.get(f"/api/sessions/{session_id}").json()["step"] == 0  # nothing trained
    assert_error(client.get("/api/sessions/" + "A" * 22 + "/metrics"), 404, "session_not_found")
