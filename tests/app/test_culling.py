"""Idle culling, as Jupyter culls idle kernels: a session never trained, with no viewer
and no request for `cull_idle_seconds`, is deleted from memory and disk; a trained,
watched or recently used one stays."""

import dataclasses
import time

import pytest
from app_helpers import BASE, make_settings, spiral
from fastapi.testclient import TestClient

from app import actions
from app.cli import settings_from_args
from app.main import create_app
from app.manager import SessionManager
from app.settings import Settings

IDLE = 600.0


class Clock:
    """Wall seconds that move only when told to."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def manager(tmp_path, clock):
    # cull_idle_seconds=0 here keeps the background culler off: the tests call cull_idle
    m = SessionManager(
        make_settings(tmp_path, cull_idle_seconds=0), on_slice=actions.on_slice, clock=clock
    )
    m.start()
    m.settings = dataclasses.replace(m.settings, cull_idle_seconds=IDLE)
    yield m
    m.shutdown()


def gone(manager: SessionManager, sid: str) -> bool:
    return sid not in manager._live and not manager.store.exists(sid)


def test_an_untrained_idle_session_is_deleted_from_memory_and_disk(manager, clock):
    sid = manager.create(spiral()).id
    clock.advance(IDLE - 1)
    assert manager.cull_idle() == []
    clock.advance(2)
    assert manager.cull_idle() == [sid]
    assert gone(manager, sid)
    assert not (manager.store.sessions_dir / sid).exists()


def test_a_trained_session_is_never_culled(manager, clock):
    entry = manager.create(spiral())
    actions.train(manager, entry, 5, None)
    clock.advance(10 * IDLE)
    assert manager.cull_idle() == []
    assert manager.store.exists(entry.id)


def test_a_watched_session_survives_and_its_clock_starts_when_the_viewer_leaves(manager, clock):
    sid = manager.create(spiral()).id
    entry = manager.pin(sid)  # a viewer pins the session while its socket is open
    clock.advance(2 * IDLE)
    assert manager.cull_idle() == []
    manager.unpin(entry)
    clock.advance(IDLE - 1)
    assert manager.cull_idle() == []
    clock.advance(2)
    assert manager.cull_idle() == [sid]


def test_a_request_restarts_the_idle_clock(manager, clock):
    sid = manager.create(spiral()).id
    clock.advance(IDLE - 10)
    manager.unpin(manager.pin(sid))  # a GET, say
    clock.advance(IDLE - 10)
    assert manager.cull_idle() == []
    clock.advance(20)
    assert manager.cull_idle() == [sid]


def test_an_untrained_session_unloaded_to_disk_is_culled_once_idle(manager, clock):
    sid = manager.create(spiral()).id
    others = [manager.create(spiral()) for _ in range(3)]
    for other in others:
        actions.train(manager, other, 1, None)
    manager.settings = dataclasses.replace(manager.settings, max_sessions=2)
    clock.advance(IDLE / 2)
    manager.unpin(manager.pin(others[0].id))  # over the limit: the idle ones are unloaded
    assert sid not in manager._live and manager.store.exists(sid)
    clock.advance(IDLE / 2 + 1)  # idle since its creation (its unloading came just now)
    assert manager.cull_idle() == [sid]
    assert gone(manager, sid)
    assert all(manager.store.exists(o.id) for o in others)


def test_after_a_restart_untrained_sessions_on_disk_get_the_full_idle_time(tmp_path, clock):
    settings = make_settings(tmp_path, cull_idle_seconds=0)
    first = SessionManager(settings, clock=clock)
    first.start()
    sid = first.create(spiral()).id
    first.shutdown()
    clock.advance(10 * IDLE)  # down for a long time
    second = SessionManager(settings, clock=clock)
    second.start()
    second.settings = dataclasses.replace(settings, cull_idle_seconds=IDLE)
    try:
        assert second.cull_idle() == []  # the server just started: no one could ask yet
        clock.advance(IDLE + 1)
        assert second.cull_idle() == [sid]
        assert gone(second, sid)
    finally:
        second.shutdown()


def test_zero_disables_culling(manager, clock):
    manager.settings = dataclasses.replace(manager.settings, cull_idle_seconds=0)
    sid = manager.create(spiral()).id
    clock.advance(100 * IDLE)
    assert manager.cull_idle() == []
    assert manager.store.exists(sid)


def test_the_server_culls_by_itself_with_a_short_timeout(tmp_path):
    settings = make_settings(tmp_path, cull_idle_seconds=0.4)
    with TestClient(create_app(settings), base_url=BASE) as client:
        untrained = client.post("/api/sessions", json=spiral()).json()["id"]
        trained = client.post("/api/sessions", json=spiral()).json()["id"]
        watched = client.post("/api/sessions", json=spiral()).json()["id"]
        assert client.post(f"/api/sessions/{trained}/step", json={"steps": 3}).status_code == 200
        with client.websocket_connect(f"ws://localhost/api/sessions/{watched}/stream") as ws:
            ws.receive_json()
            deadline = time.monotonic() + 10
            # the list is read without touching a session (a GET of one would keep it)
            while untrained in (ids := {s["id"] for s in client.get("/api/sessions").json()}):
                assert time.monotonic() < deadline, "the idle session was not culled"
                time.sleep(0.05)
            assert {trained, watched} <= ids
            time.sleep(0.5)
            assert {trained, watched} <= {s["id"] for s in client.get("/api/sessions").json()}
        assert client.get(f"/api/sessions/{untrained}").status_code == 404
        assert client.get(f"/api/sessions/{trained}").status_code == 200


def test_the_idle_time_is_a_flag_and_a_variable_and_zero_is_allowed(monkeypatch, tmp_path):
    assert Settings().cull_idle_seconds == 600
    assert settings_from_args(["--cull-idle-seconds", "0"]).cull_idle_seconds == 0
    monkeypatch.setenv("PLAYGROUND_CULL_IDLE_SECONDS", "90")
    assert Settings.from_env().cull_idle_seconds == 90
    monkeypatch.setenv("PLAYGROUND_CULL_IDLE_SECONDS", "-1")
    with pytest.raises(ValueError, match="cull_idle_seconds"):
        Settings.from_env()
    with pytest.raises(ValueError, match="slice_seconds must be positive"):
        Settings.from_env({"PLAYGROUND_SLICE_SECONDS": "0"})
