"""GANs over the server: create, step D, step G or a round over REST and the
websocket, the weights of both networks by layer, live changes, views, export."""

import numpy as np
import pytest
from app_helpers import assert_error, spiral

from engine.presets import get_preset

HILLS = {
    "objective": "adversarial",
    "seed": 2,
    "data": {"dataset": "gan-gaussians", "params": {"n_samples": 300}},
    "generator": {"layers": [{"units": 8, "activation": "relu"}, {"units": 2}]},
    "discriminator": {
        "layers": [{"units": 8, "activation": "relu"}, {"units": 1, "activation": "sigmoid"}]
    },
    "batch_size": 100,
}
NAMES = [
    "generator.dense_1",
    "generator.dense_2",
    "discriminator.dense_1",
    "discriminator.dense_2",
]


@pytest.fixture
def gan_id(client):
    r = client.post("/api/sessions", json=HILLS)
    assert r.status_code == 201, r.text
    body = r.json()
    assert [row["name"] for row in body["layers"]] == NAMES
    assert body["modality"] == "points" and body["steps_per_epoch"] == 3
    return body["id"]


def weights(client, sid):
    layers = client.get(f"/api/sessions/{sid}/weights").json()
    return [np.array(layer["W"]) for layer in layers]


def changed(before, after):
    return [not np.array_equal(a, b) for a, b in zip(before, after)]


@pytest.mark.parametrize(
    ("part", "moved"),
    [("d", [False, False, True, True]), ("g", [True, True, False, False]), (None, [True] * 4)],
)
def test_rest_steps_one_network_or_a_round(client, gan_id, part, moved):
    before = weights(client, gan_id)
    body = {"steps": 2} if part is None else {"steps": 2, "part": part}
    r = client.post(f"/api/sessions/{gan_id}/step", json=body)
    assert r.status_code == 200, r.text
    metrics = r.json()["metrics"]
    assert metrics["step"] == 2 and metrics["g_loss"] is not None
    assert (metrics["d_loss"] is None) == (part == "g")
    assert changed(before, weights(client, gan_id)) == moved
    summary = client.get(f"/api/sessions/{gan_id}").json()["metrics"]
    assert summary["g_loss"] == metrics["g_loss"]


def test_bad_parts_are_refused_naming_part(client, gan_id, session_id):
    for sid, body in (
        (gan_id, {"steps": 1, "part": "both"}),
        (gan_id, {"epochs": 1, "part": "g"}),
        (session_id, {"steps": 1, "part": "d"}),
    ):
        assert_error(client.post(f"/api/sessions/{sid}/step", json=body), 422, path="part")


def test_websocket_steps_a_part_and_sets_gan_fields(client, gan_id):
    before = weights(client, gan_id)
    with client.websocket_connect(f"ws://localhost/api/sessions/{gan_id}/stream") as ws:
        ws.send_json({"type": "step", "steps": 3, "part": "d"})
        for _ in range(50):
            frame = ws.receive_json()
            if frame["type"] == "metrics" and frame["step"] == 3:
                break
        else:
            raise AssertionError("no metrics frame for step 3")
        assert frame["d_loss"] is not None and frame["epoch"] == 1
        ws.send_json({"type": "step", "part": "sideways"})
        error = ws.receive_json()
        while error["type"] != "error":
            error = ws.receive_json()
        assert error["path"] == "step.part"  # the message type, then its field
        ws.send_json({"type": "set", "gan_loss": "least_squares", "g_optimizer": {"lr": 0.02}})
        status = ws.receive_json()
        while status["type"] != "status":
            status = ws.receive_json()
        assert status["spec"]["gan_loss"] == "least_squares"
        assert status["spec"]["g_optimizer"]["lr"] == 0.02
    assert changed(before, weights(client, gan_id)) == [False, False, True, True]


def test_weights_by_layer_reach_both_networks(client, gan_id):
    url = f"/api/sessions/{gan_id}/weights"
    layer = client.get(f"{url}/discriminator.dense_2").json()
    assert np.array(layer["W"]).shape == (8, 1)
    assert client.get(f"{url}/3").json() == layer
    r = client.put(f"{url}/discriminator.dense_2", json={"W": [[0.0]] * 8, "b": [0.5]})
    assert r.status_code == 200, r.text
    assert client.get(f"{url}/discriminator.dense_2").json()["b"] == [0.5]
    error = assert_error(client.get(f"{url}/dense_1"), 404, "layer_not_found")
    assert "generator.dense_1" in error["message"]
    full = client.get(url).json()
    assert client.put(url, json=full).status_code == 200
    assert_error(client.put(url, json=full[:2]), 422, path="weights")


def test_gan_views_boundary_and_predict(client, gan_id):
    names = {v["name"] for v in client.get(f"/api/sessions/{gan_id}/views").json()}
    assert names == {"gan_plane", "interpolate"}
    plane = client.get(f"/api/sessions/{gan_id}/views/gan_plane?resolution=6&fake=10").json()
    assert plane["gradients"]["shape"] == [10, 2]  # arrays of 2-D and more: envelopes
    assert plane["discriminator"]["output"]["shape"] == [6, 6]
    assert len(plane["d_fake"]) == 10 and len(plane["discriminator"]["x"]) == 6
    assert_error(client.get(f"/api/sessions/{gan_id}/boundary"), 422, path="resolution")
    out = client.post(f"/api/sessions/{gan_id}/predict", json={"inputs": [[0.1, 0.2]] * 3})
    assert np.array(out.json()["outputs"]).shape == (3, 2)
    assert_error(
        client.post(f"/api/sessions/{gan_id}/predict", json={"inputs": [[0.1]]}), 422, path="inputs"
    )


def test_gan_specs_are_checked_by_field(client):
    bad = {**HILLS, "generator": {"layers": [{"units": 3}]}}
    assert_error(client.post("/api/sessions", json=bad), 422, path="generator.layers")
    bad = {**HILLS, "noise": {"dim": 0}}
    assert_error(client.post("/api/sessions", json=bad), 422, path="noise.dim")
    assert_error(client.post("/api/sessions", json={**HILLS, "model": HILLS["generator"]}), 422)
    wide = {**HILLS, "generator": {"layers": [{"units": 100_000}, {"units": 2}]}}
    assert_error(client.post("/api/sessions", json=wide), 422, path="generator.layers[0].units")
    supervised = {**spiral(), "gan_loss": "minimax"}
    assert_error(client.post("/api/sessions", json=supervised), 422, path="gan_loss")


def test_a_gan_survives_export_and_import(client, gan_id):
    client.post(f"/api/sessions/{gan_id}/step", json={"steps": 4})
    client.post(f"/api/sessions/{gan_id}/step", json={"steps": 1, "part": "d"})
    blob = client.get(f"/api/sessions/{gan_id}/export").content
    r = client.post(
        "/api/sessions/import", content=blob, headers={"Content-Type": "application/zip"}
    )
    assert r.status_code == 201, r.text
    copy_id = r.json()["id"]
    assert r.json()["step"] == 5
    a, b = (
        client.post(f"/api/sessions/{sid}/step", json={"steps": 3, "part": "g"}).json()
        for sid in (gan_id, copy_id)
    )
    assert a["metrics"] == b["metrics"]
    assert client.get(f"/api/sessions/{gan_id}/weights").json() == (
        client.get(f"/api/sessions/{copy_id}/weights").json()
    )
    history = client.get(f"/api/sessions/{gan_id}/history").json()
    assert history == client.get(f"/api/sessions/{copy_id}/history").json()
    assert set(history["step"]) == {"x", "stride", "d_loss", "g_loss", "d_real", "d_fake"}


@pytest.mark.parametrize("name", ["gan-lab", "gan-digits"])
def test_the_gan_presets_make_sessions(client, name):
    r = client.post("/api/sessions", json=get_preset(name)["spec"])
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert client.post(f"/api/sessions/{sid}/step", json={"steps": 2}).status_code == 200
    if name == "gan-digits":
        grid = client.get(f"/api/sessions/{sid}/views/gan_samples?rows=2&cols=2").json()
        assert grid["images"]["shape"] == [4, 8, 8, 1] and len(grid["d_output"]) == 4
