import warnings

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from app_helpers import BASE, make_settings, spiral
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture
def spiral_spec():
    return spiral()


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path)


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings), base_url=BASE) as c:
        yield c


@pytest.fixture
def session_id(client, spiral_spec):
    r = client.post("/api/sessions", json=spiral_spec)
    assert r.status_code == 201, r.text
    return r.json()["id"]
