"""The trainer shares itself fairly: slices follow the number of playing sessions and
their viewers' frame rates, every turn trains at least one step, a busy session is
passed over rather than waited for, and a session publishes frames at its viewers'
rate, not at every turn."""

import itertools
import threading
import time

import pytest
from app_helpers import spiral

from app.live import TRAINER_JOB_PACE, TRAINER_JOB_SECONDS, LiveSession
from app.trainer import MIN_SLICE_SECONDS, TURN_SHARE, Trainer
from engine import Session


class FakeViewer:
    def __init__(self, fps: float = 30.0):
        self.fps = fps

    def notify(self) -> None:
        pass

    def push(self, message: dict) -> None:
        pass


def live(viewer_fps: float | None = 30.0, steps_per_frame: int | None = None) -> LiveSession:
    entry = LiveSession("s" * 22, Session.from_spec(spiral()), name="t", created=time.time())
    entry.viewers = (FakeViewer(viewer_fps),) if viewer_fps else ()
    entry.steps_per_frame = steps_per_frame
    return entry


class Publishes:
    """The trainer's callback: when each session published, and at which step."""

    def __init__(self):
        self.frames: dict[int, list[tuple[float, int]]] = {}
        self.lock = threading.Lock()

    def __call__(self, entry: LiveSession) -> None:
        with self.lock:
            self.frames.setdefault(id(entry), []).append(
                (time.monotonic(), entry.session.step_count)
            )

    def of(self, entry: LiveSession) -> list[tuple[float, int]]:
        with self.lock:
            return list(self.frames.get(id(entry), []))


@pytest.fixture
def publishes():
    return Publishes()


@pytest.fixture
def trainer(publishes):
    t = Trainer(publishes, max_slice_seconds=0.015, threads=1)
    t.start()
    yield t
    t.stop()


def play(trainer: Trainer, *entries: LiveSession) -> None:
    for entry in entries:
        entry.playing = True
        trainer.schedule(entry)


def stop(*entries: LiveSession) -> None:
    for entry in entries:
        with entry.lock:
            entry.playing = False


def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def members(trainer: Trainer, entries) -> None:
    """Make `entries` the trainer's playing sessions without training them."""
    trainer._members = set(entries)


@pytest.mark.parametrize(
    ("sessions", "fps", "expected"),
    [
        (1, 30, 0.015),  # alone: the ceiling
        (8, 30, TURN_SHARE / 30 / 8),  # each viewer's turn within its frame interval
        (4, 60, TURN_SHARE / 60 / 4),  # faster viewers, shorter slices
        (40, 30, MIN_SLICE_SECONDS),  # many: the floor
    ],
)
def test_the_slice_follows_the_playing_sessions_and_their_viewers(sessions, fps, expected):
    trainer = Trainer(lambda entry: None, max_slice_seconds=0.015)
    members(trainer, [live(fps) for _ in range(sessions)])
    assert trainer.slice_seconds() == pytest.approx(expected)


def test_the_fastest_viewer_sets_the_pace_and_paced_sessions_do_not_count():
    trainer = Trainer(lambda entry: None, max_slice_seconds=0.015)
    free = [live(30) for _ in range(3)] + [live(60)]
    paced = [live(30, steps_per_frame=5) for _ in range(4)]
    members(trainer, free + paced)
    assert trainer.slice_seconds() == pytest.approx(TURN_SHARE / 60 / 4)


def test_more_trainer_threads_take_longer_slices():
    trainer = Trainer(lambda entry: None, max_slice_seconds=0.015, threads=2)
    members(trainer, [live(30) for _ in range(8)])
    assert trainer.slice_seconds() == pytest.approx(TURN_SHARE * 2 / 30 / 8)


def test_eight_sessions_each_get_a_new_state_at_their_viewers_rate(trainer, publishes):
    entries = [live(30) for _ in range(8)]
    play(trainer, *entries)
    time.sleep(1.5)
    stop(*entries)
    for entry in entries:
        frames = [t for t, _ in publishes.of(entry) if t > publishes.of(entry)[0][0] + 0.3]
        assert len(frames) >= 8, len(frames)  # about 30 a second; a loaded machine is slower
        assert entry.session.step_count > 0
    steps = sorted(e.session.step_count for e in entries)
    assert steps[0] >= steps[-1] / 3, steps  # fair: no session starves


def test_a_session_alone_publishes_at_its_viewers_rate_not_every_turn(trainer, publishes):
    entry = live(10)  # 10 frames a second: 100 ms; turns of 15 ms
    play(trainer, entry)
    time.sleep(1.0)
    stop(entry)
    frames = publishes.of(entry)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(frames)]
    assert len(frames) <= 15, len(frames)  # not ~66 (one a turn)
    assert len(frames) >= 4
    assert sorted(gaps)[len(gaps) // 2] >= 0.07  # most frames a frame interval apart


def test_a_step_longer_than_the_slice_still_trains_every_turn(trainer, publishes):
    slow = live(30)
    engine_step = slow.session.step

    def step(steps=None, epochs=None):  # a CNN-like step: 25 ms each, far above a slice
        done = engine_step(steps=steps, epochs=epochs)
        time.sleep(0.025 * (steps or 1))
        return done

    slow.session.step = step
    fast = live(30)
    play(trainer, slow, fast)
    wait_for(lambda: slow.session.step_count >= 5 and fast.session.step_count >= 50)
    stop(slow, fast)
    frames = publishes.of(slow)
    assert all(b[1] > a[1] for a, b in itertools.pairwise(frames))  # every frame moved on


def test_a_busy_session_is_passed_over_while_the_others_train(trainer):
    busy, other = live(30), live(30)
    play(trainer, busy, other)
    wait_for(lambda: busy.session.step_count > 0 and other.session.step_count > 0)
    # A long request on `busy`: the trainer passes it over once and trains `other`
    # meanwhile (then waits its turn for `busy`). That slice of `other` may come while
    # the request waits for the lock, so it counts from before the request.
    before = other.session.step_count
    with busy.lock:
        held = busy.session.step_count
        wait_for(lambda: other.session.step_count > before)
        assert busy.session.step_count == held
    wait_for(lambda: busy.session.step_count > held)  # and it comes back afterwards
    stop(busy, other)


def test_a_waiting_request_gets_the_lock_of_a_session_playing_alone(trainer):
    entry = live(30)
    play(trainer, entry)
    wait_for(lambda: entry.session.step_count > 0)
    waits = []
    for _ in range(20):
        t0 = time.monotonic()
        with entry.lock:
            waits.append(time.monotonic() - t0)
    stop(entry)
    assert sorted(waits)[len(waits) // 2] < 0.05  # about one slice, never starved


def test_the_reported_rate_is_the_share_not_the_pace(trainer):
    entries = [live(30) for _ in range(4)]
    play(trainer, *entries)
    time.sleep(1.0)
    stop(*entries)
    for entry in entries:
        assert 0 < entry.steps_per_second < 0.6 * entry.pace


def test_a_stopped_session_leaves_the_trainer(trainer, publishes):
    entry = live(30)
    play(trainer, entry)
    wait_for(lambda: entry.session.step_count > 0)
    stop(entry)
    wait_for(lambda: not trainer._members)
    assert publishes.of(entry)  # its last state was published


def where_it_ran(entry: LiveSession) -> tuple[str, bool]:
    return entry.exclusive(lambda: (threading.current_thread().name, entry.lock.locked()))


def test_locked_work_of_a_playing_small_network_runs_in_its_turn(trainer):
    entry = live(30)
    play(trainer, entry)
    wait_for(lambda: entry.pace > TRAINER_JOB_PACE)
    name, locked = where_it_ran(entry)
    assert name.startswith("trainer-") and locked
    stop(entry)
    wait_for(lambda: entry.runner is None)
    name, locked = where_it_ran(entry)
    assert name == threading.current_thread().name and locked


def test_locked_work_that_took_long_runs_beside_training_next_time(trainer):
    entry = live(30)
    play(trainer, entry)
    wait_for(lambda: entry.pace > TRAINER_JOB_PACE)
    entry.exclusive(lambda: time.sleep(2 * TRAINER_JOB_SECONDS))
    assert where_it_ran(entry)[0] == threading.current_thread().name
    assert where_it_ran(entry)[0].startswith("trainer-")  # short again: back in the turn
    stop(entry)


def test_an_error_in_locked_work_reaches_the_caller_and_training_goes_on(trainer):
    entry = live(30)
    play(trainer, entry)
    wait_for(lambda: entry.pace > TRAINER_JOB_PACE)
    with pytest.raises(ZeroDivisionError):
        entry.exclusive(lambda: 1 / 0)
    before = entry.session.step_count
    wait_for(lambda: entry.session.step_count > before)
    stop(entry)


def test_work_handed_over_while_sessions_stop_or_the_trainer_stops_is_done(publishes):
    trainer = Trainer(publishes, max_slice_seconds=0.015)
    trainer.start()
    entries = [live(30) for _ in range(4)]
    play(trainer, *entries)
    wait_for(lambda: all(e.pace > TRAINER_JOB_PACE for e in entries))
    results = []

    def ask(entry):
        for _ in range(20):
            results.append(entry.exclusive(lambda: entry.session.step_count))

    askers = [threading.Thread(target=ask, args=(e,)) for e in entries for _ in range(2)]
    for t in askers:
        t.start()
    stop(entries[0])  # one stops playing while work waits for its turn
    time.sleep(0.05)
    trainer.stop()  # and the trainer stops with work waiting
    for t in askers:
        t.join(timeout=10)
        assert not t.is_alive()
    assert len(results) == 20 * len(askers)
