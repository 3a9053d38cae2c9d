"""How often each page gets a snapshot of a playing small network.

Such a snapshot is started in the session's turn on the trainer's thread (made there,
or handed to a render process: app.render), and its request and reply pass through
the event loop, whose every wake-up takes the GIL from the trainer. So each costs
training time: the trainer's seconds it took, plus HANDLING_SECONDS. Snapshots together
may take SHARE of the trainer's time: the pages pulling them share it evenly, each
getting at least FLOOR a second and at most what it asks for. A page alone takes no one
else's training and gets all it asks for (30 a second); eight pages get FLOOR each.
"""

import time

SHARE = 0.06
FLOOR = 12.0  # snapshots a second a page always gets (the target is 10)
ACTIVE_SECONDS = 1.0  # a page that had none for this long no longer shares the budget
HANDLING_SECONDS = 0.0005
"""The trainer's time a snapshot costs besides its own work: the GIL's hand-overs as the
event loop takes the request, collects the reply and sends it (benchmarks/server.py:
eight pages at 12 snapshots a second trained at 94% of one session alone, at 27 a
second 86%, with every metrics frame 96-98%)."""
COST_WEIGHT = 0.2  # of the newest snapshot in the running mean of their cost


class SnapshotBudget:
    """Shared by the viewers of one server; used on the event loop only."""

    def __init__(self, share: float = SHARE, floor: float = FLOOR):
        self.share = share
        self.floor = floor
        self.cost: float | None = None  # seconds of trainer time a snapshot takes
        self._last: dict = {}  # viewer -> time.monotonic() of its last snapshot

    def interval(self, viewer, seconds: float) -> float:
        """Seconds from `viewer`'s snapshot that took `seconds` of the trainer's own
        time to its next one."""
        now = time.monotonic()
        self._last[viewer] = now
        for other, last in list(self._last.items()):
            if now - last > ACTIVE_SECONDS:
                del self._last[other]
        seconds += HANDLING_SECONDS
        self.cost = (
            seconds
            if self.cost is None
            else ((1 - COST_WEIGHT) * self.cost + COST_WEIGHT * seconds)
        )
        pages = len(self._last)
        if pages == 1:  # its snapshots take no one else's training
            return 0.0
        return min(1.0 / self.floor, pages * self.cost / self.share)

    def forget(self, viewer) -> None:
        self._last.pop(viewer, None)
