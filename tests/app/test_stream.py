"""The websocket: play/pause/step/set/reset/snapshot, viewers, bad messages."""

import time

import numpy as np
import pytest
from app_helpers import BASE, make_settings, spiral
from fastapi.testclient import TestClient

from app.main import create_app


def until(ws, predicate, limit=500):
    """Frames until one satisfies `predicate` (returned); fails after `limit` frames."""
    for _ in range(limit):
        frame = ws.receive_json()
        if predicate(frame):
            return frame
    raise AssertionError("no such frame")


def is_status(status):
    return lambda f: f["type"] == "status" and f["status"] == status


def connect(client, sid, query=""):
    ws = client.websocket_connect(f"ws://localhost/api/sessions/{sid}/stream{query}")
    return ws


def test_connect_sends_status_and_metrics(client, session_id):
    with connect(client, session_id) as ws:
        first = ws.receive_json()
        assert first["type"] == "status" and first["status"] == "ready" and "spec" in first
        metrics = ws.receive_json()
        assert metrics["type"] == "metrics" and metrics["step"] == 0


def test_play_streams_metrics_and_pause_stops(client, session_id):
    with connect(client, session_id) as ws:
        ws.send_json({"type": "play"})
        until(ws, is_status("running"))
        frames = [until(ws, lambda f: f["type"] == "metrics" and f["step"] > 0) for _ in range(3)]
        assert all(isinstance(f["step"], int) and isinstance(f["epoch"], int) for f in frames)
        assert frames[-1]["step"] > frames[0]["step"]
        assert_rest_step_conflicts(client, session_id)
        ws.send_json({"type": "pause"})
        paused = until(ws, is_status("paused"))
    time.sleep(0.05)
    body = client.get(f"/api/sessions/{session_id}").json()
    assert body["status"] == "paused" and body["step"] >= paused["step"]


def assert_rest_step_conflicts(client, sid):
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 1})
    assert r.status_code == 409 and r.json()["error"]["code"] == "session_running"


def test_step_set_reset_and_snapshot(client, session_id):
    with connect(client, session_id) as ws:
        ws.send_json({"type": "step", "steps": 7})
        assert until(ws, lambda f: f["type"] == "metrics" and f["step"] == 7)
        ws.send_json({"type": "set", "optimizer": {"lr": 0.2}, "batch_size": 20})
        changed = until(
            ws, lambda f: f["type"] == "status" and "spec" in f and f["spec"]["batch_size"] == 20
        )
        assert changed["spec"]["optimizer"]["lr"] == 0.2 and changed["step"] == 7
        ws.send_json({"type": "snapshot", "resolution": 8, "inputs": [[0.1, 0.2]]})
        snap = until(ws, lambda f: f["type"] == "snapshot")
        assert snap["step"] == 7 and len(snap["weights"]) == 3
        assert len(snap["boundary"]["output"]) == 8 and len(snap["activations"]["layers"]) == 3
        ws.send_json({"type": "reset"})
        assert until(ws, lambda f: f["type"] == "status" and f["step"] == 0)["status"] == "ready"


def test_malformed_messages_get_error_frames_and_the_socket_stays(client, session_id):
    with connect(client, session_id) as ws:
        for bad, code in [
            ("not json", "invalid_json"),
            ('{"no": "type"}', "invalid_message"),
            ('{"type": "fly"}', "invalid_message"),
            ('{"type": "step", "steps": -1}', "invalid_message"),
            ('{"type": "set", "optimizer": {"lr": "fast"}}', "invalid_message"),
            ('{"type": "set", "optimizer": {"momentum": 0.5}}', "invalid"),
            ("[1, 2]", "invalid_message"),
        ]:
            ws.send_text(bad)
            error = until(ws, lambda f: f["type"] == "error")
            assert error["code"] == code, (bad, error)
        ws.send_json({"type": "step"})
        assert until(ws, lambda f: f["type"] == "metrics" and f["step"] == 1)


def test_oversized_message_is_refused(tmp_path):
    settings = make_settings(tmp_path, max_ws_message_bytes=200)
    with TestClient(create_app(settings), base_url=BASE) as client:
        sid = client.post("/api/sessions", json=spiral()).json()["id"]
        with connect(client, sid) as ws:
            ws.send_text('{"type": "snapshot", "inputs": [' + "[0, 0]," * 100 + "[0, 0]]}")
            assert until(ws, lambda f: f["type"] == "error")["code"] == "too_large"


def test_two_viewers_and_a_disconnect_mid_stream(client, session_id):
    with connect(client, session_id, "?fps=60") as a:
        with connect(client, session_id, "?fps=5") as b:
            a.send_json({"type": "play"})
            until(b, is_status("running"))
            until(b, lambda f: f["type"] == "metrics" and f["step"] > 0)
        # b left; a keeps receiving newer frames
        last = until(a, lambda f: f["type"] == "metrics" and f["step"] > 0)["step"]
        assert until(a, lambda f: f["type"] == "metrics" and f["step"] > last)
    # the last viewer left: the session pauses
    deadline = time.monotonic() + 5
    while client.get(f"/api/sessions/{session_id}").json()["status"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert client.get(f"/api/sessions/{session_id}").json()["status"] == "paused"


def test_a_slow_client_gets_fewer_frames_not_a_queue(client, session_id):
    with connect(client, session_id, "?fps=4") as ws:
        ws.send_json({"type": "play"})
        until(ws, is_status("running"))
        start = time.monotonic()
        count = 0
        while time.monotonic() - start < 1.0:
            if ws.receive_json()["type"] == "metrics":
                count += 1
        assert count <= 6
        ws.send_json({"type": "pause"})


def test_unknown_session_gets_an_error_and_close(client):
    with connect(client, "B" * 22) as ws:
        assert ws.receive_json()["code"] == "session_not_found"


def test_deleting_a_watched_session_closes_the_stream(client, session_id):
    with connect(client, session_id) as ws:
        ws.receive_json()
        assert client.delete(f"/api/sessions/{session_id}").status_code == 204
        assert until(ws, lambda f: f.get("status") == "deleted")


def test_play_paced_by_steps_per_frame(client, session_id):
    with connect(client, session_id) as ws:
        ws.send_json({"type": "play", "steps_per_frame": 1})
        until(ws, is_status("running"))
        time.sleep(0.5)
        ws.send_json({"type": "pause"})
        paused = until(ws, is_status("paused"))
        assert 1 <= paused["step"] <= 30  # about 15 at 30 frames a second


def test_snapshot_grids_as_base64_float32_match_the_boundary(client, session_id):
    import base64

    import numpy as np

    exact = client.get(f"/api/sessions/{session_id}/boundary", params={"resolution": 6}).json()
    with connect(client, session_id) as ws:
        ws.send_json({"type": "snapshot", "resolution": 6, "layers": True, "encoding": "base64"})
        snap = until(ws, lambda f: f["type"] == "snapshot")
    grid = snap["boundary"]["output"]
    assert grid["dtype"] == "float32" and grid["shape"] == [6, 6, 1]
    values = np.frombuffer(base64.b64decode(grid["data"]), "<f4").reshape(grid["shape"])
    assert np.allclose(values, exact["output"], rtol=1e-6, atol=1e-7)
    assert [g["shape"] for g in snap["boundary"]["layers"]] == [[6, 6, 8], [6, 6, 8], [6, 6, 1]]
    assert snap["nonfinite"] is False


def test_one_snapshot_carries_a_fine_output_and_coarse_neuron_grids(client, session_id):
    fine = client.get(f"/api/sessions/{session_id}/boundary", params={"resolution": 7}).json()
    coarse = client.get(
        f"/api/sessions/{session_id}/boundary", params={"resolution": 3, "layers": True}
    ).json()
    with connect(client, session_id) as ws:
        ws.send_json({"type": "snapshot", "resolution": 7, "neurons": 3, "weights": False})
        snap = until(ws, lambda f: f["type"] == "snapshot")
        assert "layers" not in snap["boundary"] and "weights" not in snap
        assert np.allclose(snap["boundary"]["output"], fine["output"], atol=1e-4)
        assert set(snap["neurons"]) == {"x", "y", "layers"}
        assert snap["neurons"]["x"] == pytest.approx(coarse["x"])
        for got, want in zip(snap["neurons"]["layers"], coarse["layers"], strict=True):
            assert np.allclose(got, want, atol=1e-4)
        ws.send_json({"type": "snapshot", "neurons": 201})  # over the limit of 200
        error = until(ws, lambda f: f["type"] == "error")
        assert error["path"] == "neurons"


def test_snapshots_of_a_playing_session_come_whatever_the_metrics_rate(client, session_id):
    """A viewer that wants a metrics frame every 5 s still gets each snapshot it asks
    for at once: they are collected at the trainer's ticks, not at the viewer's."""
    with connect(client, session_id, "?fps=0.2") as ws:
        ws.send_json({"type": "play"})
        until(ws, is_status("running"))
        metrics, steps = 0, []
        while len(steps) < 5:
            ws.send_json({"type": "snapshot", "resolution": 6, "neurons": 3})
            while True:
                frame = ws.receive_json()
                if frame["type"] == "snapshot":
                    steps.append(frame["step"])
                    break
                metrics += frame["type"] == "metrics" and frame["status"] == "running"
        ws.send_json({"type": "pause"})
        until(ws, is_status("paused"))
    assert metrics <= 1 and steps == sorted(steps) and steps[-1] > steps[0]
