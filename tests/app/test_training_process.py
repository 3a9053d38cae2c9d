"""A small network that plays is trained in a process of its own, and nothing a user can
see tells the difference: its training is the server's to the last bit, whoever takes
its lock gets the newest state, what they change reaches the process, a pause or a
shutdown brings everything back, and a process that dies costs no more than a killed
server would."""

import os
import signal
import threading

import numpy as np
import pytest
from app_helpers import make_settings, spiral, wait

from app import training_pool, training_process
from app.live import TRAINER_JOB_PACE, LiveSession
from app.manager import SessionManager
from app.trainer import Trainer
from app.training_process import ProcessGone, TrainingProcess
from engine import Session
from engine.presets import get_preset


def arrays_of(s: Session) -> dict:
    _, arrays = s.state_dict()
    return {k: a for k, a in arrays.items() if not k.startswith("data.")}


def assert_same_state(a: Session, b: Session) -> None:
    assert (a.step_count, a.epoch, a.status) == (b.step_count, b.epoch, b.status)
    x, y = arrays_of(a), arrays_of(b)
    assert x.keys() == y.keys()
    for k in x:
        np.testing.assert_array_equal(x[k], y[k], err_msg=k)


@pytest.fixture
def process():
    p = TrainingProcess(0)
    wait(p.usable)
    yield p
    p.stop()


def test_a_replica_trains_bit_for_bit_as_the_server_would(process):
    here = Session.from_spec(spiral())
    here.step(steps=40)
    process.load("k", here.state_dict())
    rid = process.send("train", "k", 333, True)
    reply = process.reply(rid)
    here.step(steps=333)
    assert (reply["step"], reply["epoch"], reply["status"]) == (373, here.epoch, "ready")
    assert reply["metrics"]["train_loss"] == pytest.approx(here.metrics()["train_loss"], abs=0)
    arrays, step, epoch = reply["inference"]
    assert (step, epoch) == (373, here.epoch)
    for a, b in zip(arrays, here.inference_arrays()):
        np.testing.assert_array_equal(a, b)
    back = Session.from_spec(spiral())
    back.load_state_dict(*process.state("k"))
    assert_same_state(back, here)


@pytest.mark.parametrize(
    "preset",
    ["reg-gauss", "spiral-3", "digits-mlp", "digits-autoencoder", "copy-rnn", "gan-lab"],
)
def test_every_kind_of_session_trains_there_as_here(process, preset):
    here = Session.from_spec(get_preset(preset)["spec"])
    here.step(steps=3)
    process.load("k", here.state_dict())
    reply = process.reply(process.send("train", "k", 17, False))
    here.step(steps=17)
    assert reply["step"] == here.step_count == 20
    back = Session.from_spec(get_preset(preset)["spec"])
    back.load_state_dict(*process.state("k"))
    assert_same_state(back, here)
    back.step(steps=5)  # and it trains on from the pulled state as the original does
    here.step(steps=5)
    assert_same_state(back, here)


def test_a_failure_in_the_process_is_an_error_not_a_dead_process(process):
    with pytest.raises(RuntimeError, match="KeyError"):
        process.reply(process.send("train", "nobody", 5, False))
    process.load("k", Session.from_spec(spiral()).state_dict())
    assert process.reply(process.send("train", "k", 5, False))["step"] == 5


def test_replies_reach_whoever_asked_them_across_threads(process):
    process.load("a", Session.from_spec(spiral()).state_dict())
    results, errors = {}, []

    def ask(i):
        try:
            results[i] = process.inference("a")[1]
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(16)]
    rid = process.send("train", "a", 2000, False)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert process.reply(rid)["step"] == 2000
    assert not errors and len(results) == 16


# -- the trainer -----------------------------------------------------------------------
class Frames:
    def __init__(self):
        self.steps: list[int] = []

    def __call__(self, entry: LiveSession) -> None:
        self.steps.append(entry.progress()[0])


def live(spec=None) -> LiveSession:
    return LiveSession("s" * 22, Session.from_spec(spec or spiral()), name="t", created=0.0)


@pytest.fixture
def trainer():
    t = Trainer(Frames(), threads=1, processes=1)
    t.start()
    yield t
    t.stop()


def play_until_remote(trainer: Trainer, entry: LiveSession) -> None:
    with entry.lock:
        entry.playing = True
        trainer.schedule(entry)
    wait(lambda: entry.remote is not None and entry.remote.ahead)
    assert entry.pace >= TRAINER_JOB_PACE


def pause(entry: LiveSession) -> None:
    with entry.lock:
        entry.playing = False


def test_whoever_takes_the_lock_gets_the_newest_state(trainer):
    entry = live()
    play_until_remote(trainer, entry)
    process = entry.remote.process
    with entry.lock:
        assert entry.session.step_count == entry.progress()[0] > 0
        pulled = Session.from_spec(spiral())
        pulled.load_state_dict(*process.state(entry.replica_key))
        assert_same_state(entry.session, pulled)
    pause(entry)


def test_changes_under_the_lock_reach_the_process(trainer):
    entry = live()
    play_until_remote(trainer, entry)
    with entry.lock:
        entry.session.set({"optimizer": {"lr": 0.0123}})
        weights = entry.session.get_weights()
        weights[0]["W"] = np.zeros_like(weights[0]["W"])
        entry.session.set_weights(weights)
        changed = Session.from_state(*entry.session.state_dict())
    wait(lambda: entry.remote is not None and entry.remote.ahead)
    wait(lambda: entry.progress()[0] > changed.step_count + 500)
    meta, _ = entry.remote.process.state(entry.replica_key)
    assert meta["spec"]["optimizer"]["lr"] == 0.0123
    pause(entry)
    wait(lambda: entry.remote is None)
    changed.step(steps=entry.session.step_count - changed.step_count)
    assert_same_state(entry.session, changed)


def test_a_pause_brings_the_session_back_and_later_play_resumes_there(trainer):
    entry = live()
    play_until_remote(trainer, entry)
    pause(entry)
    wait(lambda: entry.remote is None and entry not in trainer._members)
    here = entry.session.step_count
    assert here == entry.progress()[0] > 0
    twin = Session.from_state(*entry.session.state_dict())
    play_until_remote(trainer, entry)
    pause(entry)
    wait(lambda: entry.remote is None and entry not in trainer._members)
    twin.step(steps=entry.session.step_count - here)
    assert_same_state(entry.session, twin)  # every turn, here or there, is the engine's


def test_a_dead_process_costs_only_the_training_since_the_last_pull(trainer, monkeypatch):
    monkeypatch.setattr(training_process, "RESTART_SECONDS", 0.2)
    entry = live()
    play_until_remote(trainer, entry)
    with entry.lock:
        pulled = entry.session.step_count
    process = entry.remote.process
    os.kill(process._proc.pid, signal.SIGKILL)
    # it trains on in the server, from the pulled state, then in a new process
    wait(lambda: entry.remote is None or entry.remote.process._proc is not None)
    wait(lambda: entry.progress()[0] > pulled + 100)
    wait(lambda: entry.remote is not None and entry.remote.ahead, seconds=60)
    assert entry.playing
    with entry.lock:
        twin = Session.from_spec(spiral())
        twin.step(steps=entry.session.step_count)
        assert_same_state(entry.session, twin)
    pause(entry)


def test_a_stopped_process_refuses_requests():
    p = TrainingProcess(0)
    wait(p.usable)
    p.stop()
    assert not p.usable()
    with pytest.raises(ProcessGone):
        p.send("inference", "k")


# -- the server ------------------------------------------------------------------------
def test_shutdown_saves_the_state_the_process_reached(tmp_path):
    settings = make_settings(tmp_path, training_processes=1)
    manager = SessionManager(settings)
    manager.start()
    entry = manager.create(spiral())
    sid = entry.id
    with entry.lock:
        entry.playing = True
        manager.trainer.schedule(entry)
    wait(lambda: entry.remote is not None and entry.remote.ahead)
    manager.shutdown()
    reached = entry.session.step_count
    assert entry.remote is None and reached > 0
    again = SessionManager(settings)
    again.start()
    try:
        restored = again.pin(sid)
        assert restored.session.step_count == reached
        assert_same_state(restored.session, entry.session)
    finally:
        again.shutdown()


def test_a_session_the_process_cannot_rebuild_trains_in_the_server():
    class Refuses:
        keys = frozenset()

        def load(self, key, state):
            raise RuntimeError("SpecError: no")

    entry = live()
    pool = training_pool.Pool(0)
    assert pool.send(entry, Refuses(), 10, False) is None
    assert entry.remote is None and entry.fits_process is False
    assert pool.choose(entry) is None  # not offered again
