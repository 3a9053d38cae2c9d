"""The GAN workspace in a real browser: GAN Lab's two hills play with the generated
points moving over the discriminator's heatmap, step D and step G each change only
their own network (and a round both), the digits GAN shows its fixed-noise grid and
a walk between two noise vectors that change as it trains, the GAN's controls change
the session live or anew and stay in the link, the objective switch makes a GAN of
GAN Lab's data and back, and the network editor adds a layer to one network only."""

from urllib.parse import parse_qs, urlsplit

from browser_helpers import api, new_session, open_playground, spec_when, wait_status
from playwright.sync_api import expect

WORKSPACE = "[data-testid=workspace-gan]"
PLANE = "[data-testid=gan-plane]"


def open_gan(page, server: str, hash_: str = "#preset=gan-lab") -> str:
    """Load the page on a GAN set-up and wait for its first snapshot drawn; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'gan'"
        f" && document.querySelector('{WORKSPACE}').dataset.frameStep !== undefined"
    )
    return page.evaluate("document.body.dataset.session")


def fake_points(page) -> str:
    return page.locator(f"{PLANE} .gan-plane-box").get_attribute("data-fake") or ""


def weights(server: str, sid: str) -> dict:
    """Each layer's W by name (generator.dense_1, ..., discriminator.dense_3)."""
    summary = api(server, f"/api/sessions/{sid}")
    return {
        layer["name"]: api(server, f"/api/sessions/{sid}/weights/{layer['name']}")["W"]
        for layer in summary["layers"]
    }


def moved(before: dict, after: dict, network: str) -> list[bool]:
    return [before[k] != after[k] for k in before if k.startswith(network + ".")]


def test_the_two_hills_play_and_the_generated_points_move(page, server, problems):
    open_gan(page, server)
    expect(page.get_by_test_id("workspace-gan")).to_be_visible()
    expect(page.get_by_test_id("workspace-points")).to_be_hidden()
    expect(page.locator(f"{PLANE} canvas")).to_have_count(2)  # the heatmap, and the points over it
    expect(page.get_by_test_id("gan-samples")).to_be_hidden()
    expect(page.get_by_test_id("step-d")).to_be_visible()
    expect(page.get_by_test_id("step-g")).to_be_visible()
    expect(page.locator("[data-testid=generator-cards] [data-testid=layer-card]")).to_have_count(3)
    expect(
        page.locator("[data-testid=discriminator-cards] [data-testid=layer-card]")
    ).to_have_count(3)
    expect(page.get_by_test_id("objective-adversarial")).to_have_attribute("aria-checked", "true")
    expect(
        page.locator("[data-testid=dataset-select] [data-dataset=eight-gaussians]")
    ).to_be_visible()
    expect(page.locator("[data-testid=dataset-select] [data-dataset=circle]")).to_have_count(0)
    silent = page.evaluate("""() => [...document.querySelectorAll(
          '[data-testid=workspace-gan] :is(button, select, input, canvas), .gan-step')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.closest('[title]')?.title || e.getAttribute('aria-label')))
        .map((e) => e.outerHTML.slice(0, 100))""")
    assert silent == []  # every control and picture says what it is
    before = fake_points(page)
    assert before
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "([before, plane]) => Number(document.body.dataset.step) > 300"
        " && document.querySelector(plane).dataset.fake !== before"
        " && Number(document.querySelector('[data-testid=gan-chart]').dataset.points) > 3"
        " && window.__ganStats.planeFrames > 3",
        arg=[before, f"{PLANE} .gan-plane-box"],
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    assert fake_points(page) != before
    expect(page.get_by_test_id("gan-kl")).to_contain_text("bits")
    expect(page.get_by_test_id("gan-modes")).to_contain_text("of 2")
    assert page.evaluate("window.__ganStats.planeFrames") > 3
    # the same noise and the first weights again: the first picture again
    page.get_by_test_id("reset").click()
    page.wait_for_function(
        "([before, plane]) => document.body.dataset.step === '0'"
        " && document.querySelector(plane).dataset.fake === before",
        arg=[before, f"{PLANE} .gan-plane-box"],
    )
    assert problems == []


def test_step_d_and_step_g_each_change_only_their_network(page, server, problems):
    sid = open_gan(page, server)
    start = weights(server, sid)
    page.get_by_test_id("step-d").click()
    page.wait_for_function("document.body.dataset.step === '1'")
    after_d = weights(server, sid)
    assert moved(start, after_d, "generator") == [False] * 3
    assert moved(start, after_d, "discriminator") == [True] * 3
    page.get_by_test_id("step-g").click()
    page.wait_for_function("document.body.dataset.step === '2'")
    after_g = weights(server, sid)
    assert moved(after_d, after_g, "generator") == [True] * 3
    assert moved(after_d, after_g, "discriminator") == [False] * 3
    expect(page.get_by_test_id("gan-g-loss")).not_to_have_text("–")
    page.get_by_test_id("step").click()  # a round: D's step, then G's
    page.wait_for_function("document.body.dataset.step === '3'")
    after_round = weights(server, sid)
    assert moved(after_g, after_round, "generator") == [True] * 3
    assert moved(after_g, after_round, "discriminator") == [True] * 3
    page.wait_for_function(f"document.querySelector('{WORKSPACE}').dataset.frameStep === '3'")
    expect(page.get_by_test_id("gan-d-loss")).not_to_have_text("–")
    assert problems == []


def test_the_digits_gan_shows_its_fixed_noise_grid(page, server, problems):
    open_gan(page, server, "#preset=gan-digits")
    grid = page.locator("[data-testid=gan-samples] canvas")
    expect(grid).to_have_attribute("data-count", "64")
    expect(page.locator("[data-testid=gan-interpolation] canvas")).to_have_attribute(
        "data-count", "10"
    )
    expect(page.get_by_test_id("gan-plane")).to_be_hidden()
    expect(page.get_by_test_id("gan-kl")).to_be_hidden()  # no divergences on a grid for images
    expect(page.locator("[data-testid=generator-cards] .layer-shape").last).to_have_text(
        "(8, 8, 1)"
    )
    first = grid.evaluate("(c) => c.toDataURL()")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        f"Number(document.querySelector('{WORKSPACE}').dataset.frameStep) > 60"
        " && window.__ganStats.sampleFrames > 2"
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    # the same noise, a generator that learned
    assert grid.evaluate("(c) => c.toDataURL()") != first
    assert problems == []


def test_the_gan_controls_change_the_session_and_stay_in_the_link(page, server, problems):
    sid = open_gan(page, server)
    page.get_by_test_id("gan-loss").select_option("minimax")
    page.get_by_test_id("d-steps").fill("3")
    page.get_by_test_id("d-steps").dispatch_event("change")
    spec = spec_when(page, server, lambda s: s["gan_loss"] == "minimax" and s["d_steps"] == 3)
    assert page.evaluate("document.body.dataset.session") == sid  # live: the same session
    page.get_by_test_id("noise-dim").fill("3")
    page.get_by_test_id("noise-dim").dispatch_event("change")
    new_session(page, sid)
    spec = spec_when(page, server, lambda s: s["noise"]["dim"] == 3)
    assert spec["gan_loss"] == "minimax" and spec["d_steps"] == 3
    expect(
        page.locator("[data-testid=generator-cards] [data-testid=layer-card] .layer-shape").last
    ).to_have_text("(2)")
    expect(page.locator("[data-testid=generator-cards] .input-card .layer-shape")).to_have_text(
        "(3)"
    )
    link = page.url
    state = parse_qs(urlsplit(link).fragment)
    assert (
        state["ganLoss"] == ["minimax"] and state["dSteps"] == ["3"] and state["noiseDim"] == ["3"]
    )
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_function(
        "document.body.dataset.workspace === 'gan' && document.body.dataset.session"
    )
    spec = spec_when(page, server, lambda s: s.get("objective") == "adversarial")
    assert (spec["gan_loss"], spec["d_steps"], spec["noise"]["dim"]) == ("minimax", 3, 3)
    assert spec["generator"]["layers"][0]["init"] == {"type": "lecun_normal"}  # GAN Lab's, kept
    expect(page.get_by_test_id("gan-loss")).to_have_value("minimax")
    assert problems == []


def test_a_gan_distribution_picked_makes_a_gan_and_classify_goes_back(page, server, problems):
    open_playground(page, server)
    expect(page.get_by_test_id("step-d")).to_be_hidden()
    expect(page.get_by_test_id("objective-choice")).to_be_hidden()  # circle: a classifier only
    old = page.evaluate("document.body.dataset.session")
    page.locator("[data-testid=dataset-select] [data-dataset=gan-gaussians]").click()
    new_session(page, old)
    spec = spec_when(page, server, lambda s: s.get("objective") == "adversarial")
    assert spec["data"]["dataset"] == "gan-gaussians"
    page.wait_for_function("document.body.dataset.workspace === 'gan'")
    expect(page.get_by_test_id("preset-select")).to_have_value("gan-lab")  # its own preset
    expect(page.get_by_test_id("objective-adversarial")).to_have_attribute("aria-checked", "true")
    # another distribution keeps the networks and their training
    old = page.evaluate("document.body.dataset.session")
    page.locator("[data-testid=dataset-select] [data-dataset=gan-ring]").click()
    new_session(page, old)
    ring = spec_when(page, server, lambda s: s["data"]["dataset"] == "gan-ring")
    assert ring["generator"] == spec["generator"]
    assert ring["optimizer"]["lr"] == spec["optimizer"]["lr"]
    old = page.evaluate("document.body.dataset.session")
    page.get_by_test_id("objective-supervised").click()
    new_session(page, old)
    spec = spec_when(page, server, lambda s: s.get("objective", "supervised") == "supervised")
    assert spec["data"]["dataset"] == "circle"  # a GAN distribution is for GANs only
    page.wait_for_function("document.body.dataset.workspace === 'points'")
    expect(page.get_by_test_id("step-d")).to_be_hidden()
    assert problems == []


def test_the_objective_switch_makes_a_gan_of_digits(page, server, problems):
    page.goto(f"{server}/#preset=digits-cnn")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'images'"
    )
    old = page.evaluate("document.body.dataset.session")
    page.get_by_test_id("objective-adversarial").click()
    new_session(page, old)
    spec = spec_when(page, server, lambda s: s.get("objective") == "adversarial")
    last = spec["generator"]["layers"][-1]
    assert (last["type"], last["shape"]) == ("reshape", [8, 8, 1])
    page.wait_for_function(
        "document.body.dataset.workspace === 'gan'"
        " && document.querySelector('[data-testid=gan-samples] canvas').dataset.count === '64'"
    )
    expect(page.get_by_test_id("preset-select")).to_have_value("gan-digits")
    assert problems == []


def test_a_layer_added_to_the_generator_changes_it_alone(page, server, problems):
    sid = open_gan(page, server)
    page.get_by_test_id("generator-add-layer").click()
    new_session(page, sid)
    spec = spec_when(page, server, lambda s: len(s["generator"]["layers"]) == 4)
    assert [layer["units"] for layer in spec["generator"]["layers"]] == [8, 8, 16, 2]
    assert [layer["units"] for layer in spec["discriminator"]["layers"]] == [8, 8, 1]
    expect(page.locator("[data-testid=generator-cards] [data-testid=layer-card]")).to_have_count(4)
    expect(page.locator("[data-testid=generator-cards] .layer-params").nth(2)).to_have_text(
        "144 params"
    )
    assert "generator=" in page.url and "discriminator=" not in page.url
    assert problems == []


def test_points_drawn_in_a_gan_are_its_real_samples(page, server, problems):
    sid = open_gan(page, server)
    page.locator("[data-testid=dataset-select] [data-dataset=inline]").click()
    box = page.locator(f"{PLANE} .gan-plane-box")
    expect(box).to_have_attribute("data-drawn", "0")
    stage = page.locator(f"{PLANE} .gan-stage")
    for x, y in [(100, 100), (120, 110), (300, 320), (310, 300)]:
        stage.click(position={"x": x, "y": y})
    expect(box).to_have_attribute("data-drawn", "4")
    new_session(page, sid)
    spec = spec_when(page, server, lambda s: len(s["data"].get("X", [])) == 4)
    assert spec["objective"] == "adversarial" and spec["data"]["dataset"] == "inline"
    # 100 of 420 pixels into [-1, 1], from the top left; GAN Lab's networks
    assert spec["data"]["X"][0] == [-0.52, 0.52]
    assert [layer["units"] for layer in spec["generator"]["layers"]] == [8, 8, 2]
    assert (spec["optimizer"]["lr"], spec["batch_size"]) == (0.1, 150)
    page.wait_for_function(f"document.querySelector('{WORKSPACE}').dataset.frameStep === '0'")
    page.get_by_test_id("play").click()
    page.wait_for_function(f"Number(document.querySelector('{WORKSPACE}').dataset.frameStep) > 50")
    page.get_by_test_id("play").click()
    assert "dataset=inline" in page.url and "points=" in page.url
    assert problems == []
