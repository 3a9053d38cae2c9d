"""The page's second slice in a real browser: losses before training, your own data
(points clicked onto the plane, a CSV file), the loss / optimizer / initializer /
per-layer activation choices and multi-class data, save / load / resume, and editing
one weight."""

import time
import urllib.error

import pytest
from browser_helpers import (
    api,
    counter,
    new_session,
    open_playground,
    spec_when,
    wait_epoch,
    wait_numbers,
    wait_status,
)
from playwright.sync_api import expect

GOOD_CSV = (
    "a,b,cls\n"
    + "\n".join(f"{x},{y},{int(x * y > 0)}" for x in (-3, -1.5, 1, 2.5) for y in (-2.5, -1, 1.5, 3))
    + "\n"
)
BAD_CSV = "x1,x2,label\n1,2,0\n3,abc,1\n"


def losses(page) -> tuple[str, str]:
    return page.locator("#train-loss").inner_text(), page.locator("#test-loss").inner_text()


def test_losses_are_shown_at_epoch_0_and_after_reset(page, server, problems):
    sid = open_playground(page, server)
    page.wait_for_function("document.querySelector('#train-loss').textContent !== '–'")
    train, test = losses(page)
    measured = api(server, f"/api/sessions/{sid}/metrics?evaluate=true")
    assert float(train) == pytest.approx(measured["train_loss"], abs=6e-4)
    assert float(test) == pytest.approx(measured["test_loss"], abs=6e-4)
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,000")
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    page.get_by_test_id("reset").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,000'"
    )
    page.wait_for_function(f"document.querySelector('#train-loss').textContent === '{train}'")
    assert problems == []


def test_points_clicked_onto_the_plane_train_a_session(page, server, problems):
    open_playground(page, server)
    page.locator("[data-dataset=inline]").click()
    page.wait_for_function("!document.body.dataset.session")
    plane = page.locator("#boundary .heatmap")
    box = plane.bounding_box()
    clicks = [(0.2, 0.2, "left"), (0.25, 0.3, "left"), (0.8, 0.8, "right"), (0.75, 0.7, "right")]
    for fx, fy, button in clicks:
        plane.click(position={"x": box["width"] * fx, "y": box["height"] * fy}, button=button)
    page.locator("[data-testid=class-pick][data-class='0']").click()
    plane.click(position={"x": box["width"] * 0.85, "y": box["height"] * 0.2})
    spec = spec_when(
        page, server, lambda s: s["data"]["dataset"] == "inline" and len(s["data"]["X"]) == 5
    )
    assert [row[0] for row in spec["data"]["y"]] == [1, 1, 0, 0, 0]
    x, y = spec["data"]["X"][0]
    assert x == pytest.approx(-6 + 12 * 0.2, abs=0.1) and y == pytest.approx(6 - 12 * 0.2, abs=0.1)
    assert spec["data"]["view"] == [-6, 6]  # the plane stays put, not zoomed to the points
    page.wait_for_function(
        "document.querySelector('#boundary .heatmap-grid').style.visibility === 'visible'"
    )
    plane.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.9})
    spec = spec_when(page, server, lambda s: len(s["data"]["X"]) == 6)
    assert spec["data"]["X"][5] == pytest.approx([0, -4.8], abs=0.1)
    assert "points=" in page.url
    page.get_by_test_id("play").click()
    wait_epoch(page, 21)
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    page.get_by_test_id("clear-points").click()
    page.wait_for_function("!document.body.dataset.session")
    expect(page.get_by_test_id("own-data")).to_contain_text("No points yet")
    assert problems == []


def test_a_csv_file_trains_and_a_bad_one_names_line_and_column(page, server, problems, tmp_path):
    open_playground(page, server)
    page.locator("[data-dataset=csv]").click()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_CSV)
    bad.write_text(BAD_CSV)
    page.get_by_test_id("csv-input").set_input_files(str(good))
    spec = spec_when(page, server, lambda s: s["data"]["dataset"] == "csv")
    assert spec["data"]["targets"] == ["cls"] and spec["data"]["csv"] == GOOD_CSV
    expect(page.get_by_test_id("csv-target")).to_have_value("cls")
    labels = page.locator("#network .node-label")
    expect(labels).to_have_count(9)
    assert labels.all_inner_texts()[:5] == [
        "a",
        "b",
        "a²",
        "b²",
        "a·b",
    ]  # the file's columns name the features
    page.wait_for_function(
        "document.querySelector('#boundary .heatmap-grid').style.visibility === 'visible'"
    )
    page.get_by_test_id("csv-input").set_input_files(str(bad))
    banner = page.locator("#banner")
    expect(banner).to_contain_text("line 3")
    expect(banner).to_contain_text("'x2'")
    expect(banner).to_contain_text("abc")
    page.wait_for_function("!document.body.dataset.session")  # no stale session behind the error
    expect(page.locator("#weights-panel canvas")).to_have_count(0)
    # the browser itself logs the refused request; nothing else went wrong
    assert [p for p in problems if "status of 422" not in p] == []


def test_a_csv_file_sets_the_problem_from_its_target_column(page, server, problems, tmp_path):
    """Class indices 0, 1, 2 make three classes (softmax, cross-entropy); a column of
    other numbers makes a regression; the problem select can still say otherwise."""
    open_playground(page, server)
    page.locator("[data-dataset=csv]").click()
    three = tmp_path / "three.csv"
    three.write_text(
        "a,b,c,size,kind\n"
        + "\n".join(
            f"{k + 0.1 * i},{i % 5},{k * 2 - i % 3},{0.5 * i + k},{k}"
            for i in range(12)
            for k in range(3)
        )
        + "\n"
    )
    page.get_by_test_id("csv-input").set_input_files(str(three))
    spec = spec_when(page, server, lambda s: s["data"]["dataset"] == "csv")
    assert spec["model"]["layers"][-1]["units"] == 3
    assert spec["model"]["layers"][-1]["activation"] == "softmax"
    assert spec["loss"] == "categorical_crossentropy"
    expect(page.locator("#problem")).to_have_value("classification")
    page.get_by_test_id("csv-target").select_option("size")
    spec = spec_when(page, server, lambda s: s["data"]["targets"] == ["size"])
    assert spec["data"]["task"] == "regression"
    assert spec["model"]["layers"][-1] == {
        **spec["model"]["layers"][-1],
        "units": 1,
        "activation": "linear",
    }
    expect(page.locator("#problem")).to_have_value("regression")
    page.get_by_test_id("play").click()
    wait_epoch(page, 1)
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    assert problems == []


def test_a_link_carries_the_csv_file_and_its_target(page, server, problems, browser, tmp_path):
    open_playground(page, server)
    page.locator("[data-dataset=csv]").click()
    good = tmp_path / "good.csv"
    two_targets = "".join(
        f"{row},{'flip' if i == 0 else 1 - int(row[-1])}\n"
        for i, row in enumerate(GOOD_CSV.splitlines())
    )
    good.write_text(two_targets)
    page.get_by_test_id("csv-input").set_input_files(str(good))
    spec_when(page, server, lambda s: s["data"]["dataset"] == "csv")
    page.get_by_test_id("csv-target").select_option("cls")
    spec = spec_when(page, server, lambda s: s["data"].get("targets") == ["cls"])
    url = page.url
    assert "csv=" in url and "csvTarget=cls" in url
    other = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        other.goto(f"{server}/{url[url.index('#') :]}")
        other.wait_for_function("document.body.dataset.session")
        spec2 = spec_when(other, server, lambda s: s["data"]["dataset"] == "csv")
        assert spec2["data"] == spec["data"]
        assert spec2["data"]["csv"] == two_targets
        expect(other.get_by_test_id("csv-target")).to_have_value("cls")
        expect(other.get_by_test_id("own-data")).to_contain_text("good.csv")
        other.goto(f"{server}/#dataset=csv&csv=garbled!")
        expect(other.locator("#banner")).to_contain_text("CSV file of this link")
        expect(other.locator("[data-dataset=circle]")).to_have_attribute("aria-checked", "true")
    finally:
        other.close()
    assert problems == []


def test_training_choices_reach_the_spec_and_the_url(page, server, problems, browser):
    sid = open_playground(page, server)
    page.get_by_test_id("loss-select").select_option("mse")
    page.get_by_test_id("init-select").select_option("he_normal")
    page.locator("[data-testid=layer-activation]").nth(1).select_option("relu")
    spec = spec_when(
        page,
        server,
        lambda s: (
            s["loss"] == "mse"
            and s["model"]["layers"][1]["activation"] == "relu"
            and s["model"]["layers"][0]["init"]["type"] == "he_normal"
        ),
    )
    assert [layer["activation"] for layer in spec["model"]["layers"]] == ["tanh", "relu", "sigmoid"]
    sid = page.evaluate("document.body.dataset.session")
    page.get_by_test_id("momentum-select").select_option("0.9")
    spec = spec_when(page, server, lambda s: s["optimizer"].get("momentum") == 0.9)
    assert page.evaluate("document.body.dataset.session") == sid  # a live change
    page.locator("#optimizer").select_option("adam")
    page.get_by_test_id("beta1-select").select_option("0.8")
    spec = spec_when(
        page, server, lambda s: s["optimizer"]["type"] == "adam" and s["optimizer"]["beta1"] == 0.8
    )
    expect(page.get_by_test_id("momentum-select")).to_be_hidden()
    other = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        sid2 = open_playground(other, server, page.url[page.url.index("#") :])
        spec2 = api(server, f"/api/sessions/{sid2}")["spec"]
        for key in ("loss", "model", "optimizer"):
            assert spec2[key] == spec[key], key
        expect(other.locator("[data-testid=layer-activation]").nth(1)).to_have_value("relu")
    finally:
        other.close()
    assert problems == []


def test_a_three_arm_spiral_gets_softmax_and_a_colour_per_class(page, server, problems):
    sid = open_playground(page, server)
    page.locator("[data-dataset=spiral]").click()
    sid = new_session(page, sid)
    expect(page.get_by_test_id("classes")).to_be_visible()
    page.get_by_test_id("classes").fill("3")
    page.get_by_test_id("classes").dispatch_event("change")
    spec = spec_when(page, server, lambda s: s["data"]["params"].get("classes") == 3)
    out = spec["model"]["layers"][-1]
    assert out["units"] == 3 and out["activation"] == "softmax"
    assert spec["loss"] == "categorical_crossentropy"
    expect(page.get_by_test_id("output-node")).to_have_count(3)
    # a colour per class on the plane, once the new session's output is drawn there
    page.wait_for_function("""() => {
        const c = document.querySelector('#boundary .heatmap-grid');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 7) seen.add([d[i] >> 5, d[i+1] >> 5, d[i+2] >> 5].join());
        return seen.size >= 3; }""")
    expect(page.locator("#legend .legend-class")).to_have_text(["class 0", "class 1", "class 2"])
    assert "classes=3" in page.url
    assert problems == []


def test_save_load_and_resume_a_session(page, server, problems, tmp_path):
    sid = open_playground(page, server)
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    page.wait_for_function(
        f"document.querySelector('[data-testid=save-session]').href.includes('{sid}')"
    )
    with page.expect_download() as download:
        page.get_by_test_id("save-session").click()
    archive = tmp_path / "saved.zip"
    download.value.save_as(archive)
    page.get_by_test_id("load-session").set_input_files(str(archive))
    imported = new_session(page, sid)
    assert imported != sid and api(server, f"/api/sessions/{imported}")["epoch"] == 1
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    # the first session is still on the server: resume it from the list
    page.wait_for_selector(f"[data-session='{sid}'] [data-testid=resume-session]")
    page.locator(f"[data-session='{sid}'] [data-testid=resume-session]").click()
    assert new_session(page, imported) == sid
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,002'"
    )
    assert api(server, f"/api/sessions/{sid}")["epoch"] == 2
    # the list's line for this page's session follows the counter, without a refresh
    here = page.locator(f"li[data-session='{sid}'] .fine")
    page.wait_for_function(
        "(sid) => document.querySelector(`li[data-session='${sid}'] .fine`)"
        ".textContent.startsWith('epoch 2 ·')",
        arg=sid,
    )
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "(sid) => / · running · /.test(document.querySelector("
        "`li[data-session='${sid}'] .fine`).textContent)",
        arg=sid,
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    stopped = api(server, f"/api/sessions/{sid}")["epoch"]  # paused there
    expect(page.get_by_test_id("epoch-counter")).to_have_text(counter(stopped))
    expect(here).to_have_text(f"epoch {stopped:,} · paused · just now")
    # the imported copy is not on this page any more: delete it, with a second click
    expect(page.locator(f"li[data-session='{sid}'] [data-testid=delete-session]")).to_have_count(0)
    delete = page.locator(f"li[data-session='{imported}'] [data-testid=delete-session]")
    delete.click()
    expect(delete).to_have_text("Sure?")
    assert api(server, f"/api/sessions/{imported}")["id"] == imported  # not yet
    delete.click()
    page.wait_for_selector(f"li[data-session='{imported}']", state="detached")
    assert imported not in [s["id"] for s in api(server, "/api/sessions")]
    assert problems == []


def test_clicking_a_link_edits_that_weight(page, server, problems):
    sid = open_playground(page, server)
    page.wait_for_function("document.querySelector('#train-loss').textContent !== '–'")
    before = api(server, f"/api/sessions/{sid}/weights")
    page.locator("#weights-panel canvas").first.wait_for()  # the page has the session's weights
    # links cross and overlap, so the click goes to this one's hit area directly
    page.locator("[data-link='1:0:1']").dispatch_event("click")
    page.get_by_test_id("value-input").fill("2.5")
    page.get_by_test_id("value-input").press("Enter")
    page.wait_for_function(
        f"""async () => (await (await fetch('/api/sessions/{sid}/weights')).json())[1].W[0][1] === 2.5"""
    )
    after = api(server, f"/api/sessions/{sid}/weights")
    before[1]["W"][0][1] = 2.5
    assert after == before  # one value changed, nothing else
    page.locator("[data-bias='0:2']").click()
    page.get_by_test_id("value-input").fill("-1")
    page.get_by_test_id("value-input").press("Enter")
    page.wait_for_function(
        f"""async () => (await (await fetch('/api/sessions/{sid}/weights')).json())[0].b[2] === -1"""
    )
    assert problems == []


def _expected_activations(server: str, sid: str, point: list[float]) -> list[float]:
    acts = api(server, f"/api/sessions/{sid}/activations", "POST", {"inputs": [point]})
    return [v for layer in [acts["features"], *acts["layers"]] for v in layer[0]]


RING_DRAWN = """([x, y]) => {  // dark pixels on the ring around the point (x, y), 8 px to its right
    const c = document.querySelector('#boundary canvas.heatmap-points');
    const s = c.width / 12, k = c.width / 300;
    const px = Math.round((x + 6) * s + 8 * k), py = Math.round((6 - y) * s);
    const d = c.getContext('2d').getImageData(px - 2, py - 1, 5, 3).data;
    for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 200 && d[i] < 80 && d[i + 1] < 80 && d[i + 2] < 80) return true;
    }
    return false;
}"""


def test_the_activations_panel_shows_a_chosen_sample_or_the_hovered_point(page, server, problems):
    """The course's exercise has no plane: the panel shows training sample 1, and the
    one picked by number or by a click on the predictions table; on 2-D data the point
    under the mouse takes over while it is there."""
    sid = open_playground(page, server)
    page.get_by_test_id("preset-select").select_option("course-exercise")
    sid = new_session(page, sid)
    panel = page.get_by_test_id("activations-panel")
    inputs = api(server, f"/api/sessions/{sid}/data")["train"]["points"]

    def shows(sample: int) -> None:
        """The panel shows that sample's values, as the server computes them now."""
        expected = _expected_activations(server, sid, inputs[sample - 1])
        wait_numbers(
            page,
            "[data-testid=activations-panel] .act-cell",
            expected,
            0.006,
            caption="#activations-panel .point",
            prefix=f"sample {sample} at",
        )

    shows(1)
    expect(panel.get_by_test_id("sample-select")).to_have_value("1")
    page.locator("[data-testid=predictions] tbody tr").nth(2).click()
    shows(3)
    expect(page.locator("[data-testid=predictions] tbody tr.chosen")).to_have_count(1)
    page.locator("[data-testid=predictions] tbody tr").nth(3).focus()
    page.keyboard.press("Enter")
    shows(4)
    panel.get_by_test_id("sample-select").fill("2")
    panel.get_by_test_id("sample-select").press("Enter")
    shows(2)
    page.get_by_test_id("step").click()
    wait_epoch(page, 1)
    shows(2)  # the values follow the training
    # the nodes carry the sample's values, not blank canvases
    page.wait_for_function("""() => new Set([...document.querySelectorAll('#network canvas')].map((c) => {
        const [r, g, b] = c.getContext('2d').getImageData(0, 0, 1, 1).data; return `${r},${g},${b}`; })).size > 1""")

    page.get_by_test_id("preset-select").select_option("circle")
    sid = new_session(page, sid)
    inputs = api(server, f"/api/sessions/{sid}/data")["train"]["points"]
    shows(1)
    box = page.get_by_test_id("boundary").locator("canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#activations-panel .point")).to_contain_text("under the mouse")
    page.mouse.move(0, 0)
    shows(1)
    assert not page.evaluate(RING_DRAWN, inputs[0])
    panel.hover()
    page.wait_for_function(RING_DRAWN, arg=inputs[0])  # where the panel's sample is on the plane
    page.mouse.move(0, 0)
    page.wait_for_function(f"(p) => !({RING_DRAWN})(p)", arg=inputs[0])
    assert problems == []


def test_leaving_the_page_deletes_its_untrained_session_only(page, server, problems):
    """A tab closed before training leaves no empty session behind in the sessions list;
    a trained one stays there, to be resumed."""

    def exists(sid: str) -> bool:
        try:
            api(server, f"/api/sessions/{sid}")
            return True
        except urllib.error.HTTPError as e:
            assert e.code == 404
            return False

    untrained = open_playground(page, server)
    page.goto("about:blank")
    deadline = time.monotonic() + 30
    while exists(untrained) and time.monotonic() < deadline:
        time.sleep(0.1)  # a poll of the server for the delete the page sent as it went
    assert not exists(untrained)
    trained = open_playground(page, server)
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,001")
    # the page decides as it goes: for a trained session it sends no delete at all
    page.evaluate("""() => {
        window.__deletes = [];
        const fetch = window.fetch;
        window.fetch = (url, init) => {
            if (init?.method === 'DELETE') window.__deletes.push(String(url));
            return fetch(url, init);
        };
        window.dispatchEvent(new PageTransitionEvent('pagehide'));
    }""")
    assert page.evaluate("window.__deletes") == []
    page.goto("about:blank")
    assert exists(trained)
    assert problems == []
