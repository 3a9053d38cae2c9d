"""One websocket client watching a session: its own pace and its own sender task.

The trainer (a thread) never awaits a send: uvicorn's `await send` blocks while a
client is not reading, and one stalled browser must not stall training or the other
viewers. Nor does it wake anyone: it puts the newest metrics frame in the session's
slot, and while the session plays this viewer's sender task looks in at each tick of
its frame rate, on a grid shared by every viewer of that rate, so that one wake-up of
the event loop serves them all (each wake-up takes the GIL from the trainer). Frames
made outside the trainer (a step, a reset, a change) wake it at once. A slow client
therefore gets fewer, newer frames, never a growing queue.

Replies and status changes go through `push()` into a short outbox (bounded: a client
that sends requests without reading replies loses the oldest replies, not memory).
Snapshots (weights and boundary grid) are sent on request, and at `snapshot_fps` while
the session changes. While a small network plays, a snapshot is a future made in the
session's next turn (and drawn in a render process: app.render), collected at a tick,
as often as the snapshot budget lets (app.snapshot_budget); otherwise it is computed
in a worker thread under the session lock.
"""

import asyncio
import collections
import concurrent.futures
import json
import math
import time

OUTBOX_SIZE = 32
EARLY = 1e-4  # seconds a tick may come early (timer rounding) and still count
COLLECT_FPS = 30.0  # a pending snapshot is looked for at least this often


class Viewer:
    def __init__(
        self,
        websocket,
        entry,
        *,
        fps: float,
        snapshot_fps: float,
        resolution: int,
        layers: bool,
        make_snapshot,
        budget=None,
    ):
        self.ws = websocket
        self.entry = entry
        self.fps = fps
        self.snapshot_fps = snapshot_fps
        self.resolution = resolution
        self.layers = layers
        self.views: dict = {}  # views that periodic snapshots carry
        self.make_snapshot = make_snapshot  # async (entry, options) -> frame or Future
        self.budget = budget  # a SnapshotBudget: how often the trainer makes our snapshots
        self.pending = None  # a Future (or app.render's RenderJob) of (text, seconds)
        self.snapshot_allowed = 0.0
        self.loop = asyncio.get_running_loop()
        self.wake = asyncio.Event()
        self.outbox: collections.deque = collections.deque(maxlen=OUTBOX_SIZE)
        self.tasks: set = set()  # streams in progress (sampled text), kept referenced
        self.snapshot_requests: collections.deque = collections.deque(maxlen=4)
        self.sent_version = -1
        self.snapshot_version = -1
        self.next_metrics = 0.0
        self.next_snapshot = 0.0
        self.frames_sent = 0

    # -- called from any thread ---------------------------------------------------
    def notify(self) -> None:
        try:
            self.loop.call_soon_threadsafe(self.wake.set)
        except RuntimeError:  # the loop is closed: the server is stopping
            pass

    def push(self, message: dict) -> None:
        self.outbox.append(message)
        self.notify()

    # -- the sender task ----------------------------------------------------------
    async def run_sender(self) -> None:
        while True:
            timeout = self._time_to_next_due()
            timer = None if timeout is None else self.loop.call_later(timeout, self.wake.set)
            await self.wake.wait()
            if timer is not None:
                timer.cancel()
            self.wake.clear()
            while self.outbox:
                await self._send(self.outbox.popleft())
            if self.pending is not None and (text := self._collect()) is not None:
                await self._send_text(text)
            now = time.monotonic()
            entry = self.entry
            if entry.frame_version != self.sent_version and now >= self.next_metrics - EARLY:
                self.sent_version = entry.frame_version
                self.next_metrics = self._next_tick(now)
                if entry.frame is not None:
                    await self._send(entry.frame)
            if self.pending is None and now >= self.snapshot_allowed - EARLY:
                if self.snapshot_requests:
                    await self._snapshot(self.snapshot_requests.popleft())
                elif (
                    self.snapshot_fps
                    and entry.frame_version != self.snapshot_version
                    and now >= self.next_snapshot
                ):
                    self.snapshot_version = entry.frame_version
                    self.next_snapshot = now + 1.0 / self.snapshot_fps
                    await self._snapshot(self.snapshot_options())

    def snapshot_options(self) -> dict:
        return {
            "resolution": self.resolution,
            "layers": self.layers,
            "weights": True,
            "views": self.views,
        }

    async def _snapshot(self, options: dict) -> None:
        """Send a snapshot, or leave it `pending` if the trainer makes it in the
        session's next turn (collected at a tick, not woken for)."""
        made = await self.make_snapshot(self.entry, options)
        if isinstance(made, concurrent.futures.Future):  # collected at a tick
            self.pending = made
        else:
            await self._send(made)

    def _collect(self) -> str | None:
        """The pending snapshot's text once made (the trainer's job may hand on to a
        render process's: app.render), else None; and the next one's earliest time by
        the budget."""
        while self.pending.done():
            made = self.pending.result()
            if not isinstance(made, tuple):
                self.pending = made
                continue
            self.pending = None
            text, seconds = made
            if self.budget is not None:  # the next may be made by the tick after it is due
                interval = self.budget.interval(self, seconds)
                self.snapshot_allowed = time.monotonic() + interval - 1 / self.fps
            return text
        return None

    def _next_tick(self, now: float, rate: float | None = None) -> float:
        """The next tick of this viewer's frame rate (or `rate`), on a grid shared by
        every viewer of that rate, so that one wake-up of the event loop serves them all."""
        rate = rate or self.fps
        return (math.floor(now * rate + EARLY) + 1) / rate

    def _time_to_next_due(self) -> float | None:
        """Seconds until there may be something to send, or None (until woken)."""
        now = time.monotonic()
        waits = []
        if self.entry.playing:  # frames to collect
            waits.append(self._next_tick(now) - now)
        if self.pending is not None:  # a snapshot to collect, however rare the metrics
            waits.append(self._next_tick(now, max(self.fps, COLLECT_FPS)) - now)
        if self.entry.frame_version != self.sent_version:
            waits.append(self.next_metrics - now)
        if self.pending is None and self.snapshot_requests:
            waits.append(self.snapshot_allowed - now)
        elif self.pending is None and (
            self.snapshot_fps and self.entry.frame_version != self.snapshot_version
        ):
            waits.append(max(self.next_snapshot, self.snapshot_allowed) - now)
        if not waits:
            return None
        return max(0.0, min(waits))

    async def _send(self, message: dict) -> None:
        await self._send_text(json.dumps(message, allow_nan=False))
        if message.get("type") == "status" and message.get("status") == "deleted":
            await self.ws.close(code=1000, reason="session deleted")
            raise asyncio.CancelledError

    async def _send_text(self, text: str) -> None:
        await self.ws.send_text(text)
        self.frames_sent += 1
