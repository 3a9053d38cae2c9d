"""A real `playground` process: killed with SIGKILL and started again on the same data
folder, it lists every session at its last checkpoint, paused."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from app_helpers import spiral

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data_dir, port, *extra):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--port", str(port), "--data-dir", str(data_dir), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=0.5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read() if proc.stderr else ''}")


def wait_checkpoints(base):
    deadline = time.monotonic() + 10
    while httpx.get(base + "/api/health").json()["checkpoints_pending"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_sigkill_and_restart_keeps_every_session(tmp_path):
    port = free_port()
    proc, base = start(tmp_path, port)
    try:
        ids, weights = [], {}
        for steps in (3, 17):
            sid = httpx.post(base + "/api/sessions", json=spiral()).json()["id"]
            httpx.post(f"{base}/api/sessions/{sid}/step", json={"steps": steps})
            ids.append(sid)
            weights[sid] = httpx.get(f"{base}/api/sessions/{sid}/weights").json()
        wait_checkpoints(base)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    proc, base = start(tmp_path, port)
    try:
        listed = {s["id"]: s for s in httpx.get(base + "/api/sessions").json()}
        assert set(listed) == set(ids)
        assert listed[ids[0]]["step"] == 3 and listed[ids[1]]["step"] == 17
        assert all(s["status"] == "paused" for s in listed.values())
        for sid in ids:
            assert httpx.get(f"{base}/api/sessions/{sid}/weights").json() == weights[sid]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) in (
            0,
            -signal.SIGTERM,
        )  # uvicorn re-raises SIGTERM after a clean shutdown


def test_version_and_help():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and "0.1.0" in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--data-dir" in out.stdout and "--max-params" in out.stdout


def test_non_loopback_without_token_warns(tmp_path):
    port = free_port()
    proc, _ = start(tmp_path, port, "--host", "0.0.0.0")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=15)
    assert "open http://127.0.0.1:" in out and "WARNING" in err and "--token" in err


def test_sigterm_while_playing_checkpoints_the_latest_state(tmp_path):
    """A playing session's newest steps are saved on a clean shutdown, not only the
    last periodic checkpoint (every 5 s by default; set to an hour here)."""
    import asyncio
    import json

    import websockets

    port = free_port()
    proc, base = start(tmp_path, port, "--checkpoint-interval", "3600")
    try:
        sid = httpx.post(base + "/api/sessions", json=spiral()).json()["id"]

        async def play_a_while():
            async with websockets.connect(f"ws://127.0.0.1:{port}/api/sessions/{sid}/stream") as ws:
                await ws.send(json.dumps({"type": "play"}))
                async for message in ws:
                    frame = json.loads(message)
                    if frame["type"] == "metrics" and frame["step"] >= 200:
                        # keep the socket open: the session is still playing at SIGTERM
                        proc.send_signal(signal.SIGTERM)
                        return frame["step"]

        seen = asyncio.run(play_a_while())
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
    proc, base = start(tmp_path, port)
    try:
        listed = httpx.get(f"{base}/api/sessions/{sid}").json()
        assert listed["status"] == "paused"
        assert listed["step"] >= seen
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
