"""The API description tells the truth: a schemathesis run over the live /openapi.json
of a real `playground` server (a free port, a temporary data folder) finds no server
error and no status code that the schema does not document.

The run is schemathesis' own command, with every phase (examples, coverage, fuzzing,
stateful), as a user would run it; tests/app/openapi_hooks.py points paths at real
sessions, layers, views and datasets and tallies the answers. The server's limits are
small so that every request is quick and the limits' own answers are reached too.
Deterministic: a fixed seed, deterministic generation, one worker, no example database.

By hand, against any running server:

    schemathesis run http://127.0.0.1:8000/openapi.json \\
        -c not_a_server_error,status_code_conformance --seed 1
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from engine.presets import get_preset

pytest.importorskip(
    "schemathesis", reason="schemathesis is in the test extra: pip install -e '.[test]'"
)

ROOT = Path(__file__).resolve().parents[2]
LIMITS = {
    "max-samples": 5000,
    "max-params": 50_000,
    "max-units": 64,
    "max-layers": 8,
    "max-steps-per-request": 100,
    "step-time-budget": 0.2,
    "max-resolution": 40,
    "max-sessions": 16,
    "max-stored-sessions": 300,
    "max-body-bytes": 1_000_000,
    "max-upload-bytes": 2_000_000,
}
RUN = [
    "--checks",
    "not_a_server_error,status_code_conformance",
    "--max-examples",
    "15",
    "--seed",
    "1",
    "--generation-deterministic",
    "--workers",
    "1",
    "--request-timeout",
    "30",
    "--no-color",
]
HANG_LIMIT = 180  # seconds; the run takes about 20 (max-examples bounds it, not a clock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _create(base: str, spec: dict) -> str:
    request = urllib.request.Request(
        base + "/api/sessions",
        data=json.dumps(spec).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["id"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real server; its base URL, its log file and the ids of two sessions on it (a
    2-D MLP and a CNN on images, small)."""
    folder = tmp_path_factory.mktemp("openapi")
    port = _free_port()
    log_path = folder / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app.cli",
                "--port",
                str(port),
                "--data-dir",
                str(folder / "data"),
                *(f"--{name}={value}" for name, value in LIMITS.items()),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"the server did not start: {log_path.read_text()}")
                time.sleep(0.2)
        spiral = get_preset("spiral")["spec"]
        spiral["data"]["params"] = {**spiral["data"].get("params", {}), "n_samples": 200}
        cnn = get_preset("digits-cnn")["spec"]
        cnn["data"]["params"] = {"n_samples": 200}
        try:
            yield base, log_path, [_create(base, spec) for spec in (spiral, cnn)]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_schemathesis_finds_no_server_error_and_no_undocumented_status(server, tmp_path):
    base, log_path, sessions = server
    tally_path, report_path = tmp_path / "tally.json", tmp_path / "report.json"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "openapi_hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "app"), str(ROOT)]),
        "OPENAPI_SESSIONS": ",".join(sessions),
        "OPENAPI_TALLY": str(tally_path),
    }
    started = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{base}/openapi.json",
            *RUN,
            "--report",
            "json",
            "--report-json-path",
            str(report_path),
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
        check=False,
    )
    seconds = time.monotonic() - started
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-12_000:]
    report = json.loads(report_path.read_text())
    assert report["failures"] == [] and report["errors"] == [], output[-12_000:]
    assert report["operations"]["tested"] == report["operations"]["total"], report["operations"]

    tally = json.loads(tally_path.read_text())
    by_status: dict[int, int] = {}
    for key, n in tally.items():
        status = int(key.rsplit(" ", 1)[1])
        by_status[status] = by_status.get(status, 0) + n
    requests = sum(by_status.values())
    print(
        f"\nschemathesis: {requests} requests in {seconds:.1f} s, "
        f"{sum(n for s, n in by_status.items() if s >= 500)} server errors, 0 undocumented "
        f"status codes; by status {dict(sorted(by_status.items()))}"
    )
    assert not any(s >= 500 for s in by_status)
    # it reached the engine: the sessions' own operations succeeded many times
    ok_on_sessions = sum(
        n for key, n in tally.items() if "{session_id}" in key and int(key.rsplit(" ", 1)[1]) < 300
    )
    assert ok_on_sessions >= 100, tally
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-5000:]


# -- the schema's shape, and the guard's answers on every operation -------------------


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _documented(operation: dict) -> set[int]:
    return {int(status) for status in operation["responses"]}


def test_every_error_answer_is_documented_with_the_one_error_body(client):
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(schema)
    body = schema["components"]["schemas"]["ErrorBody"]
    assert body["required"] == ["error"]
    for method, path, operation in _operations(schema):
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorBody", (method, path, status)
                assert answer["description"], (method, path, status)


def test_each_kind_of_operation_documents_its_answers(client):
    for method, path, operation in _operations(client.get("/openapi.json").json()):
        documented = _documented(operation)
        where = f"{method} {path}: {sorted(documented)}"
        assert {400, 401} <= documented, where  # the guard: Host, token
        if method != "GET":
            assert 403 in documented, where  # the guard: Origin
        if "requestBody" in operation:
            assert {413, 422} <= documented, where
        if "{session_id}" in path or "{name}" in path or "{layer}" in path:
            assert 404 in documented, where
        if operation.get("parameters") or "requestBody" in operation:
            assert 422 in documented or method == "DELETE", where


def _concrete(path: str) -> str:
    return (
        path.replace("{session_id}", "AAAAAAAAAAAAAAAAAAAAAA")
        .replace("{name}", "spiral")
        .replace("{layer}", "0")
    )


def test_the_guards_answers_are_documented_where_it_gives_them(tmp_path):
    """A foreign Host (400), no token (401), a foreign page's change (403) and a body over
    the limit (413), sent to every operation: each answer is one it documents."""
    from app_helpers import make_settings
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = make_settings(tmp_path, token="secret", max_body_bytes=100, max_upload_bytes=100)
    with TestClient(create_app(settings), base_url="http://localhost") as c:
        schema = c.get("/openapi.json").json()
        token = {"Authorization": "Bearer secret"}
        for method, path, operation in _operations(schema):
            url, documented = _concrete(path), _documented(operation)
            answers = [
                c.request(method, url, headers={"Host": "elsewhere.example", **token}),
                c.request(method, url),
            ]
            if method != "GET":
                answers.append(
                    c.request(method, url, headers={"Origin": "http://elsewhere.example", **token})
                )
            if "requestBody" in operation:
                answers.append(
                    c.request(
                        method,
                        url,
                        content=b"{" + b" " * 200 + b"}",
                        headers={"Content-Type": "application/json", **token},
                    )
                )
            expected = [400, 401, 403, 413][: len(answers)]
            assert [r.status_code for r in answers] == expected, (method, path)
            assert set(expected) <= documented, (method, path, sorted(documented))
            assert all(set(r.json()) == {"error"} for r in answers)


def test_a_wrong_method_names_every_method_of_its_path(client):
    """FastAPI makes one route a method; Starlette's 405 named only the first one's."""
    r = client.request("OPTIONS", "/api/sessions")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    assert r.json()["error"]["message"].endswith("allowed: GET, POST")
    r = client.post("/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/weights")
    assert r.status_code == 405 and r.headers["allow"] == "GET, PUT"
