"""Text and series sessions over the API: presets, their views, text streamed over the
websocket as it is written, .txt uploads, and dataset samples split in time."""

import base64

import pytest
from app_helpers import assert_error

from engine.presets import get_preset


def create(client, preset: str) -> str:
    r = client.post("/api/sessions", json=get_preset(preset)["spec"])
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_char_model_trains_and_lists_its_views(client):
    sid = create(client, "brackets-gru")
    summary = client.get(f"/api/sessions/{sid}").json()
    assert summary["modality"] == "text"
    layers = summary["spec"]["model"]["layers"]
    assert layers[0]["vocab_size"] == 7 and layers[-1]["units"] == 7  # left to the data
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 3})
    assert r.status_code == 200, r.text
    names = {v["name"] for v in client.get(f"/api/sessions/{sid}/views").json()}
    assert {"sample_text", "next_char", "corpus", "hidden_states", "gates"} <= names
    assert {"gradient_norms"} <= names and "forecast" not in names
    history = client.get(f"/api/sessions/{sid}/history").json()
    assert len(history["step"]["grad_norm"]) == 3


def test_sample_text_is_seeded_and_streams_in_pieces_that_join_to_the_view(client):
    sid = create(client, "brackets-gru")
    params = {"length": 300, "seed": 7, "temperature": 1.5, "prime": "(["}
    whole = client.post(f"/api/sessions/{sid}/views/sample_text", json=params).json()
    assert len(whole["text"]) == 300 and len(whole["probabilities"]) == 300
    again = client.post(f"/api/sessions/{sid}/views/sample_text", json=params).json()
    assert again["text"] == whole["text"]
    with client.websocket_connect(f"ws://localhost/api/sessions/{sid}/stream") as ws:
        ws.send_json({"type": "sample", "params": params, "id": "a"})
        pieces = []
        while True:
            frame = ws.receive_json()
            if frame["type"] != "sample_text":
                continue
            assert frame["id"] == "a" and frame["prime"] == "(["
            assert len(frame["probabilities"]) == len(frame["text"]) == len(frame["top"])
            pieces.append(frame["text"])
            if frame["done"]:
                break
        ws.send_json({"type": "sample", "params": {"prime": "x"}, "id": "b"})
        frame = ws.receive_json()
        while frame["type"] != "error":
            frame = ws.receive_json()
        ws.send_json({"type": "sample", "params": {"length": 5}})
        first = ws.receive_json()
        while first["type"] != "sample_text":
            first = ws.receive_json()
    assert "".join(pieces) == whole["text"]
    assert frame["path"] == "prime" and frame["id"] == "b"  # the request it answers
    default = client.post(f"/api/sessions/{sid}/views/sample_text", json={"length": 5}).json()
    assert first["prime"] == default["prime"]  # none given: the training text's first character


def test_a_prime_outside_the_vocabulary_is_a_422_naming_it(client):
    sid = create(client, "brackets-gru")
    r = client.post(f"/api/sessions/{sid}/views/sample_text", json={"prime": "hello"})
    assert_error(r, 422, path="prime")
    r = client.post(f"/api/sessions/{sid}/views/sample_text", json={"temperature": 0})
    assert_error(r, 422, path="temperature")


def test_a_series_session_forecasts_and_views_its_states(client):
    sid = create(client, "airline-forecast")
    client.post(f"/api/sessions/{sid}/step", json={"steps": 5})
    f = client.get(f"/api/sessions/{sid}/views/forecast").json()
    assert len(f["values"]) == 144 and f["split"] == 115 and f["season"] == 12
    assert len(f["free_run"]["y"]) == 144 - 115
    assert f["mase"] > 0 and f["naive_mase"] > 0
    states = client.get(f"/api/sessions/{sid}/views/hidden_states?sample=2").json()
    assert states["layers"][0]["states"]["shape"] == [24, 32]
    assert len(states["values"]) == 24 and states["values"][0] >= 100  # passengers


def test_an_uploaded_text_answers_a_data_section_that_trains(client):
    text = "the quick brown fox jumps over the lazy dog. " * 200
    r = client.post("/api/datasets/text", json={"file": base64.b64encode(text.encode()).decode()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["info"]["chars"] == len(text) and " " in body["info"]["vocab"]
    spec = get_preset("char-lstm")["spec"]
    spec["data"] = body["data"]
    spec["model"]["layers"][1]["units"] = 16
    r = client.post("/api/sessions", json=spec)
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    r = client.post(f"/api/sessions/{sid}/step", json={"steps": 2})
    assert r.json()["metrics"]["step"] == 2


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00", "NUL"), (b"   \n\t ", "whitespace"), (b"ab\xff\xfe", "UTF-8")],
)
def test_a_binary_or_blank_upload_is_a_422_that_says_why(client, raw, fragment):
    r = client.post("/api/datasets/text", json={"file": base64.b64encode(raw).decode()})
    error = assert_error(r, 422, "invalid_file", "file")
    assert fragment.lower() in error["message"].lower()


@pytest.mark.parametrize(
    ("name", "key"),
    [("python-source", "text"), ("sunspots", "values"), ("series-anomalies", "values")],
)
def test_dataset_samples_of_text_and_series(client, name, key):
    r = client.get(f"/api/datasets/{name}/sample")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body[key] and body["modality"] in ("text", "sequence")


def test_text_data_with_a_wrong_loss_or_too_few_output_units_is_refused(client):
    spec = get_preset("brackets-gru")["spec"]
    spec["loss"] = "mse"
    assert_error(client.post("/api/sessions", json=spec), 422, path="loss")
    spec = get_preset("brackets-gru")["spec"]
    spec["model"]["layers"][-1]["units"] = 3
    assert_error(client.post("/api/sessions", json=spec), 422, path="model.layers[2].units")
