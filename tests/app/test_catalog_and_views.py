"""GET /api/catalog is the engine's declarations; views are listed per session and read
by name, over REST and in websocket snapshots; limits refuse what would not fit."""

import base64

import numpy as np
import pytest
from app_helpers import assert_error

from engine.layers import LAYERS

MLP_DIGITS = {
    "seed": 3,
    "dtype": "float32",
    "data": {"dataset": "digits", "params": {"n_samples": 200}},
    "model": {
        "layers": [{"type": "flatten"}, {"type": "dense", "units": 10, "activation": "softmax"}]
    },
    "loss": "categorical_crossentropy",
    "optimizer": {"type": "adam", "lr": 0.01},
}


def decode(envelope: dict) -> np.ndarray:
    assert envelope["dtype"] == "float32"
    raw = base64.b64decode(envelope["data"])
    return np.frombuffer(raw, "<f4").reshape(envelope["shape"])


def test_catalog_lists_every_layer_with_its_declared_fields(client):
    catalog = client.get("/api/catalog").json()
    by_type = {layer["type"]: layer for layer in catalog["layers"]}
    assert set(by_type) == set(LAYERS)
    for kind, cls in LAYERS.items():
        assert [f["name"] for f in by_type[kind]["fields"]] == [f.name for f in cls.fields]
    units = next(f for f in by_type["dense"]["fields"] if f["name"] == "units")
    # the output layer of text or series data may leave units to the data
    assert not units["required"] and units["default"] is None
    assert units["kind"] == "int" and units["low"] == 1
    assert {"adam", "sgd"} <= set(catalog["optimizers"])
    assert catalog["optimizers"]["adam"]["lr"]["default"] == 1e-3
    assert {"digits", "shapes", "spiral"} <= {d["name"] for d in catalog["datasets"]}
    assert {"feature_maps", "confusion", "boundary"} <= {v["name"] for v in catalog["views"]}
    assert "supervised" in catalog["objectives"]


def test_openapi_documents_every_layer_kind(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    for kind in LAYERS:
        name = "".join(part.capitalize() for part in kind.split("_")) + "Layer"
        assert name in schema, name


@pytest.fixture
def digits_id(client):
    r = client.post("/api/sessions", json=MLP_DIGITS)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["modality"] == "image"
    assert [row["output_shape"] for row in body["layers"]] == [[64], [10]]
    return body["id"]


def test_an_image_session_lists_image_views_and_a_points_session_its_own(
    client, digits_id, session_id
):
    names = {v["name"] for v in client.get(f"/api/sessions/{digits_id}/views").json()}
    assert {"samples", "feature_maps", "confusion", "misclassified"} <= names
    assert "boundary" not in names and "filters" not in names  # no convolution here
    names = {v["name"] for v in client.get(f"/api/sessions/{session_id}/views").json()}
    assert names == {"boundary", "activations"}


def test_feature_maps_of_a_sample_and_of_a_posted_image_agree(client, digits_id):
    by_sample = client.get(f"/api/sessions/{digits_id}/views/feature_maps?sample=5").json()
    image = decode(by_sample["input"])
    assert image.shape == (8, 8, 1)
    posted = client.post(
        f"/api/sessions/{digits_id}/views/feature_maps", json={"image": image[..., 0].tolist()}
    ).json()
    np.testing.assert_allclose(posted["probabilities"], by_sample["probabilities"], rtol=1e-5)
    assert posted["sample"] is None and by_sample["sample"] == 5
    assert abs(sum(by_sample["probabilities"]) - 1) < 1e-5
    big = np.kron(image[..., 0], np.ones((4, 4)))  # 32×32, averaged back down to 8×8
    scaled = client.post(
        f"/api/sessions/{digits_id}/views/feature_maps", json={"image": big.tolist()}
    ).json()
    np.testing.assert_allclose(scaled["probabilities"], by_sample["probabilities"], rtol=1e-5)


def test_confusion_counts_every_test_sample_and_cells_hold_their_samples(client, digits_id):
    client.post(f"/api/sessions/{digits_id}/step", json={"epochs": 3})
    c = client.get(f"/api/sessions/{digits_id}/views/confusion").json()
    matrix = np.array(c["matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 40  # 20% of 200
    for i in range(10):
        for j in range(10):
            assert len(c["samples"][i][j]) == min(matrix[i, j], 50)
    m = client.get(f"/api/sessions/{digits_id}/views/misclassified?limit=5").json()
    assert m["total"] == matrix.sum() - np.trace(matrix)
    assert len(m["indices"]) == min(5, m["total"])
    assert all(t != p for t, p in zip(m["labels"], m["predicted"], strict=True))


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("sample=100000", "sample"),
        ("split=validation", "split"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_view_parameter_is_a_422_naming_it(client, digits_id, query, path):
    r = client.get(f"/api/sessions/{digits_id}/views/feature_maps?{query}")
    assert_error(r, 422, "invalid_view", path)


def test_unknown_and_unfitting_views(client, digits_id):
    assert_error(client.get(f"/api/sessions/{digits_id}/views/nope"), 404, "view_not_found")
    assert_error(client.get(f"/api/sessions/{digits_id}/views/boundary"), 422, "invalid_view")
    r = client.post(
        f"/api/sessions/{digits_id}/views/feature_maps", json={"image": [[0.5] * 7] * 7}
    )
    assert_error(r, 422, "invalid_view", "image")


def test_a_websocket_snapshot_carries_the_views_asked_for(client, digits_id):
    with client.websocket_connect(f"ws://localhost/api/sessions/{digits_id}/stream") as ws:
        ws.send_json(
            {
                "type": "snapshot",
                "weights": False,
                "views": {"feature_maps": {"sample": 2}, "confusion": {}, "feature_map": {}},
            }
        )
        frame = ws.receive_json()
        while frame["type"] != "snapshot":
            frame = ws.receive_json()
    assert set(frame["views"]) == {"feature_maps", "confusion"}
    assert frame["views"]["feature_maps"]["sample"] == 2
    assert "feature_map" in frame["view_errors"]


def test_layer_weights_by_name_round_trip(client, digits_id):
    w = client.get(f"/api/sessions/{digits_id}/weights/dense_1").json()
    assert np.array(w["W"]).shape == (64, 10)
    w["b"] = [0.5] * 10
    r = client.put(f"/api/sessions/{digits_id}/weights/dense_1", json=w)
    assert r.status_code == 200, r.text
    assert client.get(f"/api/sessions/{digits_id}/weights/1").json()["b"] == [0.5] * 10
    assert_error(client.get(f"/api/sessions/{digits_id}/weights/conv9"), 404)
    w["b"] = [0.5] * 9
    assert_error(client.put(f"/api/sessions/{digits_id}/weights/dense_1", json=w), 422)


def test_images_through_dense_layers_alone_are_refused_with_the_fix(client):
    spec = {
        **MLP_DIGITS,
        "model": {"layers": [{"type": "dense", "units": 10, "activation": "softmax"}]},
    }
    error = assert_error(client.post("/api/sessions", json=spec), 422)
    assert "flatten" in error["message"]


def test_a_step_that_would_exhaust_memory_is_refused_before_anything_is_built(client):
    spec = {
        **MLP_DIGITS,
        "data": {"dataset": "shapes", "params": {"size": 32}},
        "batch_size": "full",
        "model": {
            "layers": [
                {"type": "conv2d", "filters": 64, "kernel_size": 3, "padding": "same"},
                {"type": "conv2d", "filters": 64, "kernel_size": 3, "padding": "same"},
                {"type": "global_avgpool2d"},
                {"type": "dense", "units": 4, "activation": "softmax"},
            ]
        },
    }
    error = assert_error(client.post("/api/sessions", json=spec), 413, "limit_exceeded")
    assert "max-step-bytes" in error["message"]


CNN = {
    "seed": 4,
    "dtype": "float32",
    "data": {"dataset": "shapes", "params": {"n_samples": 60, "size": 8}},
    "model": {
        "layers": [
            {
                "type": "conv2d",
                "filters": 3,
                "kernel_size": 3,
                "padding": "same",
                "activation": "relu",
            },
            {"type": "batchnorm"},
            {"type": "maxpool2d"},
            {"type": "flatten"},
            {"type": "dropout", "rate": 0.3},
            {"type": "dense", "units": 4, "activation": "softmax"},
        ]
    },
    "loss": "categorical_crossentropy",
    "optimizer": {"type": "adam", "lr": 0.01},
    "batch_size": 8,
}


def test_a_cnn_survives_a_restart_and_an_archive_round_trip_exactly(tmp_path):
    from app_helpers import BASE, make_settings
    from fastapi.testclient import TestClient

    from app.main import create_app

    settings = make_settings(tmp_path / "one")
    with TestClient(create_app(settings), base_url=BASE) as c:
        sid = c.post("/api/sessions", json=CNN).json()["id"]
        c.post(f"/api/sessions/{sid}/step", json={"steps": 9})  # mid-epoch
        blob = c.get(f"/api/sessions/{sid}/export").content
        expected = c.post(f"/api/sessions/{sid}/step", json={"steps": 7}).json()["metrics"]
        weights = c.get(f"/api/sessions/{sid}/weights/batchnorm_1").json()
    with TestClient(create_app(settings), base_url=BASE) as c:  # the same data folder
        assert c.get(f"/api/sessions/{sid}/weights/batchnorm_1").json() == weights
    with TestClient(create_app(make_settings(tmp_path / "two")), base_url=BASE) as other:
        r = other.post(
            "/api/sessions/import", content=blob, headers={"content-type": "application/zip"}
        )
        assert r.status_code == 201, r.text
        new = r.json()["id"]
        got = other.post(f"/api/sessions/{new}/step", json={"steps": 7}).json()["metrics"]
        assert got == expected
        assert other.get(f"/api/sessions/{new}/weights/batchnorm_1").json() == weights


def test_predict_takes_images_and_names_a_wrong_shape(client, digits_id):
    image = np.zeros((8, 8)).tolist()
    with_channel = client.post(
        f"/api/sessions/{digits_id}/predict", json={"inputs": [[[[0.0]] * 8] * 8]}
    ).json()["outputs"]
    without = client.post(
        f"/api/sessions/{digits_id}/predict", json={"inputs": [image, image]}
    ).json()["outputs"]
    assert len(without) == 2 and without[0] == with_channel[0]
    r = client.post(f"/api/sessions/{digits_id}/predict", json={"inputs": [[[0.0] * 8] * 7]})
    error = assert_error(r, 422, "invalid_inputs", "inputs")
    assert "(8, 8, 1)" in error["message"]
    data = client.get(f"/api/sessions/{digits_id}/data").json()
    assert decode(data["train"]["points"]).shape == (160, 8, 8, 1)


@pytest.mark.parametrize("name", ["feature_maps", "receptive_field", "samples", "confusion"])
@pytest.mark.parametrize(
    "body",
    [
        {"image": "abc"},
        {"image": {"a": 1}},
        {"image": [[1, 2], [3]]},
        {"image": [[None] * 8] * 8},
        {"image": [[[[[0.5]]]]]},
        {"image": [[0.5] * 64] * 64},
        {"image": [[0.5] * 8000] * 8},
        {"sample": -1},
        {"sample": "x"},
        {"sample": 1.5},
        {"split": 3},
        {"layer": [1]},
        {"layer": "dense_1", "y": 0, "x": 0},
        {"layer": 99, "y": 0, "x": 0},
        {"count": 10**9},
        {"start": -5},
        {"limit": 0},
        [],
        "text",
        7,
    ],
)
def test_odd_view_bodies_get_a_4xx_never_a_500(client, digits_id, name, body):
    r = client.post(f"/api/sessions/{digits_id}/views/{name}", json=body)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert_error(r, r.status_code)
