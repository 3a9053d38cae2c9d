"""Health, registries, and the one error shape for every kind of failure."""

from app_helpers import SPIRAL, assert_error, make_settings

from engine.data import describe_datasets
from engine.presets import list_presets


def test_health_reports_version(client):
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["version"] == "0.1.0"


def test_datasets_and_presets_come_from_the_engine_registries(client):
    assert client.get("/api/datasets").json() == describe_datasets()
    presets = client.get("/api/presets").json()
    assert presets == list_presets()
    assert {"course-xor", "spiral"} <= {p["name"] for p in presets}


def test_every_preset_creates_a_session(client):
    for preset in list_presets():
        r = client.post("/api/sessions", json=preset["spec"])
        assert r.status_code == 201, (preset["name"], r.text)


def test_unknown_path_is_404_in_the_error_shape(client):
    assert_error(client.get("/api/nope"), 404, "not_found")


def test_wrong_method_is_405_in_the_error_shape(client):
    error = assert_error(client.put("/api/health"), 405, "method_not_allowed")
    assert "GET" in error["message"]


def test_invalid_json_is_422(client):
    r = client.post(
        "/api/sessions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(r, 422, "invalid_json")


def test_unknown_field_is_422_naming_it(client):
    r = client.post("/api/sessions", json={**SPIRAL, "bogus": 1})
    error = assert_error(r, 422, "invalid_request", "bogus")
    assert "bogus" in error["message"]


def test_bad_layer_field_names_its_path(client):
    spec = {**SPIRAL, "model": {"layers": [{"units": 4}, {"units": 0}]}}
    error = assert_error(client.post("/api/sessions", json=spec), 422, path="model.layers[1].units")
    assert "received 0" in error["message"]


def test_unknown_layer_type_names_the_type(client):
    spec = {**SPIRAL, "model": {"layers": [{"type": "conv", "units": 1}]}}
    error = assert_error(client.post("/api/sessions", json=spec), 422, path="model.layers[0].type")
    assert "dense" in error["message"]


def test_engine_errors_keep_their_path(client):
    spec = {**SPIRAL, "data": {"dataset": "spiral", "params": {"noise": 3}}}
    error = assert_error(
        client.post("/api/sessions", json=spec), 422, "invalid_spec", "data.params.noise"
    )
    assert "0.5" in error["message"]


def test_limits_are_422_naming_field_and_flag(client):
    spec = {**SPIRAL, "model": {"layers": [{"units": 5000}, {"units": 1}]}}
    error = assert_error(
        client.post("/api/sessions", json=spec), 422, "limit_exceeded", "model.layers[0].units"
    )
    assert "--max-units" in error["message"]


def test_parameter_and_layer_limits(tmp_path):
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = make_settings(tmp_path, max_params=100, max_layers=2, max_samples=300)
    with TestClient(create_app(settings), base_url="http://localhost") as c:
        assert_error(c.post("/api/sessions", json=SPIRAL), 422, "limit_exceeded", "model.layers")
        few = {**SPIRAL, "model": {"layers": [{"units": 2}, {"units": 1}]}}
        assert c.post("/api/sessions", json=few).status_code == 201
        many = {**few, "data": {**SPIRAL["data"], "params": {"n_samples": 400}}}
        assert_error(c.post("/api/sessions", json=many), 422, "limit_exceeded", "data")


def test_body_over_the_limit_is_413(tmp_path):
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(
        create_app(make_settings(tmp_path, max_body_bytes=1000)), base_url="http://localhost"
    ) as c:
        big = {
            **SPIRAL,
            "name": "x" * 180,
            "data": {"dataset": "inline", "X": [[0.5, 0.5]] * 200, "y": [0] * 200},
        }
        assert_error(c.post("/api/sessions", json=big), 413, "too_large")

        def chunks():  # no Content-Length: counted as it streams
            yield b'{"name": "' + b"x" * 800
            yield b"x" * 800 + b'"}'

        r = c.post("/api/sessions", content=chunks(), headers={"content-type": "application/json"})
        assert_error(r, 413, "too_large")


def test_limits_are_the_servers_settings(tmp_path):
    from app_helpers import BASE, make_settings
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = make_settings(tmp_path, max_layers=5, max_units=77)
    with TestClient(create_app(settings), base_url=BASE) as client:
        limits = client.get("/api/limits").json()
    assert limits["max_layers"] == 5 and limits["max_units"] == 77
    assert limits["max_params"] == settings.max_params


def test_the_page_preloads_its_modules_and_they_are_revalidated(client):
    """Every module under static/js is announced up front, and none can be served from
    a stale cache beside a newer main.js (no version in their URLs)."""
    import re
    from pathlib import Path

    page = client.get("/")
    assert page.status_code == 200
    preloaded = set(re.findall(r'rel="modulepreload" href="[^"]*/static/js/([\w./-]+)"', page.text))
    root = Path(__file__).parents[2] / "static" / "js"
    modules = {p.relative_to(root).as_posix() for p in root.rglob("*.js")}
    assert {"workspaces/images.js", "widgets/layer-card.js"} <= modules
    assert preloaded == modules - {"main.js"}
    for module in sorted(modules)[:3]:
        r = client.get(f"/static/js/{module}")
        assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
        etag = r.headers["etag"]
        assert (
            client.get(f"/static/js/{module}", headers={"if-none-match": etag}).status_code == 304
        )


def test_a_regular_install_carries_every_page_file():
    """pyproject's data-files (a non-editable install's copy of templates/ and static/)
    name every file the page is made of."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).parents[2]
    data_files = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "data-files"
    ]
    patterns = [p for globs in data_files.values() for p in globs]
    page_files = [
        str(p.relative_to(root))
        for folder in ("templates", "static")
        for p in (root / folder).rglob("*")
        if p.is_file()
    ]
    assert page_files and all(any(fnmatch.fnmatch(f, p) for p in patterns) for f in page_files)
    for target, globs in data_files.items():
        assert all(target.endswith(str(Path(g).parent)) for g in globs)


def test_the_server_runs_one_blas_thread_unless_told_otherwise():
    """app sets OPENBLAS_NUM_THREADS=1 before NumPy loads, unless the user set a BLAS
    thread count of their own."""
    import os
    import subprocess
    import sys

    code = "import app, os; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS")
    }
    run = lambda env: subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert run(clean) == "1"
    assert run({**clean, "OMP_NUM_THREADS": "2"}) == "None"
    assert run({**clean, "OPENBLAS_NUM_THREADS": "2"}) == "2"
