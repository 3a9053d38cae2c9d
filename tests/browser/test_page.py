"""The playground page in a real browser: it loads cleanly, builds networks, plays,
pauses, steps, resets to the same weights, takes live changes, keeps its set-up in the
URL, and reproduces the course's XOR numbers."""

import re

from browser_helpers import (
    api,
    commands,
    counter,
    epoch,
    new_session,
    open_playground,
    record_commands,
    spec_when,
    wait_epoch,
    wait_numbers,
    wait_status,
)
from playwright.sync_api import expect


def test_page_loads_without_console_errors(page, server, problems):
    open_playground(page, server)
    page.wait_for_selector(
        "body[data-started]", state="attached"
    )  # all it asks for at start has come
    assert page.locator("#thumbs canvas").count() >= 4
    expect(page.get_by_test_id("neuron")).to_have_count(6)  # TF's default 4 and 2
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,000")
    for testid in (
        "play",
        "step",
        "reset",
        "dataset-select",
        "preset-select",
        "lr-select",
        "activation-select",
        "add-layer",
        "remove-layer",
        "network",
        "boundary",
        "loss-chart",
        "weights-panel",
        "activations-panel",
    ):
        assert page.get_by_test_id(testid).count() >= 1, testid
    assert problems == []


def test_every_control_says_what_it_does(page, server, problems):
    """A tooltip (its own or its label's) or an accessible name on every control."""
    open_playground(page, server)
    page.wait_for_selector("body[data-started]", state="attached")
    expect(page.get_by_test_id("neuron")).to_have_count(6)
    silent = page.evaluate("""() => [...document.querySelectorAll(
          'button, select, input, [role=switch], [data-testid=neuron], [data-testid=output-node]')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.closest('[title]')?.title || e.getAttribute('aria-label')))
        .map((e) => e.outerHTML.slice(0, 100))""")
    assert silent == []
    assert problems == []


def test_building_a_network_changes_the_session(page, server, problems):
    sid = open_playground(page, server)
    page.get_by_test_id("add-layer").click()
    sid = new_session(page, sid)
    expect(page.get_by_test_id("neuron")).to_have_count(4 + 2 + 2)
    page.locator("[data-testid=add-neuron]").nth(2).click()
    page.locator("[data-testid=add-neuron]").nth(2).click()
    expect(page.get_by_test_id("neuron")).to_have_count(10)
    page.get_by_test_id("activation-select").select_option("relu")
    spec = spec_when(page, server, lambda s: s["model"]["layers"][0]["activation"] == "relu")
    assert [layer["units"] for layer in spec["model"]["layers"]] == [4, 2, 4, 1]
    assert [layer["activation"] for layer in spec["model"]["layers"][:-1]] == ["relu"] * 3
    page.get_by_test_id("remove-layer").click()
    spec = spec_when(page, server, lambda s: len(s["model"]["layers"]) == 3)
    assert [layer["units"] for layer in spec["model"]["layers"]] == [4, 2, 1]
    assert problems == []


def test_play_moves_counter_and_chart_and_pause_stops_them(page, server, problems):
    sid = open_playground(page, server)
    chart = page.get_by_test_id("loss-chart")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=loss-chart]').dataset.points) > 5"
    )
    wait_epoch(page, 6)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    # paused on the server at `stopped`: the counter and the chart end there ...
    summary = api(server, f"/api/sessions/{sid}")
    stopped = summary["epoch"]
    assert summary["status"] == "paused"
    expect(page.get_by_test_id("epoch-counter")).to_have_text(counter(stopped))
    expect(chart).to_have_attribute("data-last-epoch", str(stopped))
    # ... and nothing trains meanwhile: one step later the session is one epoch on, no more
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch-counter")).to_have_text(counter(stopped + 1))
    expect(chart).to_have_attribute("data-last-epoch", str(stopped + 1))
    assert api(server, f"/api/sessions/{sid}")["epoch"] == stopped + 1
    assert problems == []


def test_step_trains_one_epoch(page, server, problems):
    open_playground(page, server)
    page.get_by_test_id("step").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,001'"
    )
    page.locator("body").press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,002'"
    )
    expect(page.locator("#train-loss")).not_to_have_text(re.compile(r"^–?$"))
    page.locator("body").press("r")  # the other shortcuts: r resets, space plays/pauses
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,000'"
    )
    page.locator("body").press(" ")
    wait_status(page, "running")
    page.locator("body").press(" ")
    wait_status(page, "paused")
    record_commands(page)
    page.locator("#lr").focus()  # keys typed into a control stay there
    page.keyboard.press(" ")
    assert "play" not in commands(page)
    page.locator("#lr").blur()
    page.keyboard.press(" ")  # and the next one on the page plays: the first one sent nothing
    wait_status(page, "running")
    assert commands(page).count("play") == 1
    assert problems == []


def test_reset_restores_the_same_initial_weights(page, server, problems):
    sid = open_playground(page, server)
    initial = api(server, f"/api/sessions/{sid}/weights")
    page.get_by_test_id("play").click()
    wait_status(page, "running")
    wait_epoch(page, 3)
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    assert api(server, f"/api/sessions/{sid}/weights") != initial
    page.get_by_test_id("reset").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=epoch-counter]').textContent === '000,000'"
    )
    assert api(server, f"/api/sessions/{sid}/weights") == initial
    assert problems == []


def test_learning_rate_changes_while_playing(page, server, problems):
    sid = open_playground(page, server)
    page.get_by_test_id("play").click()
    wait_status(page, "running")
    page.get_by_test_id("lr-select").select_option("0.3")
    spec_when(page, server, lambda s: s["optimizer"]["lr"] == 0.3)
    assert api(server, f"/api/sessions/{sid}")["status"] == "running"
    assert page.evaluate("document.body.dataset.session") == sid  # the same session goes on
    wait_epoch(page, epoch(page) + 1)
    assert "lr=0.3" in page.url
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    assert problems == []


def test_url_round_trip_reproduces_the_set_up(page, server, problems, browser):
    sid = open_playground(page, server)
    page.locator("[data-dataset=spiral]").click()
    sid = new_session(page, sid)
    page.locator("[data-feature='sin(x1)']").click()
    sid = new_session(page, sid)
    page.get_by_test_id("lr-select").select_option("0.1")
    page.locator("#reg").select_option("l2")
    page.get_by_test_id("add-layer").click()
    spec = spec_when(
        page,
        server,
        lambda s: (
            len(s["model"]["layers"]) == 4
            and s["optimizer"]["lr"] == 0.1
            and s["regularization"]["type"] == "l2"
        ),
    )
    sid = page.evaluate("document.body.dataset.session")
    url = page.url
    other = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        sid2 = open_playground(other, server, url[url.index("#") :])
        spec2 = api(server, f"/api/sessions/{sid2}")["spec"]
        assert sid2 != sid
        for key in ("data", "model", "optimizer", "regularization", "batch_size", "seed"):
            assert spec2[key] == spec[key], key
        assert spec2["data"]["dataset"] == "spiral"
        assert spec2["data"]["features"] == ["x1", "x2", "sin(x1)"]
        expect(other.get_by_test_id("lr-select")).to_have_value("0.1")
        expect(other.locator("[data-dataset=spiral]")).to_have_attribute("aria-checked", "true")
    finally:
        other.close()
    assert problems == []


def test_course_xor_preset_reproduces_the_course(page, server, problems):
    sid = open_playground(page, server)
    page.get_by_test_id("preset-select").select_option("course-xor")
    sid = new_session(page, sid)
    expect(page.locator("#preset-note")).to_be_visible()
    # the controls name the preset's own loss and initializer, not the usual defaults
    expect(page.locator("#loss option:checked")).to_have_text("½ sum of squares")
    expect(page.locator("#init option:checked")).to_have_text("uniform [0, 1)")
    page.get_by_test_id("play").click()
    wait_status(page, "finished", timeout=120_000)
    expect(page.get_by_test_id("epoch-counter")).to_have_text("010,000")
    # the table shows the network after its last epoch once the snapshot of that step is drawn
    page.wait_for_function(
        "document.querySelector('[data-testid=workspace-points]').dataset.frameStep"
        " === document.body.dataset.step"
    )
    wait_numbers(page, "[data-testid=predictions] td.out", [0.028, 0.933, 0.933, 0.083], 0.0015)
    assert problems == []


def test_the_network_grows_as_far_as_the_server_allows(page, server, problems):
    """The page takes its limits from GET /api/limits, here a server allowing 3 layers
    (2 hidden) of at most 5 units."""
    limits = api(server, "/api/limits")
    assert limits["max_layers"] >= 3 and limits["max_units"] >= 5
    page.route(
        "**/api/limits",
        lambda route: route.fulfill(json={**limits, "max_layers": 3, "max_units": 5}),
    )
    open_playground(page, server)
    expect(page.get_by_test_id("add-layer")).to_be_disabled()  # TF's default: 2 hidden layers
    for _ in range(3):
        page.locator("[data-testid=add-neuron]").nth(1).click()
    expect(page.get_by_test_id("neuron")).to_have_count(4 + 5)
    spec = spec_when(page, server, lambda s: s["model"]["layers"][1]["units"] == 5)
    assert [layer["units"] for layer in spec["model"]["layers"]] == [4, 5, 1]
    assert problems == []


def test_play_clicked_while_the_stream_connects_is_not_lost(page, server, problems):
    """A click on play in the same task that shows a new session, before its websocket
    can be open, still plays it (the CI once lost exactly this click)."""
    sid = open_playground(page, server)
    page.evaluate(
        """(old) => new Promise((resolve) => {
        new MutationObserver((_, observer) => {
            if (!document.body.dataset.session || document.body.dataset.session === old) return;
            observer.disconnect();
            document.querySelector('[data-testid=play]').click();
            resolve();
        }).observe(document.body, { attributes: true, attributeFilter: ['data-session'] });
        const select = document.querySelector('[data-testid=preset-select]');
        select.value = 'course-xor';
        select.dispatchEvent(new Event('change', { bubbles: true }));
    })""",
        sid,
    )
    wait_status(page, "finished", timeout=120_000)
    expect(page.get_by_test_id("epoch-counter")).to_have_text("010,000")
    assert problems == []


def test_a_diverged_session_says_so_and_resets_with_a_smaller_rate(page, server, problems):
    """Regression with learning rate 10 blows up in its first epoch: the page says so,
    stops, and its button resets the session with the next smaller rate."""
    sid = open_playground(page, server, "#problem=regression&dataset=reg-plane&lr=10")
    page.get_by_test_id("play").click()
    wait_status(page, "diverged", timeout=60_000)
    banner = page.locator("#banner")
    expect(banner).to_contain_text("diverged")
    expect(banner).to_contain_text("NaN or infinite")
    assert len(page.locator("#train-loss").inner_text()) <= 9  # 7.44e+178, not 20 digits
    record_commands(page)
    page.get_by_test_id(
        "play"
    ).click()  # play does not restart a diverged session: it sends nothing
    assert commands(page) == []
    assert page.evaluate("document.body.dataset.status") == "diverged"
    banner.get_by_role("button", name="Reset with learning rate 3").click()
    page.wait_for_function("document.body.dataset.status !== 'diverged'")
    expect(page.get_by_test_id("lr-select")).to_have_value("3")
    spec = spec_when(page, server, lambda s: s["optimizer"]["lr"] == 3)
    assert spec["data"]["dataset"] == "reg-plane"
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,000")
    expect(banner.filter(has_text="diverged")).to_be_hidden()
    assert page.evaluate("document.body.dataset.session") == sid  # the same session, reset
    assert problems == []


def test_a_finished_preset_can_keep_training(page, server, problems):
    """The course's exercise stops after its 5,000 epochs; "Keep training" lifts the
    limit on the server and plays on from there."""
    sid = open_playground(page, server)
    page.get_by_test_id("preset-select").select_option("course-exercise")
    sid = new_session(page, sid)
    page.get_by_test_id("play").click()
    wait_status(page, "finished", timeout=120_000)
    expect(page.get_by_test_id("epoch-counter")).to_have_text("005,000")
    page.locator("#banner [data-testid=banner-action]").click()
    wait_status(page, "running")
    wait_epoch(page, 5001)
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    summary = api(server, f"/api/sessions/{sid}")
    assert summary["spec"]["epochs"] is None and summary["epoch"] > 5_000
    assert problems == []
