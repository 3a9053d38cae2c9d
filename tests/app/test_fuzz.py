"""Property-based fuzz of the REST API: whatever a client sends, the answer is never a
5xx, and every error has the one body shape.

Two kinds of input: arbitrary JSON (mostly wrong), and specs mutated from a valid one
(mostly nearly right, which is where the engine gets reached). Bounded so CI stays fast.
"""

import copy

import pytest
from app_helpers import BASE, make_settings, spiral
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.main import create_app

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)

# paths in a valid spec that a mutation may replace
SPEC_PATHS = [
    ("seed",),
    ("dtype",),
    ("loss",),
    ("batch_size",),
    ("epochs",),
    ("data", "dataset"),
    ("data", "params", "n_samples"),
    ("data", "params", "noise"),
    ("data", "features"),
    ("data", "test_fraction"),
    ("model", "layers", 0, "units"),
    ("model", "layers", 0, "activation"),
    ("model", "layers", 1, "init"),
    ("model", "layers", 2, "units"),
    ("optimizer", "type"),
    ("optimizer", "lr"),
    ("regularization",),
]
# values that tend to reach deep code: edge numbers, names from other fields
EDGY = st.one_of(
    json_values,
    st.sampled_from(
        [
            0,
            -1,
            1,
            2**31,
            2**63,
            1e308,
            -1e-308,
            0.5,
            "float16",
            "softmax",
            "relu",
            "full",
            "spiral",
            "inline",
            "csv",
            "adam",
            [],
            {},
            [[0, 1]],
            {"type": "uniform"},
        ]
    ),
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(make_settings(tmp_path_factory.mktemp("fuzz"), max_sessions=8))
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def sid(client):
    spec = spiral()
    spec["data"]["params"]["n_samples"] = 60
    r = client.post("/api/sessions", json=spec)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def check(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"code", "message"} <= set(body["error"]), body
        assert body["error"]["message"], body


def mutate(spec: dict, path: tuple, value) -> dict:
    spec = copy.deepcopy(spec)
    node = spec
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return spec


@SETTINGS
@given(body=json_values)
def test_create_with_arbitrary_json_is_never_a_server_error(client, body):
    r = client.post("/api/sessions", json=body)
    check(r)
    if r.status_code == 201:
        client.delete(f"/api/sessions/{r.json()['id']}")


@SETTINGS
@given(path=st.sampled_from(SPEC_PATHS), value=EDGY)
def test_create_with_a_mutated_spec_is_never_a_server_error(client, path, value):
    spec = spiral()
    spec["data"]["params"]["n_samples"] = 40
    r = client.post("/api/sessions", json=mutate(spec, path, value))
    check(r)
    if r.status_code == 201:
        check(client.post(f"/api/sessions/{r.json()['id']}/step", json={"steps": 3}))
        client.delete(f"/api/sessions/{r.json()['id']}")


@SETTINGS
@given(endpoint=st.sampled_from(["step", "predict", "activations"]), body=EDGY)
def test_session_actions_with_arbitrary_json_are_never_server_errors(client, sid, endpoint, body):
    check(client.post(f"/api/sessions/{sid}/{endpoint}", json=body))


@SETTINGS
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                "optimizer": EDGY,
                "regularization": EDGY,
                "batch_size": EDGY,
                "epochs": EDGY,
                "shuffle": EDGY,
            },
        ),
    )
)
def test_patch_with_arbitrary_json_is_never_a_server_error(client, sid, body):
    check(client.patch(f"/api/sessions/{sid}", json=body))


@SETTINGS
@given(body=json_values)
def test_put_weights_with_arbitrary_json_is_never_a_server_error(client, sid, body):
    check(client.put(f"/api/sessions/{sid}/weights", json=body))


@SETTINGS
@given(
    resolution=st.one_of(st.integers(-5, 5000), st.text(max_size=6)),
    segment=st.text(alphabet="abcdef0123456789-_%.", max_size=40),
)
def test_odd_queries_and_ids_are_never_server_errors(client, sid, resolution, segment):
    check(client.get(f"/api/sessions/{sid}/boundary", params={"resolution": resolution}))
    check(client.get(f"/api/sessions/{segment}"))
    check(client.post(f"/api/sessions/{segment}/step", json={"steps": 1}))
