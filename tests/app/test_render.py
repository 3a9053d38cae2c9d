"""A render process draws a playing session's snapshots as the server itself would, from
the weights the trainer hands it; it never makes the trainer wait; and when it dies its
snapshots end in an error frame and a new one takes over."""

import json
import threading

import pytest
from app_helpers import EXERCISE_3D, spiral, wait

from app import render
from app.live import LiveSession
from app.render import Renderer
from app.snapshots import snapshot_text
from engine import Session

PAGE = {  # what the 2-D page asks for
    "resolution": 40,
    "layers": False,
    "weights": True,
    "inputs": [[0.5, -0.5]],
    "encoding": "base64",
    "neurons": 12,
    "views": None,
}


def live(spec=None) -> LiveSession:
    return LiveSession("s" * 22, Session.from_spec(spec or spiral()), name="t", created=0.0)


def rendered(renderer: Renderer, entry: LiveSession, options=PAGE) -> dict:
    job = wait(lambda: renderer.submit(entry, options))  # None until the process is ready
    wait(job.done)
    text, seconds = job.result()
    assert seconds >= 0
    return json.loads(text)


@pytest.fixture
def renderer():
    r = Renderer(1)
    yield r
    r.stop()


def test_the_frame_is_the_one_the_server_makes_itself(renderer):
    entry = live()
    entry.session.step(steps=37)
    assert rendered(renderer, entry) == json.loads(snapshot_text(entry.session, PAGE))


def test_later_frames_follow_the_weights_and_counters(renderer):
    entry = live()
    first = rendered(renderer, entry)
    entry.session.step(steps=250)
    later = rendered(renderer, entry)
    assert (first["step"], later["step"]) == (0, 250)
    assert later["weights"] != first["weights"]
    assert later == json.loads(snapshot_text(entry.session, PAGE))


def test_other_data_and_bad_inputs(renderer):
    entry = live(EXERCISE_3D)
    entry.session.step(steps=3)
    options = {"weights": True, "inputs": [[1, 0, 1]], "resolution": None}
    assert rendered(renderer, entry, options) == json.loads(snapshot_text(entry.session, options))
    error = rendered(renderer, entry, {"weights": False, "inputs": [[1, 2]]})
    assert error["type"] == "error" and error["code"] == "invalid_inputs"
    assert "3 values" in error["message"]


def test_sessions_beyond_the_replicas_kept_are_sent_again(renderer, monkeypatch):
    monkeypatch.setattr(render, "MAX_REPLICAS", 2)
    entries = [live() for _ in range(4)]
    for i, entry in enumerate(entries):
        entry.session.step(steps=i + 1)
        assert rendered(renderer, entry)["step"] == i + 1
    entries[0].session.step(steps=5)
    assert rendered(renderer, entries[0]) == json.loads(snapshot_text(entries[0].session, PAGE))


def test_replies_no_one_collects_never_hold_up_the_trainer(renderer):
    """Each reply is larger than a pipe holds by default; submitting many that no viewer
    collects must neither block the sender nor keep taking new ones."""
    entry = live()
    rendered(renderer, entry, {**PAGE, "resolution": 120})
    taken = []

    def trainer():
        for _ in range(3 * render.MAX_WAITING):
            taken.append(renderer.submit(entry, {**PAGE, "resolution": 120}))

    thread = threading.Thread(target=trainer, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the trainer waited for replies no one read"
    assert any(job is not None for job in taken)
    wait(lambda: all(job.done() for job in taken if job is not None))


def test_a_process_that_dies_fails_its_snapshots_and_is_replaced(renderer, monkeypatch):
    monkeypatch.setattr(render, "RESTART_SECONDS", 0.0)
    entry = live()
    rendered(renderer, entry)
    worker = renderer.workers[0]
    worker._proc.kill()
    worker._proc.join()
    job = renderer.submit(entry, PAGE)
    if job is not None:  # sent before the death was seen
        wait(job.done)
        assert json.loads(job.result()[0])["code"] == "snapshot_failed"
    entry.session.step(steps=3)
    assert rendered(renderer, entry) == json.loads(snapshot_text(entry.session, PAGE))


def test_once_stopped_it_takes_nothing_more_and_starts_no_process(renderer):
    entry = live()
    rendered(renderer, entry)
    for _ in range(5):
        renderer.submit(entry, {**PAGE, "resolution": 120})  # in flight as it stops
    renderer.stop()
    assert renderer.submit(entry, PAGE) is None
    assert renderer.workers[0]._proc is None
