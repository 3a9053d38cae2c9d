"""The text and series workspaces in a real browser: a character LSTM writes text that
changes as it trains, with each character's alternatives on hover, its hidden states,
gates and gradient through time for the window chosen in the corpus; the temperature
changes what it writes and "Write again" streams a new text; a forecaster draws its
forecasts over the series with MASE beside them; an uploaded .txt file trains (a binary
file is refused, named); a text picked in the data column opens with its preset's
network, and its own parameters (delayed-copy's delay, a series' relative windows)
change the data; the clip norm shows the preset's and changes live."""

from browser_helpers import api, commands, new_session, record_commands, spec_when, wait_status
from playwright.sync_api import expect

SAMPLED = "[data-testid=sampled-text] .sampled-body"


def open_text(page, server: str, hash_: str = "#preset=char-lstm") -> str:
    """Load the page on a text set-up and wait for the model's first text; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'text'"
        f" && document.querySelectorAll('{SAMPLED} .ch').length > 0"
    )
    return page.evaluate("document.body.dataset.session")


def sampled(page) -> str:
    return page.locator(SAMPLED).inner_text()


def wait_text_other_than(page, text: str) -> str:
    page.wait_for_function(
        "([sel, text]) => { const b = document.querySelector(sel);"
        " return b.querySelector('.ch') && b.textContent !== text; }",
        arg=[SAMPLED, text],
    )
    return sampled(page)


def test_a_character_lstm_writes_text_that_changes_as_it_trains(page, server, problems):
    open_text(page, server)
    workspace = page.get_by_test_id("workspace-text")
    expect(workspace).to_be_visible()
    expect(page.get_by_test_id("workspace-points")).to_be_hidden()
    expect(page.get_by_test_id("own-text-box")).to_be_visible()
    # the network's cards, and the recurrent layers among the types to add
    expect(workspace.get_by_test_id("layer-card")).to_have_count(3)
    options = workspace.get_by_test_id("seq-add-layer-type").locator("option").all_inner_texts()
    assert {"embedding", "rnn", "lstm", "gru"} <= set(options)
    # the chosen window's insides: the LSTM's hidden states and five gates, its gradient
    expect(workspace.get_by_test_id("hidden-states")).to_have_attribute("data-maps", "1")
    expect(workspace.get_by_test_id("gates")).to_have_attribute("data-maps", "5")
    expect(workspace.get_by_test_id("gradient-norms")).to_have_attribute("data-lines", "1")
    axis = workspace.get_by_test_id("hidden-states").locator(".seq-axis span")
    expect(axis).to_have_count(50)  # a character under each step of the window
    # a sampled character's alternatives on hover
    page.locator(f"{SAMPLED} .ch").nth(3).hover()
    expect(page.locator(".char-tip .tip-row")).to_have_count(5)
    expect(page.locator(".char-tip")).to_contain_text("wrote")
    # another window of the corpus, chosen by a click
    page.locator("[data-testid=corpus] [data-window='3']").click()
    expect(page.locator("[data-testid=corpus] .win.chosen")).to_have_attribute("data-window", "3")
    expect(workspace).to_contain_text("window 3 of the training text")
    third = page.locator("[data-testid=corpus] [data-window='3']").inner_text()
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('[data-testid=workspace-text]"
        " [data-testid=hidden-states] .seq-axis span')].length === 50"
        " && document.querySelector('[data-testid=workspace-text] [data-testid=hidden-states]"
        " .seq-axis span').textContent === (text[0] === ' ' ? '␣' : text[0])",
        arg=third,
    )
    before = sampled(page)
    page.get_by_test_id("play").click()
    page.wait_for_function("Number(document.body.dataset.step) > 0")
    wait_text_other_than(page, before)
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    expect(page.get_by_test_id("next-char").locator(".prob-row:not([hidden])")).to_have_count(12)
    assert problems == []


def test_the_temperature_changes_what_the_model_writes(page, server, problems):
    open_text(page, server, "#preset=brackets-gru")
    before = sampled(page)
    page.get_by_test_id("temperature").evaluate(
        "(input) => { input.value = '0.2'; input.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    expect(page.locator(".temp-out")).to_have_text("0.20")
    cold = wait_text_other_than(page, before)
    page.locator(f"{SAMPLED} .ch").first.hover()
    expect(page.locator(".char-tip")).to_contain_text("temperature 0.2")
    # a prime of characters the corpus lacks is named, not written from
    page.get_by_test_id("prime").fill("(é")
    expect(page.locator(".sampled-error")).to_contain_text("not in the vocabulary")
    page.get_by_test_id("prime").fill("((")
    expect(page.locator(".sampled-error")).to_be_hidden()
    expect(page.locator(f"{SAMPLED} .prime")).to_have_text("((")
    assert sampled(page) != cold
    assert problems == []


def test_a_forecaster_draws_its_forecasts_over_the_series(page, server, problems):
    page.goto(f"{server}/#preset=sine-forecast")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'series'"
    )
    workspace = page.get_by_test_id("workspace-series")
    expect(workspace).to_be_visible()
    chart = page.get_by_test_id("forecast-chart")
    # the one-step forecasts along the series and the free-running ones over its test part
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=forecast-chart]').dataset.drawn) > 100"
    )
    expect(page.get_by_test_id("mase")).to_contain_text("seasonal naive")
    spec = api(server, f"/api/sessions/{page.evaluate('document.body.dataset.session')}")["spec"]
    assert spec["data"]["params"]["noise"] == 0.1  # the dataset's own, which the preset leaves
    assert spec["optimizer"]["clip_norm"] == 0.0
    expect(workspace.get_by_test_id("hidden-states")).to_have_attribute("data-maps", "1")
    expect(workspace.get_by_test_id("gradient-norms")).to_have_attribute("data-lines", "1")
    box = chart.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.95, box["y"] + box["height"] / 2)
    expect(workspace).to_contain_text("test window")
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=workspace-series]').dataset.frameStep) > 0"
    )
    assert problems == []


def test_an_uploaded_text_trains_and_a_binary_file_is_named(page, server, problems, tmp_path):
    open_text(page, server)
    upload = page.get_by_test_id("own-text")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    upload.set_input_files(str(bad))
    expect(page.get_by_test_id("text-upload-error")).to_contain_text("bad.txt")
    good = tmp_path / "fox.txt"
    good.write_text("the quick brown fox jumps over the lazy dog.\n" * 60)
    old = page.evaluate("document.body.dataset.session")
    upload.set_input_files(str(good))
    page.wait_for_function(
        "(old) => document.body.dataset.session && document.body.dataset.session !== old"
        f" && document.querySelectorAll('{SAMPLED} .ch').length > 0",
        arg=old,
    )
    expect(page.get_by_test_id("text-upload-error")).to_be_hidden()
    expect(page.get_by_test_id("text-upload-status")).to_contain_text("fox.txt: 2,700 characters")
    sid = page.evaluate("document.body.dataset.session")
    spec = api(server, f"/api/sessions/{sid}")["spec"]
    assert spec["data"]["dataset"] == "text" and spec["data"]["text"].startswith("the quick")
    assert [layer["type"] for layer in spec["model"]["layers"]] == ["embedding", "lstm", "dense"]
    assert spec["optimizer"]["clip_norm"] == 5.0
    expect(page.locator("[data-testid=corpus] .corpus-body")).to_contain_text("the quick brown fox")
    page.get_by_test_id("step").click()
    page.wait_for_function("Number(document.body.dataset.step) > 0")
    assert [p for p in problems if "status of 422" not in p] == []  # the binary file's request


def test_a_recurrent_layer_added_in_the_editor_fits_the_stack(page, server, problems):
    old = open_text(page, server, "#preset=copy-lstm")
    workspace = page.get_by_test_id("workspace-text")
    workspace.get_by_test_id("seq-add-layer-type").select_option("gru")
    workspace.get_by_test_id("seq-add-layer-button").click()
    page.wait_for_function(
        "(old) => document.body.dataset.session && document.body.dataset.session !== old", arg=old
    )
    # before the LSTM, handing it every step: both layers' states and gates are shown
    expect(workspace.get_by_test_id("hidden-states")).to_have_attribute("data-maps", "2")
    expect(workspace.get_by_test_id("gates")).to_have_attribute("data-maps", "8")
    expect(workspace.get_by_test_id("gradient-norms")).to_have_attribute("data-lines", "2")
    spec = api(server, f"/api/sessions/{page.evaluate('document.body.dataset.session')}")["spec"]
    assert [layer["type"] for layer in spec["model"]["layers"]] == [
        "embedding",
        "gru",
        "lstm",
        "dense",
    ]
    assert spec["model"]["layers"][1]["return_sequences"] is True
    assert "layers=" in page.evaluate("location.hash")
    assert problems == []


def test_delayed_copy_picked_in_the_picker_trains_and_its_delay_changes_the_data(
    page, server, problems
):
    page.goto(f"{server}/")
    page.wait_for_function("document.body.dataset.started !== undefined")
    old = page.evaluate("document.body.dataset.session")
    page.locator("#thumbs [data-dataset=delayed-copy]").click()
    sid = new_session(page, old)
    expect(page.get_by_test_id("workspace-text")).to_be_visible()
    spec = api(server, f"/api/sessions/{sid}")["spec"]
    # the matching preset's network and training, from GET /api/presets
    assert spec["data"]["dataset"] == "delayed-copy"
    assert [layer["type"] for layer in spec["model"]["layers"]] == ["embedding", "lstm", "dense"]
    assert spec["optimizer"]["clip_norm"] == 1.0
    # its own parameters in the data column; a 2-D slider that does not apply is hidden
    delay = page.get_by_test_id("param-delay")
    expect(delay).to_have_value(str(spec["data"]["params"]["delay"]))
    expect(page.get_by_test_id("param-symbols")).to_be_visible()
    expect(page.locator("#noise")).to_be_hidden()
    page.get_by_test_id("step").click()
    page.wait_for_function("Number(document.body.dataset.step) > 0")
    delay.evaluate(
        "(input) => { input.value = '30';"
        " input.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    changed = spec_when(page, server, lambda s: s["data"]["params"]["delay"] == 30)
    assert changed["data"]["dataset"] == "delayed-copy"
    assert "delay:30" in page.evaluate("location.hash")
    page.wait_for_function(
        "document.querySelector('[data-testid=corpus] .corpus-body')"
        ".textContent.includes('.'.repeat(30))"
    )
    # a link reproduces it
    page.reload()
    page.wait_for_function("document.body.dataset.session")
    expect(page.get_by_test_id("param-delay")).to_have_value("30")
    assert [p for p in problems if "status of 404" not in p] == []  # the old session, deleted


def test_a_series_shows_its_own_parameters(page, server, problems):
    page.goto(f"{server}/#preset=airline-forecast")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'series'"
    )
    expect(page.get_by_test_id("param-relative")).to_be_checked()  # the preset's relative windows
    expect(page.get_by_test_id("param-horizon")).to_be_visible()
    expect(page.locator("#noise")).to_be_hidden()  # the airline series has no noise
    old = page.evaluate("document.body.dataset.session")
    page.get_by_test_id("param-relative").uncheck()
    sid = new_session(page, old)
    assert api(server, f"/api/sessions/{sid}")["spec"]["data"]["params"]["relative"] == 0
    assert problems == []


def test_the_clip_norm_shows_the_presets_and_changes_live(page, server, problems):
    sid = open_text(page, server)
    clip = page.get_by_test_id("clip-select")
    expect(clip).to_be_visible()
    expect(clip).to_have_value("5")
    clip.select_option("1")
    spec = spec_when(page, server, lambda s: s["optimizer"]["clip_norm"] == 1.0)
    assert page.evaluate("document.body.dataset.session") == sid  # the same session, changed live
    assert spec["optimizer"]["type"] == "adam" and spec["optimizer"]["lr"] == 0.003
    assert "clip=1" in page.evaluate("location.hash")
    assert problems == []


def test_write_again_streams_the_text(page, server, problems):
    open_text(page, server)
    record_commands(page)
    before = sampled(page)
    page.get_by_test_id("resample").click()
    page.wait_for_function(
        "([sel, text]) => { const b = document.querySelector(sel);"
        " return b.dataset.length === '300' && b.textContent !== text; }",
        arg=[SAMPLED, before],
    )
    assert "sample" in commands(page)
    expect(page.locator(f"{SAMPLED} .ch")).to_have_count(300)
    expect(page.locator(f"{SAMPLED} .prime")).to_have_count(1)
    assert page.evaluate("window.__textStats.sampleFrames") > 0
    assert problems == []
