"""Export and import: a round trip that resumes identically, and hostile archives."""

import io
import json
import zipfile

import numpy as np
import pytest
from app_helpers import BASE, assert_error, make_settings
from fastapi.testclient import TestClient

from app.main import create_app


def export(client, sid) -> bytes:
    r = client.get(f"/api/sessions/{sid}/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    return r.content


def post_archive(client, blob):
    return client.post(
        "/api/sessions/import", content=blob, headers={"content-type": "application/zip"}
    )


def test_round_trip_on_another_server_resumes_identically(client, session_id, tmp_path):
    client.post(f"/api/sessions/{session_id}/step", json={"steps": 37})  # mid-epoch
    blob = export(client, session_id)
    names = set(zipfile.ZipFile(io.BytesIO(blob)).namelist())
    assert names == {"manifest.json", "spec.json", "history.json", "state.json", "arrays.npz"}
    other_settings = make_settings(tmp_path / "other")
    with TestClient(create_app(other_settings), base_url=BASE) as other:
        r = post_archive(other, blob)
        assert r.status_code == 201, r.text
        new_id = r.json()["id"]
        assert new_id != session_id and r.json()["step"] == 37
        a = client.post(f"/api/sessions/{session_id}/step", json={"steps": 50}).json()
        b = other.post(f"/api/sessions/{new_id}/step", json={"steps": 50}).json()
        assert a["metrics"] == b["metrics"]
        assert (
            client.get(f"/api/sessions/{session_id}/weights").json()
            == other.get(f"/api/sessions/{new_id}/weights").json()
        )
        assert (
            client.get(f"/api/sessions/{session_id}/history").json()
            == other.get(f"/api/sessions/{new_id}/history").json()
        )


def rebuild(blob: bytes, replace: dict | None = None, extra: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in source.namelist():
            zf.writestr(name, (replace or {}).get(name, source.read(name)))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def npz_with(blob: bytes, **arrays) -> bytes:
    inner = zipfile.ZipFile(io.BytesIO(zipfile.ZipFile(io.BytesIO(blob)).read("arrays.npz")))
    current = {n[:-4]: np.load(io.BytesIO(inner.read(n))) for n in inner.namelist()}
    current.update(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **current)
    return buffer.getvalue()


def huge_header_npz() -> bytes:
    """A tiny .npz whose one array claims to be 298 GiB."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (200_000, 200_000)}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("params.npy", b"\x93NUMPY\x01\x00" + header.getvalue()[8:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    "case",
    [
        "not_zip",
        "path",
        "extra",
        "missing",
        "bad_json",
        "pickle",
        "huge_header",
        "wrong_shape",
        "bad_counter",
        "bad_spec",
    ],
)
def test_hostile_archives_are_rejected(client, session_id, case):
    blob = export(client, session_id)
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    state = json.loads(zipfile.ZipFile(io.BytesIO(blob)).read("state.json"))
    bad = {
        "not_zip": b"PK not really a zip",
        "path": rebuild(blob, extra={"../evil.json": b"{}"}),
        "extra": rebuild(blob, extra={"notes.txt": b"hi"}),
        "missing": rebuild(blob, replace={}, extra={}).replace(b"state.json", b"stat2.json"),
        "bad_json": rebuild(blob, replace={"spec.json": b"{nope"}),
        "pickle": None,
        "huge_header": rebuild(blob, replace={"arrays.npz": huge_header_npz()}),
        "wrong_shape": rebuild(blob, replace={"arrays.npz": npz_with(blob, params=np.zeros(3))}),
        "bad_counter": rebuild(blob, replace={"state.json": json.dumps({**state, "cursor": -4})}),
        "bad_spec": rebuild(blob, replace={"spec.json": b'{"model": 1}'}),
    }[case]
    if case == "pickle":
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as zf:
            zf.writestr("params.npy", pickled.getvalue())
        bad = rebuild(blob, replace={"arrays.npz": inner.getvalue()})
    if case == "huge_header":  # refused from its header, before any allocation
        assert_error(post_archive(client, bad), 413, "too_large")
    else:
        assert_error(post_archive(client, bad), 422, "invalid_archive")


def test_oversized_upload_is_413(tmp_path):
    with TestClient(
        create_app(make_settings(tmp_path, max_upload_bytes=1000)), base_url=BASE
    ) as client:
        assert_error(post_archive(client, b"x" * 2000), 413, "too_large")
