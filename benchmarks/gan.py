"""GANs: speed, mode coverage and digits, one run each: `python -m benchmarks.gan`.

1. Speed: GAN Lab's default set-up (the gan-lab preset: two hills, batch 150, two
   8-ReLU layers a network) in rounds a second, as the server trains it (one BLAS
   thread, `session.step(steps=...)` in slices); target >= 300. Then the same session
   played over the websocket of an in-process server, as the page sees it.
2. Mode coverage: the gan-eight-non-saturating preset trained for 60 s (training
   time): modes covered (target >= 7 of 8) and the share of high-quality samples
   (within 3σ of a mode; target >= 70 %), measured on 2,500 fixed-noise samples every
   5 s and at the end (a GAN oscillates: both are printed); then gan-eight-minimax on
   the same set-up, for comparison.
3. Digits: the digits-cnn preset's CNN is trained on real digits first (to 98 % test
   accuracy or 60 s); then the gan-digits preset trains for 120 s, and the CNN labels
   the fixed-noise grid of the gan_samples view (16×16, seed 0): the share it labels
   with a maximum probability above 0.9 is reported, with the digits it sees, and the
   grid is written as a PNG (`--grid`) to look at.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the server runs (app/__init__.py)

import argparse
import statistics
import struct
import tempfile
import time
import zlib

import numpy as np

from engine import Session, views
from engine.presets import get_preset

SPEED_TARGET = 300
MODES_TARGET, QUALITY_TARGET = 7, 0.70
CONFIDENT = 0.9


def rounds_per_second(name: str, seconds: float) -> float:
    s = Session.from_spec(get_preset(name)["spec"])
    s.step(steps=200)  # warm: buffers made, the first epoch drawn
    rates = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        s.step(steps=500)
        rates.append(500 / (time.perf_counter() - t0))
    return statistics.median(rates)


def played_rate(name: str, seconds: float) -> float:
    """Rounds a second of the preset playing on an in-process server's trainer, from
    its metrics frames' steps_per_second."""
    from pathlib import Path

    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    settings = Settings(data_dir=Path(tempfile.mkdtemp()) / "data")
    with TestClient(create_app(settings), base_url="http://localhost") as client:
        sid = client.post("/api/sessions", json=get_preset(name)["spec"]).json()["id"]
        with client.websocket_connect(f"ws://localhost/api/sessions/{sid}/stream") as ws:
            ws.send_json({"type": "play"})
            start, first, last = time.monotonic(), None, None
            while time.monotonic() - start < seconds:
                frame = ws.receive_json()
                if frame["type"] == "metrics" and frame["status"] == "running":
                    first = first or (time.monotonic(), frame["step"])
                    last = (time.monotonic(), frame["step"])
            ws.send_json({"type": "pause"})
    return (last[1] - first[1]) / max(last[0] - first[0], 1e-9)


def train_for(name: str, seconds: float, every: float = 5.0) -> tuple[Session, list]:
    """The preset trained for `seconds` of wall time (measuring excluded); its
    metrics every `every` seconds of it."""
    s = Session.from_spec(get_preset(name)["spec"])
    spent, marks, next_mark = 0.0, [], every
    while spent < seconds:
        t0 = time.perf_counter()
        s.step(steps=100)
        spent += time.perf_counter() - t0
        if spent >= next_mark and s.objective.plane is not None:
            next_mark += every
            m = s.metrics(evaluate=True)
            marks.append((spent, s.step_count, m["modes"], m["high_quality"], m["js"]))
    return s, marks


def mode_coverage(name: str, seconds: float) -> dict:
    s, marks = train_for(name, seconds)
    m = s.metrics(evaluate=True)
    return {"name": name, "rounds": s.step_count, "metrics": m, "marks": marks}


def digits_classifier(budget: float) -> tuple[Session, float]:
    s = Session.from_spec(get_preset("digits-cnn")["spec"])
    start, accuracy = time.perf_counter(), 0.0
    while time.perf_counter() - start < budget and accuracy < 0.98:
        accuracy = s.step(epochs=1)["test_accuracy"] or 0.0
    return s, accuracy


def digits_gan(seconds: float, cnn: Session, side: int) -> dict:
    s, _ = train_for("gan-digits", seconds)
    grid = views.compute(s, "gan_samples", {"rows": side, "cols": side, "seed": 0})
    probabilities = cnn.predict(grid["images"])
    confident = probabilities.max(axis=1) > CONFIDENT
    labels = probabilities.argmax(axis=1)
    return {
        "rounds": s.step_count,
        "share": float(confident.mean()),
        "digits": np.bincount(labels[confident], minlength=10).tolist(),
        "images": grid["images"],
    }


def write_png(path: str, images: np.ndarray, side: int, scale: int = 4) -> None:
    """A side × side grid of 8×8 grey images (in [0, 1]), one pixel of gap, scaled up."""
    h, w = images.shape[1:3]
    canvas = np.ones((side * (h + 1) + 1, side * (w + 1) + 1))
    for k, image in enumerate(images[: side * side]):
        r, c = divmod(k, side)
        canvas[1 + r * (h + 1) : 1 + r * (h + 1) + h, 1 + c * (w + 1) : 1 + c * (w + 1) + w] = (
            1.0 - np.clip(image[..., 0], 0, 1)  # ink dark on white, as the digits are drawn
        )
    pixels = (np.kron(canvas, np.ones((scale, scale))) * 255).astype(np.uint8)
    rows = b"".join(b"\x00" + row.tobytes() for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)))
        f.write(chunk(b"IEND", b""))


def meets(modes: float, quality: float) -> bool:
    return modes >= MODES_TARGET and quality >= QUALITY_TARGET


def report_modes(r: dict) -> str:
    m = r["metrics"]
    first = next((t for t, _, modes, q, _ in r["marks"] if meets(modes, q)), None)
    reached = f"first met at {first:.0f} s" if first is not None else "never met"
    trail = ", ".join(f"{t:.0f}s {modes:.0f}/{q:.0%}" for t, _, modes, q, _ in r["marks"])
    return (
        f"{r['name']:26s} {r['rounds']:6d} rounds: at the end {m['modes']:.0f} of 8 modes, "
        f"{m['high_quality']:.1%} high quality, JS {m['js']:.3f}; target (>= 7 modes, "
        f">= 70 %) {reached}\n    every 5 s (modes/high quality): {trail}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speed-seconds", type=float, default=5.0)
    parser.add_argument("--modes-seconds", type=float, default=60.0)
    parser.add_argument("--digits-seconds", type=float, default=120.0)
    parser.add_argument("--side", type=int, default=16, help="the sample grid's side")
    parser.add_argument(
        "--grid",
        default=os.path.join(tempfile.gettempdir(), "gan-digits.png"),
        help="where to write the grid (a PNG)",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=["speed", "modes", "digits"])
    args = parser.parse_args()
    if "speed" not in args.skip:
        rate = rounds_per_second("gan-lab", args.speed_seconds)
        mark = "target met" if rate >= SPEED_TARGET else "below target"
        print(f"gan-lab (GAN Lab's default, batch 150): {rate:,.0f} rounds/s [{mark}: >= 300]")
        played = played_rate("gan-lab", args.speed_seconds)
        print(f"gan-lab playing on the server's trainer (websocket): {played:,.0f} rounds/s")
    if "modes" not in args.skip:
        for name in ("gan-eight-non-saturating", "gan-eight-minimax"):
            print(report_modes(mode_coverage(name, args.modes_seconds)), flush=True)
    if "digits" not in args.skip:
        t0 = time.perf_counter()
        cnn, accuracy = digits_classifier(60.0)
        print(f"digits-cnn judge: {accuracy:.1%} test accuracy ({time.perf_counter() - t0:.0f} s)")
        r = digits_gan(args.digits_seconds, cnn, args.side)
        write_png(args.grid, r["images"], args.side)
        print(
            f"gan-digits after {args.digits_seconds:.0f} s ({r['rounds']:,} rounds): "
            f"{r['share']:.1%} of {args.side * args.side} fixed-noise samples labelled with "
            f"p > {CONFIDENT} (by digit {r['digits']}); grid in {args.grid}"
        )


if __name__ == "__main__":
    main()
