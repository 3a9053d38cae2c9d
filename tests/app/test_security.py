"""Host, Origin and token checks."""

from app_helpers import BASE, assert_error, make_settings, spiral
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.main import create_app


def test_foreign_host_is_refused_against_dns_rebinding(client):
    assert_error(client.get("/api/health", headers={"host": "evil.example"}), 400, "bad_host")
    assert client.get("/api/health", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_cross_origin_state_changes_are_refused(client, session_id):
    evil = {"origin": "http://evil.example"}
    assert_error(client.post("/api/sessions", json=spiral(), headers=evil), 403, "forbidden_origin")
    assert_error(client.delete(f"/api/sessions/{session_id}", headers=evil), 403)
    assert_error(client.post("/api/sessions", json=spiral(), headers={"origin": "null"}), 403)
    same = {"origin": "http://localhost"}
    assert client.post("/api/sessions", json=spiral(), headers=same).status_code == 201
    assert client.get("/api/sessions", headers=evil).status_code == 200  # reads are harmless


def test_cross_origin_websocket_is_refused(client, session_id):
    try:
        with client.websocket_connect(
            f"ws://localhost/api/sessions/{session_id}/stream",
            headers={"origin": "http://evil.example"},
        ):
            raise AssertionError("connected")
    except WebSocketDisconnect as exc:
        assert exc.code == 1008


def test_token_is_required_by_header_or_query(tmp_path):
    with TestClient(create_app(make_settings(tmp_path, token="s3cret")), base_url=BASE) as c:
        assert_error(c.get("/api/health"), 401, "unauthorized")
        assert_error(c.get("/api/health", headers={"authorization": "Bearer wrong"}), 401)
        assert c.get("/api/health", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/api/health?token=s3cret").status_code == 200
        assert c.get("/openapi.json").status_code == 200
        sid = c.post("/api/sessions?token=s3cret", json=spiral()).json()["id"]
        try:
            with c.websocket_connect(f"ws://localhost/api/sessions/{sid}/stream"):
                raise AssertionError("connected")
        except WebSocketDisconnect as exc:
            assert exc.code == 1008
        with c.websocket_connect(f"ws://localhost/api/sessions/{sid}/stream?token=s3cret") as ws:
            assert ws.receive_json()["type"] == "status"
