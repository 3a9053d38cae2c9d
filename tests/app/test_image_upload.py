"""POST /api/datasets/images: a user's .npz or IDX files in, a spec's data section out."""

import base64
import gzip
import io

import numpy as np
import pytest
from app_helpers import BASE, assert_error, make_settings
from fastapi.testclient import TestClient

from app.main import create_app
from engine import build_data, dataset

PIXELS = np.random.default_rng(1).integers(0, 256, (8, 5, 4), dtype=np.uint8)
LABELS = np.array([0, 1, 2, 0, 1, 2, 0, 1])


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def npz(**arrays) -> str:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return b64(buf.getvalue())


def idx(magic: int, arr: np.ndarray) -> str:
    head = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in arr.shape)
    return b64(gzip.compress(head + arr.astype(np.uint8).tobytes()))


def post(client, **body):
    return client.post("/api/datasets/images", json=body)


@pytest.mark.parametrize(
    "body",
    [
        {"format": "npz", "file": npz(X=PIXELS, y=LABELS)},
        {"format": "idx", "images": idx(2051, PIXELS), "labels": idx(2049, LABELS)},
    ],
    ids=["npz", "idx"],
)
def test_upload_answers_a_data_section_the_engine_builds(client, body):
    r = post(client, **body)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["info"] == {"n": 8, "shape": [5, 4, 1], "classes": 3, "dtype": "uint8"}
    data = answer["data"]
    assert set(data) == {"dataset", "task", "X", "y"} and data["y"] == LABELS.tolist()
    assert data["X"]["dtype"] == "uint8" and data["X"]["shape"] == [8, 5, 4, 1]
    spec = dataset.normalize(data, loss_is_classification=True)
    built = build_data.build(spec, 3, np.float32, np.random.default_rng(0))
    assert built.modality == "image" and built.shape == (5, 4, 1)
    np.testing.assert_allclose(built.X_train[..., 0], PIXELS / 255, rtol=1e-6)


def test_float_pixels_come_back_as_float32_in_0_1(client):
    r = post(client, format="npz", file=npz(X=PIXELS * 2.0, y=LABELS))
    assert r.status_code == 200, r.text
    envelope = r.json()["data"]["X"]
    assert envelope["dtype"] == "float32"
    X = np.frombuffer(base64.b64decode(envelope["data"]), "<f4").reshape(envelope["shape"])
    np.testing.assert_allclose(X[..., 0], PIXELS / PIXELS.max(), rtol=1e-6)


GOOD_NPZ = npz(X=PIXELS, y=LABELS)
BAD = [
    ("not-npz", {"format": "npz", "file": b64(b"hello")}, "file", "invalid_file"),
    ("not-base64", {"format": "npz", "file": "%%%"}, "file", "invalid_file"),
    ("empty", {"format": "npz", "file": ""}, "file", "invalid_file"),
    ("no-y", {"format": "npz", "file": npz(X=PIXELS)}, "file", "invalid_file"),
    ("y-length", {"format": "npz", "file": npz(X=PIXELS, y=LABELS[:3])}, "file", "invalid_file"),
    (
        "labels-not-integers",
        {"format": "npz", "file": npz(X=PIXELS, y=LABELS + 0.5)},
        "file",
        "invalid_file",
    ),
    (
        "wrong-magic",
        {"format": "idx", "images": idx(2049, LABELS), "labels": idx(2049, LABELS)},
        "images",
        "invalid_file",
    ),
    (
        "idx-missing-labels",
        {"format": "idx", "images": idx(2051, PIXELS)},
        "labels",
        "invalid_request",
    ),
    (
        "npz-with-labels",
        {"format": "npz", "file": GOOD_NPZ, "labels": "AA=="},
        "labels",
        "invalid_request",
    ),
    ("unknown-format", {"format": "png", "file": GOOD_NPZ}, "format", "invalid_request"),
    ("unknown-field", {"format": "npz", "file": GOOD_NPZ, "name": "x"}, "name", "invalid_request"),
]


@pytest.mark.parametrize(("body", "path", "code"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_uploads_are_422_naming_the_field(client, body, path, code):
    error = assert_error(post(client, **body), 422, code, path)
    assert len(error["message"]) > 5


def test_more_images_than_the_server_allows_is_422(tmp_path):
    with TestClient(create_app(make_settings(tmp_path, max_samples=5)), base_url=BASE) as c:
        error = assert_error(post(c, format="npz", file=GOOD_NPZ), 422, "invalid_file", "file")
    assert "at most 5" in error["message"]


def test_a_file_above_max_upload_bytes_is_413(tmp_path):
    with TestClient(create_app(make_settings(tmp_path, max_upload_bytes=64)), base_url=BASE) as c:
        assert_error(
            post(c, format="npz", file=GOOD_NPZ), 413, "too_large"
        )  # the guard stops the body first
