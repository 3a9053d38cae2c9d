"""Server speed figures: `python -m benchmarks.server` prints each one with its target.

1. One client streams a playing 2-8-8-1 spiral session: the server's epochs per second
   against the bare engine's (target >= 90%), and metrics frames per second the client
   receives (target >= 25); seven short turns of each, side by side, the median turn
   reported.
2. Eight sessions playing at once, each watched as the page watches one (metrics at 30
   frames a second; snapshots pulled as the 2-D page pulls them: the output over an
   80x80 grid, every neuron over 24x24, the weights and one point's activations, a new
   one asked for when the last has arrived and the step has moved, at most 30 a
   second): metrics frames a second per viewer (target >= 25) and snapshots a second
   per page (target >= 10), the slowest viewer's and the median; GET /api/health
   latency p50/p99, 50 requests a second from another process (target p99 < 25 ms);
   and the steps a second of all eight together against one session watched the same
   way alone, health requests included (target >= 90%), in turns side by side, the
   median turn reported.
3. A one-step REST call on a small network, in-process: p50 (target < 2 ms), as the
   server's own time (a bare ASGI call) and through httpx's ASGI transport.

1 and 2 run a real `playground` process on a free port with a temporary data folder.
Options: `--sessions N` (8), `--turns N` (5), `--seconds S` (4: each turn's measured
window), `--only crowd`; any other flag goes to the server (`--trainer-threads 2`).
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import httpx
import websockets

import app  # noqa: F401  (first: the server's BLAS set-up, so the bare engine runs as the server does)
from engine import Session

from .__main__ import spiral_spec

ROOT = Path(__file__).resolve().parents[1]

PAGE_SNAPSHOT = json.dumps(
    {
        "type": "snapshot",
        "weights": True,
        "layers": False,
        "encoding": "base64",
        "resolution": 80,
        "neurons": 24,
        "inputs": [[0.5, -0.5]],
    }
)
PAGE_SNAPSHOTS_PER_SECOND = 30  # static/js/controller.js: SNAPSHOTS_PER_SECOND
PAGE_FPS = 30  # static/js/controller.js: the stream's ?fps=
SNAPSHOT_PREFIX = '{"type": "snapshot"'  # the server's frames start with their type


def bare_engine_epochs_per_second(seconds: float = 3.0) -> float:
    s = Session.from_spec(spiral_spec())
    s.step(epochs=5)
    start, epochs = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        s.step(epochs=10)
        epochs += 10
    return epochs / (time.perf_counter() - start)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: str, extra: list[str] = ()):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--port", str(port), "--data-dir", data_dir, *extra],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/api/health", timeout=0.5)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the server did not start")


async def stream_one(base: str, seconds: float = 5.0) -> tuple[float, float]:
    async with httpx.AsyncClient(base_url=base) as client:
        sid = (await client.post("/api/sessions", json=spiral_spec())).json()["id"]
    url = base.replace("http", "ws") + f"/api/sessions/{sid}/stream"
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "play"}))
        first = last = None
        frames = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            frame = json.loads(await ws.recv())
            if frame["type"] != "metrics" or frame["status"] != "running":
                continue
            now = time.monotonic()
            if first is None:
                first = (now, frame["epoch"])
            frames += 1
            last = (now, frame["epoch"])
        await ws.send(json.dumps({"type": "pause"}))
    elapsed = last[0] - first[0]
    return (last[1] - first[1]) / elapsed, (frames - 1) / elapsed


# -- many sessions, each watched as the page watches one ----------------------------------
class Page:
    """What one page receives from its session's socket inside the measured window."""

    def __init__(self):
        self.metrics = 0
        self.snapshots = 0
        self.steps: list[tuple[float, int]] = []  # (time, step) of each metrics frame

    def steps_per_second(self) -> float:
        (t0, s0), (t1, s1) = self.steps[0], self.steps[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0


async def watch_like_a_page(
    url: str,
    page: Page,
    start: float,
    end: float,
    snapshots_per_second: float = PAGE_SNAPSHOTS_PER_SECOND,
) -> None:
    """Play, then pull snapshots as static/js/controller.js does (at most
    `snapshots_per_second`; 0: none) until `end`; count the frames that arrive between
    `start` and `end` (time.monotonic())."""
    gap = 1.0 / snapshots_per_second if snapshots_per_second else float("inf")
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        await ws.send('{"type": "play"}')
        step, seen, inflight, sent = -1, -2, False, 0.0
        while (now := time.monotonic()) < end:
            if not inflight and step != seen and now - sent >= gap:
                await ws.send(PAGE_SNAPSHOT)
                seen, inflight, sent = step, True, now
            wait = end - now
            if not inflight and step != seen and snapshots_per_second:
                wait = min(wait, max(0.0, sent + gap - now))
            try:
                raw = await asyncio.wait_for(ws.recv(), wait)
            except TimeoutError:
                continue
            now = time.monotonic()
            counted = start <= now < end
            if raw.startswith(SNAPSHOT_PREFIX):  # big: not parsed, as a page decodes lazily
                inflight = False
                page.snapshots += counted
                continue
            frame = json.loads(raw)
            if "step" in frame:
                step = frame["step"]
            if frame["type"] == "metrics" and frame["status"] == "running" and counted:
                page.metrics += 1
                page.steps.append((now, step))
        await ws.send('{"type": "pause"}')


HEALTH_GAP = 0.02  # seconds between health requests: 50 a second, in both halves of a turn


def ping_health(base: str, start: float, end: float) -> None:
    """GET /api/health every HEALTH_GAP between `start` and `end` (time.time()); prints
    the latencies in seconds as JSON. Run in its own process, so that the pages' traffic
    in the benchmark's event loop adds nothing to them."""
    latencies = []
    with httpx.Client(base_url=base) as client:
        time.sleep(max(0.0, start - time.time()))
        while time.time() < end:
            t0 = time.perf_counter()
            client.get("/api/health").raise_for_status()
            latencies.append(time.perf_counter() - t0)
            time.sleep(HEALTH_GAP)
    print(json.dumps(latencies))


async def crowd(
    base: str,
    n: int,
    seconds: float,
    warmup: float = 1.5,
    health: bool = False,
    snapshots_per_second: float = PAGE_SNAPSHOTS_PER_SECOND,
    fps: float = PAGE_FPS,
) -> tuple[list[Page], list[float]]:
    """`n` sessions playing, each watched like a page; the pages and, if asked, the
    health latencies measured meanwhile."""
    async with httpx.AsyncClient(base_url=base) as client:
        ids = [
            (await client.post("/api/sessions", json=spiral_spec())).json()["id"] for _ in range(n)
        ]
        pinger = None
        wall, now = time.time(), time.monotonic()
        if health:
            code = (
                f"from benchmarks.server import ping_health; "
                f"ping_health({base!r}, {wall + warmup}, {wall + warmup + seconds})"
            )
            pinger = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                code,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        pages = [Page() for _ in ids]
        ws_base = base.replace("http", "ws")
        await asyncio.gather(
            *(
                watch_like_a_page(
                    f"{ws_base}/api/sessions/{sid}/stream?fps={fps}",
                    page,
                    now + warmup,
                    now + warmup + seconds,
                    snapshots_per_second,
                )
                for sid, page in zip(ids, pages)
            )
        )
        latencies = json.loads((await pinger.communicate())[0]) if pinger else []
        for sid in ids:
            await client.delete(f"/api/sessions/{sid}")
    return pages, latencies


def crowd_figures(
    base: str,
    n: int,
    turns: int,
    seconds: float,
    snapshots_per_second: float = PAGE_SNAPSHOTS_PER_SECOND,
    fps: float = PAGE_FPS,
) -> list[str]:
    """Turns of one session alone then `n` together, side by side (this shared
    machine's speed drifts by 20-30% over a minute; a drift then hits both alike)."""
    results = []
    for _ in range(turns):
        alone, _ = asyncio.run(
            crowd(base, 1, seconds, health=True, fps=fps, snapshots_per_second=snapshots_per_second)
        )
        pages, latencies = asyncio.run(
            crowd(base, n, seconds, health=True, fps=fps, snapshots_per_second=snapshots_per_second)
        )
        results.append((alone[0].steps_per_second(), pages, latencies))
    ratios = sorted(sum(p.steps_per_second() for p in pages) / alone for alone, pages, _ in results)
    middle = min(
        results,
        key=lambda r: abs(
            sum(p.steps_per_second() for p in r[1]) / r[0] - ratios[len(ratios) // 2]
        ),
    )
    alone, pages, _ = middle
    together = sum(p.steps_per_second() for p in pages)
    fps = sorted(p.metrics / seconds for r in results for p in r[1])
    snaps = sorted(p.snapshots / seconds for r in results for p in r[1])
    latencies = sorted(x for r in results for x in r[2])
    p50, p99 = (latencies[int(len(latencies) * q)] * 1e3 for q in (0.5, 0.99))
    what = (
        f"{n} sessions playing (2-8-8-1 spiral), each watched like a page, "
        f"{turns} turns of {seconds:g} s"
    )
    return [
        (
            f"{what}: metrics frames/s per viewer: slowest {fps[0]:.1f}, median "
            f"{statistics.median(fps):.1f} (target >= 25)"
        ),
        (
            f"{what}: snapshots/s per page: slowest {snaps[0]:.1f}, median "
            f"{statistics.median(snaps):.1f} (target >= 10)"
        ),
        (
            f"{what}: GET /api/health p50 {p50:.1f} ms, p99 {p99:.1f} ms over "
            f"{len(latencies)} requests (target p99 < 25 ms)"
        ),
        (
            f"{what}: {together:,.0f} steps/s together vs {alone:,.0f} for one session alone "
            f"({together / alone:.0%}, target >= 90%; turns {ratios[0]:.0%} to {ratios[-1]:.0%})"
        ),
    ]


# -- one REST step ------------------------------------------------------------------
def rest_step_p50(calls: int = 500) -> tuple[float, float]:
    """p50 of POST /step {"steps": 1} in-process, checkpoints on, two ways, alternating:
    through httpx's ASGI transport (a client's view, with httpx's own request building;
    TestClient would add a thread hop per call), and as a bare ASGI call (the server's
    own time: routing, middleware, validation, the step, the checkpoint hand-off)."""
    warnings.filterwarnings("ignore")
    from app.main import create_app
    from app.settings import Settings

    spec = {**spiral_spec(), "data": {"dataset": "xor", "params": {"n_samples": 100}}}

    async def run(asgi_app) -> tuple[list[float], list[float]]:
        async with asgi_app.router.lifespan_context(asgi_app):
            transport = httpx.ASGITransport(app=asgi_app)
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
                sid = (await c.post("/api/sessions", json=spec)).json()["id"]
                path = f"/api/sessions/{sid}/step"
                client, bare = [], []
                for _ in range(calls):
                    t0 = time.perf_counter()
                    response = await c.post(path, json={"steps": 1})
                    client.append(time.perf_counter() - t0)
                    response.raise_for_status()
                    t0 = time.perf_counter()
                    status = await asgi_post(asgi_app, path, b'{"steps": 1}')
                    bare.append(time.perf_counter() - t0)
                    assert status == 200, status
                return client, bare

    with tempfile.TemporaryDirectory() as tmp:
        client, bare = asyncio.run(run(create_app(Settings(data_dir=Path(tmp)))))
    return sorted(client)[len(client) // 2], sorted(bare)[len(bare) // 2]


async def asgi_post(asgi_app, path: str, body: bytes) -> int:
    """One POST straight into the ASGI app; its status code."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 1),
        "server": ("localhost", 80),
        "headers": [
            (b"host", b"localhost"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    sent = False
    status = 0

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await asgi_app(scope, receive, send)
    return status


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--only", choices=["stream", "crowd", "rest"])
    parser.add_argument(
        "--snapshots-per-second",
        type=float,
        default=PAGE_SNAPSHOTS_PER_SECOND,
        help="the pages' cap on snapshots (0: metrics only)",
    )
    parser.add_argument(
        "--fps", type=float, default=PAGE_FPS, help="metrics frames a second each page asks for"
    )
    args, server_args = parser.parse_known_args(argv)
    run = {args.only} if args.only else {"stream", "crowd", "rest"}
    if run & {"stream", "crowd"}:
        with tempfile.TemporaryDirectory() as tmp:
            proc, base = start_server(tmp, server_args)
            try:
                if "stream" in run:
                    print(stream_figure(base), flush=True)
                if "crowd" in run:
                    for line in crowd_figures(
                        base,
                        args.sessions,
                        args.turns,
                        args.seconds,
                        args.snapshots_per_second,
                        args.fps,
                    ):
                        print(line, flush=True)
            finally:
                proc.terminate()
                proc.wait(timeout=15)
    if "rest" in run:
        client, bare = rest_step_p50()
        print(
            f"one-step REST call, in-process: p50 {bare * 1e3:.2f} ms in the server (a "
            f"bare ASGI call), {client * 1e3:.2f} ms through httpx's ASGI transport "
            "(target < 2 ms)"
        )


def stream_figure(base: str) -> str:
    # short turns of each, side by side, and the median of the turns' ratios: this
    # shared machine's speed drifts by 20-30% over a minute, and a drift then hits both
    # halves of a turn alike
    turns = []
    for _ in range(7):
        bare_turn = bare_engine_epochs_per_second(1.5)
        turns.append((bare_turn, *asyncio.run(stream_one(base, 2.0))))
    turns.sort(key=lambda t: t[1] / t[0])
    bare, served, fps = turns[len(turns) // 2]
    low, high = (turns[0][1] / turns[0][0], turns[-1][1] / turns[-1][0])
    return (
        f"streamed 2-8-8-1 spiral: {served:.0f} epochs/s served vs {bare:.0f} bare "
        f"engine ({served / bare:.0%}, target >= 90%; turns {low:.0%} to {high:.0%}); "
        f"{fps:.1f} metrics frames/s received (target >= 25)"
    )


if __name__ == "__main__":
    main()
