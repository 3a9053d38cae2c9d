"""How often the trainer makes each page's snapshots while small networks play.

The snapshot of a playing small network is made on the trainer's thread, in the
session's turn (beside training its NumPy calls would fight the trainer for the GIL,
and every hand-over costs more than the call), so its time is training time taken from
every playing session. Snapshots together may take SHARE of the trainer's time: the
pages pulling them share it evenly, each getting at least FLOOR a second, and at most
what it asks for. One page alone gets all it asks for (30 a second, about 3% of the
trainer); eight get FLOOR each.
"""

import time

SHARE = 0.06
FLOOR = 15.0  # snapshots a second a page always gets (the target is 10)
ACTIVE_SECONDS = 1.0  # a page that had none for this long no longer shares the budget
COST_WEIGHT = 0.2  # of the newest snapshot in the running mean of their cost


class SnapshotBudget:
    """Shared by the viewers of one server; used on the event loop only."""

    def __init__(self, share: float = SHARE, floor: float = FLOOR):
        self.share = share
        self.floor = floor
        self.cost: float | None = None  # seconds of trainer time a snapshot takes
        self._last: dict = {}  # viewer -> time.monotonic() of its last snapshot

    def interval(self, viewer, seconds: float) -> float:
        """Seconds from `viewer`'s snapshot that took `seconds` to its next one."""
        now = time.monotonic()
        self._last[viewer] = now
        for other, last in list(self._last.items()):
            if now - last > ACTIVE_SECONDS:
                del self._last[other]
        self.cost = (
            seconds
            if self.cost is None
            else ((1 - COST_WEIGHT) * self.cost + COST_WEIGHT * seconds)
        )
        return min(1.0 / self.floor, len(self._last) * self.cost / self.share)

    def forget(self, viewer) -> None:
        self._last.pop(viewer, None)
