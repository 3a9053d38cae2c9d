"""The images workspace in a real browser: a CNN preset trains with its feature maps
and confusion matrix live, a drawn digit is classified, a confusion cell opens its
samples, a feature-map pixel shows its receptive field, the layer editor rebuilds the
session and puts the server's complaint on the card concerned, uploaded images train,
a bad upload names the problem; and a [dense, activation, dense] stack made over REST
opens, resumes, takes edits and trains on the 2-D page."""

import io

import numpy as np
from browser_helpers import api, new_session, open_playground, spec_when, wait_epoch, wait_status
from playwright.sync_api import expect

MAPS = "[data-testid=layer-card] [data-testid=feature-maps] canvas"


def open_images(page, server: str, hash_: str = "#preset=digits-cnn") -> str:
    """Load the page on an image set-up and wait for its first feature maps; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'images'"
        f" && document.querySelectorAll('{MAPS}').length > 0"
    )
    return page.evaluate("document.body.dataset.session")


def maps_picture(page) -> str:
    return page.locator(MAPS).first.evaluate("(c) => c.toDataURL()")


def confusion_content(page) -> str:
    return page.locator("[data-testid=confusion-matrix] table").get_attribute("data-content") or ""


def test_a_cnn_trains_with_its_feature_maps_and_confusion_matrix_live(page, server, problems):
    open_images(page, server)
    expect(page.get_by_test_id("workspace-images")).to_be_visible()
    expect(page.get_by_test_id("workspace-points")).to_be_hidden()
    expect(page.get_by_test_id("layer-card")).to_have_count(6)
    expect(page.locator("[data-testid=layer-card] .layer-shape").first).to_have_text("(8, 8, 8)")
    expect(page.locator("[data-testid=layer-card] .layer-params").first).to_have_text("80 params")
    page.wait_for_function(
        "document.querySelector('[data-testid=confusion-matrix] table')?.dataset.content"
    )
    expect(page.get_by_test_id("filters").first).to_be_visible()
    expect(page.locator("[data-testid=sample-grid] .image-cell")).to_have_count(48)
    silent = page.evaluate("""() => [...document.querySelectorAll(
          '[data-testid=workspace-images] button, [data-testid=workspace-images] select,'
          + ' [data-testid=workspace-images] input, [data-testid=workspace-images] canvas')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.closest('[title]')?.title || e.getAttribute('aria-label')))
        .map((e) => e.outerHTML.slice(0, 100))""")
    assert silent == []  # every control and picture says what it is
    maps, matrix = maps_picture(page), confusion_content(page)
    frames = page.evaluate("window.__imagesStats.featureFrames")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "([maps, matrix, frames]) => window.__imagesStats.featureFrames > frames + 10"
        f" && document.querySelector('{MAPS}').toDataURL() !== maps"
        " && document.querySelector('[data-testid=confusion-matrix] table').dataset.content !== matrix",
        arg=[maps, matrix, frames],
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    wait_epoch(page, 1)
    expect(page.locator("#loss-chart")).to_be_visible()
    assert problems == []


def test_a_drawn_digit_is_classified(page, server, problems):
    open_images(page, server, "#preset=digits-mlp")
    box = page.get_by_test_id("draw-canvas").bounding_box()
    x, y, w = box["x"], box["y"], box["width"]
    page.mouse.move(x + 0.5 * w, y + 0.15 * w)
    page.mouse.down()
    page.mouse.move(x + 0.5 * w, y + 0.85 * w, steps=8)
    page.mouse.up()
    page.wait_for_function(
        "document.querySelector('[data-testid=prediction] .probabilities').dataset.predicted"
    )
    prediction = page.get_by_test_id("prediction")
    expect(prediction.locator(".prob-row")).to_have_count(10)
    expect(prediction.locator(".prob-row.predicted")).to_have_count(1)
    assert page.evaluate("window.__imagesStats.lastDrawMs") > 0
    expect(page.get_by_test_id("chosen-caption")).to_contain_text("your drawing")
    page.get_by_test_id("draw-clear").click()
    page.wait_for_function(
        "!document.querySelector('[data-testid=prediction] .probabilities').dataset.predicted"
    )
    assert problems == []


def test_a_confusion_cell_opens_its_samples_and_a_map_pixel_its_receptive_field(
    page, server, problems
):
    open_images(page, server)
    page.wait_for_function(
        "document.querySelector('[data-testid=confusion-matrix] table')?.dataset.content"
    )
    cell = page.locator("[data-testid=confusion-matrix] td[data-cell]").filter(has_text="1").first
    truth = int(cell.get_attribute("data-cell").split(":")[0])
    cell.click()
    grid = page.get_by_test_id("cell-samples")
    grid.locator(".image-cell").first.wait_for()
    expect(grid).to_contain_text("True")
    sample = grid.locator(".image-cell").first
    index = sample.get_attribute("data-sample")
    sample.click()
    # the caption says what the maps shown are of (a snapshot of the old choice may come first)
    caption = page.get_by_test_id("chosen-caption")
    expect(caption).to_contain_text(f"test sample {index}:")
    expect(caption).to_contain_text(f"label {truth}")
    page.locator(MAPS).first.click(position={"x": 3, "y": 3})  # map 0, pixel (0, 0)
    expect(page.get_by_test_id("rf-sum")).to_contain_text("+ bias")
    expect(page.get_by_test_id("rf-box")).to_be_visible()
    expect(page.locator("[data-testid=receptive-field] td")).to_have_count(
        27
    )  # patch, kernel, products: 3×3 each
    assert problems == []


def test_the_layer_editor_rebuilds_and_shows_the_servers_error_on_its_card(page, server, problems):
    sid = open_images(page, server, "#preset=digits-mlp")
    expect(page.get_by_test_id("layer-card")).to_have_count(3)
    page.get_by_test_id("add-layer-type").select_option("dropout")
    page.get_by_test_id("add-layer-button").click()
    sid = new_session(page, sid)
    spec = spec_when(page, server, lambda s: len(s["model"]["layers"]) == 4)
    assert [layer["type"] for layer in spec["model"]["layers"]] == [
        "flatten",
        "dense",
        "dropout",
        "dense",
    ]
    page.locator("[data-testid=layer-card][data-index='2'] [data-testid=layer-up]").click()
    spec = spec_when(page, server, lambda s: s["model"]["layers"][1]["type"] == "dropout")
    page.locator("[data-testid=layer-card][data-index='2'] input[data-field=units]").fill("0")
    page.locator("[data-testid=layer-card][data-index='2'] input[data-field=units]").dispatch_event(
        "change"
    )
    error = page.locator("[data-testid=layer-card][data-index='2'] [data-testid=layer-error]")
    expect(error).to_contain_text("units")
    expect(page.locator("[data-testid=layer-card][data-index='2'] input.invalid")).to_have_count(1)
    page.locator("[data-testid=layer-card][data-index='2'] input[data-field=units]").fill("32")
    page.locator("[data-testid=layer-card][data-index='2'] input[data-field=units]").dispatch_event(
        "change"
    )
    page.wait_for_function("document.body.dataset.session")
    page.locator("[data-testid=layer-card][data-index='1'] [data-testid=layer-remove]").click()
    spec = spec_when(page, server, lambda s: len(s["model"]["layers"]) == 3)
    assert spec["model"]["layers"][1]["units"] == 32
    assert "layers=" in page.evaluate("location.hash")
    expect(page.locator("[data-testid=layer-error]:visible")).to_have_count(0)
    assert [p for p in problems if "status of 422" not in p] == []  # the refused stack's request


def npz_bytes(n: int = 60, side: int = 8, classes: int = 3) -> bytes:
    rng = np.random.default_rng(0)
    y = np.arange(n) % classes
    X = (rng.random((n, side, side)) * 60).astype(np.uint8)
    for k in range(n):  # each class a bright bar in its own place
        X[k, :, 2 * y[k] : 2 * y[k] + 2] = 255
    out = io.BytesIO()
    np.savez(out, X=X, y=y)
    return out.getvalue()


def test_uploaded_images_train_and_a_bad_file_is_named(page, server, problems, tmp_path):
    open_playground(page, server)
    page.locator("[data-dataset=images]").click()
    page.wait_for_function("document.body.dataset.workspace === 'images'")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"this is not a zip file")
    page.get_by_test_id("images-npz").set_input_files(str(bad))
    error = page.get_by_test_id("upload-error")
    expect(error).to_contain_text("bad.npz")
    assert "npz" in error.inner_text().replace("bad.npz", "")
    good = tmp_path / "bars.npz"
    good.write_bytes(npz_bytes())
    page.get_by_test_id("images-npz").set_input_files(str(good))
    page.wait_for_function(
        "document.body.dataset.session && document.querySelectorAll("
        "'[data-testid=sample-grid] .image-cell').length === 48"
    )
    expect(page.get_by_test_id("upload-error")).to_be_hidden()
    expect(page.get_by_test_id("upload-status")).to_contain_text("60 images of 8×8×1, 3 classes")
    expect(page.get_by_test_id("own-images")).to_contain_text("link")
    spec = api(server, f"/api/sessions/{page.evaluate('document.body.dataset.session')}")["spec"]
    assert spec["data"]["dataset"] == "inline" and spec["model"]["layers"][-1]["units"] == 3
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    assert [p for p in problems if "status of 422" not in p] == []  # the bad file's request


def test_a_dense_activation_dense_stack_opens_resumes_takes_edits_and_trains(
    page, server, problems
):
    layers = [
        {"type": "dense", "units": 4},
        {"type": "activation", "activation": "tanh"},
        {"type": "dense", "units": 1, "activation": "sigmoid"},
    ]
    made = api(
        server,
        "/api/sessions",
        "POST",
        {"data": {"dataset": "circle"}, "model": {"layers": layers}, "loss": "binary_crossentropy"},
    )
    page.goto(f"{server}/?session={made['id']}")
    page.wait_for_function(
        "(id) => document.body.dataset.session === id && document.querySelector("
        "'#boundary .heatmap-grid').style.visibility === 'visible'",
        arg=made["id"],
    )
    expect(page.get_by_test_id("neuron")).to_have_count(4)
    expect(page.get_by_test_id("output-node")).to_have_count(1)
    expect(page.get_by_test_id("layer-activation")).to_have_value("tanh")
    expect(page.locator("#network .layer-units")).to_contain_text("4 neurons + activation")
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    page.locator("[data-testid=add-neuron]").first.click()
    spec = spec_when(page, server, lambda s: s["model"]["layers"][0]["units"] == 5)
    assert [layer["type"] for layer in spec["model"]["layers"]] == ["dense", "activation", "dense"]
    assert spec["model"]["layers"][0]["activation"] == "linear"
    assert spec["model"]["layers"][1]["activation"] == "tanh"
    page.get_by_test_id("layer-activation").select_option("relu")
    spec = spec_when(page, server, lambda s: s["model"]["layers"][1]["activation"] == "relu")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=loss-chart]').dataset.points) > 3"
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    # and from the sessions list: the REST session resumes where it stopped (epoch 1)
    page.get_by_test_id("sessions-panel").get_by_role("button", name="Refresh").click()
    page.locator(f"li[data-session='{made['id']}'] [data-testid=resume-session]").click()
    page.wait_for_function("(id) => document.body.dataset.session === id", arg=made["id"])
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    expect(page.get_by_test_id("neuron")).to_have_count(4)
    expect(page.get_by_test_id("layer-activation")).to_have_value("tanh")
    assert problems == []
