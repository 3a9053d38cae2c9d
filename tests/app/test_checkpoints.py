"""The background checkpoint writer: coalesces, never stalls, survives discards."""

import threading
import time

from app.checkpoints import CheckpointWriter


class RecordingStore:
    def __init__(self):
        self.saved = []
        self.lock = threading.Lock()

    def save(self, sid, row, arrays):
        with self.lock:
            self.saved.append((sid, row["n"]))


def test_a_burst_of_checkpoints_is_written_once_with_the_newest():
    store = RecordingStore()
    writer = CheckpointWriter(store, delay=0.05)
    writer.start()
    for n in range(20):
        writer.submit("a", {"n": n}, {})
    assert writer.flush(timeout=5)
    writer.stop()
    assert store.saved == [("a", 19)]


def test_a_checkpoint_discarded_while_waiting_does_not_stop_the_writer():
    store = RecordingStore()
    writer = CheckpointWriter(store, delay=0.2)
    writer.start()
    writer.submit("a", {"n": 1}, {})
    time.sleep(0.05)
    writer.discard("a")  # the session was deleted before its checkpoint was written
    time.sleep(0.3)
    writer.submit("b", {"n": 2}, {})
    assert writer.flush(timeout=5)
    writer.stop()
    assert store.saved == [("b", 2)]


def test_checkpoints_arriving_continuously_are_still_written_within_the_delay():
    store = RecordingStore()
    writer = CheckpointWriter(store, delay=0.05)
    writer.start()
    end = time.monotonic() + 0.5
    n = 0
    while time.monotonic() < end:
        writer.submit("a", {"n": n}, {})
        n += 1
        time.sleep(0.002)
    writer.stop()
    assert len(store.saved) >= 4  # about one write per 50 ms, not zero
