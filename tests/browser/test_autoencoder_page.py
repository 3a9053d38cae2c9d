"""The autoencoder workspace in a real browser: the digits autoencoder trains with its
reconstructions live, the latent plane decodes a pressed point (and a dragged one, its
newest point last), the anomaly lab's threshold slider changes precision and recall,
the objective switch turns a digits classifier into an autoencoder (its normal classes
and input noise in the link), the layer editor widens the code, and the series anomaly
lab draws its windows as plots."""

from urllib.parse import parse_qs, urlsplit

from browser_helpers import api, new_session, spec_when, wait_status
from playwright.sync_api import expect

WORKSPACE = "[data-testid=workspace-autoencoder]"
PLANE = "[data-testid=latent-plane]"
DECODED = "[data-testid=decoded]"


def open_autoencoder(page, server: str, hash_: str = "#preset=digits-autoencoder") -> str:
    """Load the page on an autoencoder set-up and wait for its first reconstructions and
    codes; the session id."""
    page.goto(f"{server}/{hash_}")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'autoencoder'"
        " && document.querySelector('[data-testid=reconstructions]').dataset.errors"
        f" && Number(document.querySelector('{PLANE}').dataset.points) > 0"
    )
    return page.evaluate("document.body.dataset.session")


def errors_shown(page) -> str:
    return page.get_by_test_id("reconstructions").get_attribute("data-errors") or ""


def decoded_picture(page) -> str:
    return page.locator(f"{DECODED} canvas").evaluate("(c) => c.toDataURL()")


def press_plane(page, fx: float, fy: float) -> None:
    """Press the latent plane at a fraction of its width and height."""
    box = page.locator(f"{PLANE} canvas").bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def wait_decoded_chosen(page) -> str:
    """Wait until the decoded output is of the point chosen on the plane; that point."""
    page.wait_for_function(
        f"document.querySelector('{PLANE}').dataset.chosen"
        f" && document.querySelector('{DECODED}').dataset.point"
        f" === document.querySelector('{PLANE}').dataset.chosen"
    )
    return page.locator(PLANE).get_attribute("data-chosen")


def test_the_digits_autoencoder_plays_and_its_reconstructions_update(page, server, problems):
    open_autoencoder(page, server)
    expect(page.get_by_test_id("workspace-autoencoder")).to_be_visible()
    expect(page.get_by_test_id("workspace-images")).to_be_hidden()
    expect(page.get_by_test_id("anomaly-lab")).to_be_hidden()  # every class is normal
    expect(page.locator("[data-testid=reconstructions] .recon-cell")).to_have_count(24)
    expect(page.locator("[data-testid=reconstructions] .recon-cell canvas")).to_have_count(48)
    expect(page.get_by_test_id("latent-note")).to_contain_text("2 numbers")
    expect(page.locator(f"{PLANE} .legend-class")).to_have_count(10)
    expect(page.locator(f"{WORKSPACE} [data-testid=layer-card]")).to_have_count(6)
    expect(page.locator(f"{WORKSPACE} [data-testid=layer-card] .layer-shape").nth(2)).to_have_text(
        "(2)"
    )
    silent = page.evaluate("""() => [...document.querySelectorAll(
          '[data-testid=workspace-autoencoder] :is(button, select, input, canvas),'
          + ' [data-testid=objective] input, [data-testid=objective-choice] button')]
        .filter((e) => e.offsetParent !== null)
        .filter((e) => !(e.closest('[title]')?.title || e.getAttribute('aria-label')))
        .map((e) => e.outerHTML.slice(0, 100))""")
    assert silent == []  # every control and picture says what it is
    before = errors_shown(page)
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "([before, errors]) => Number(document.body.dataset.step) > 200"
        " && document.querySelector(errors).dataset.errors !== before",
        arg=[before, "[data-testid=reconstructions]"],
    )
    page.get_by_test_id("play").click()
    wait_status(page, "paused")
    expect(page.locator("#loss-chart")).to_be_visible()
    # a reconstruction chosen: its layers' outputs on the cards
    page.locator("[data-testid=reconstructions] .recon-cell").nth(3).click()
    expect(page.locator("[data-testid=reconstructions] .recon-cell.chosen")).to_have_count(1)
    page.locator(f"{WORKSPACE} [data-testid=feature-maps] canvas").first.wait_for()
    page.get_by_test_id("reset").click()  # back to the first weights: the first reconstructions
    page.wait_for_function(
        "([before, errors]) => document.body.dataset.step === '0'"
        " && document.querySelector(errors).dataset.errors === before",
        arg=[before, "[data-testid=reconstructions]"],
    )
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,000")
    assert problems == []


def test_the_latent_plane_decodes_a_pressed_point(page, server, problems):
    open_autoencoder(page, server)
    expect(page.locator(DECODED)).to_contain_text("Press or drag")
    page.get_by_test_id("step").click()  # an epoch: the decoder tells codes apart
    page.wait_for_function("Number(document.body.dataset.step) > 0")
    press_plane(page, 0.2, 0.25)
    first = wait_decoded_chosen(page)
    first_picture = decoded_picture(page)
    expect(page.locator(DECODED)).to_contain_text("decoded from the code")
    press_plane(page, 0.85, 0.8)
    page.wait_for_function(
        f"(first) => document.querySelector('{PLANE}').dataset.chosen !== first", arg=first
    )
    second = wait_decoded_chosen(page)
    assert second != first
    assert decoded_picture(page) != first_picture
    # a drag decodes as it goes, at most a request a frame, the newest point shown last
    sent = page.evaluate("window.__autoencoderStats.sent")
    box = page.locator(f"{PLANE} canvas").bounding_box()
    page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.3 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + 0.7 * box["width"], box["y"] + 0.6 * box["height"], steps=30)
    page.mouse.up()
    last = wait_decoded_chosen(page)
    assert last not in (first, second)
    assert 1 <= page.evaluate("window.__autoencoderStats.sent") - sent <= 31
    assert problems == []


def test_the_anomaly_threshold_slider_changes_precision_and_recall(page, server, problems):
    open_autoencoder(page, server, "#preset=digits-anomaly")
    lab = page.get_by_test_id("anomaly-lab")
    expect(lab).to_be_visible()
    expect(lab).to_contain_text("7 held out as the anomalies")
    expect(page.locator(f"{PLANE} .legend-class.anomalous")).to_have_text("7 (anomaly)")
    page.get_by_test_id("step").click()
    page.wait_for_function("Number(document.body.dataset.step) > 0")
    page.wait_for_function(
        "document.querySelector('[data-testid=roc-curve]').dataset.auc"
        " && document.querySelector('[data-testid=precision]')"
    )
    expect(page.get_by_test_id("auc-pca")).to_contain_text("PCA, 2 components: AUC")
    expect(page.get_by_test_id("anomaly-histogram").locator("canvas")).to_be_visible()

    def figures():
        return page.get_by_test_id("precision").inner_text(), page.get_by_test_id(
            "recall"
        ).inner_text()

    def slide_to(position: int, shown):
        page.get_by_test_id("threshold").fill(str(position))
        page.wait_for_function(
            "(shown) => [document.querySelector('[data-testid=precision]').textContent,"
            " document.querySelector('[data-testid=recall]').textContent].join() !== shown",
            arg=",".join(shown),
        )
        return figures()

    low = slide_to(20, figures())
    high = slide_to(900, low)
    assert float(low[1]) >= float(high[1])  # a higher threshold catches fewer anomalies
    assert low != high
    assert problems == []


def test_the_objective_switch_turns_a_digits_classifier_into_an_autoencoder(page, server, problems):
    page.goto(f"{server}/#preset=digits-cnn")
    page.wait_for_function(
        "document.body.dataset.session && document.body.dataset.workspace === 'images'"
    )
    old = page.evaluate("document.body.dataset.session")
    expect(page.get_by_test_id("objective-choice")).to_be_visible()
    expect(page.get_by_test_id("objective-supervised")).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("objective")).to_be_hidden()  # a classifier has no normal classes
    page.get_by_test_id("objective-reconstruction").click()
    new_session(page, old)
    spec = spec_when(page, server, lambda s: s.get("objective") == "reconstruction")
    assert spec["model"]["layers"][-1]["type"] == "reshape"
    page.wait_for_function("document.body.dataset.workspace === 'autoencoder'")
    assert "objective=reconstruction" in page.url
    # hold the 7s out, and noise the inputs: in the session and in the link
    page.locator("[data-testid=normal-classes] input[data-class='7']").uncheck()
    spec = spec_when(
        page, server, lambda s: s["data"].get("normal_classes") == [0, 1, 2, 3, 4, 5, 6, 8, 9]
    )
    expect(page.get_by_test_id("anomaly-lab")).to_be_visible()
    page.get_by_test_id("denoise").fill("0.2")
    spec_when(page, server, lambda s: s["reconstruction"]["noise"] == 0.2)
    link = page.url
    state = parse_qs(urlsplit(link).fragment)
    assert state["normal"] == ["0,1,2,3,4,5,6,8,9"] and state["denoise"] == ["0.2"]
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_function("document.body.dataset.workspace === 'autoencoder'")
    spec = spec_when(page, server, lambda s: s.get("objective") == "reconstruction")
    assert spec["data"]["normal_classes"] == [0, 1, 2, 3, 4, 5, 6, 8, 9]
    assert spec["reconstruction"]["noise"] == 0.2
    expect(page.locator("[data-testid=normal-classes] input[data-class='7']")).not_to_be_checked()
    # and back to a classifier
    old = page.evaluate("document.body.dataset.session")
    page.get_by_test_id("objective-supervised").click()
    new_session(page, old)
    spec = spec_when(page, server, lambda s: s.get("objective", "supervised") == "supervised")
    assert "normal_classes" not in spec["data"]
    page.wait_for_function("document.body.dataset.workspace === 'images'")
    assert problems == []


def test_the_layer_editor_widens_the_code_to_a_pca_projection(page, server, problems):
    open_autoencoder(page, server)
    old = page.evaluate("document.body.dataset.session")
    code = page.locator(f"{WORKSPACE} [data-testid=layer-card]").nth(2)
    units = code.locator("input").first
    units.fill("3")
    units.press("Enter")
    new_session(page, old)
    spec_when(page, server, lambda s: s["model"]["layers"][2]["units"] == 3)
    expect(page.get_by_test_id("latent-note")).to_contain_text(
        "PCA projection of the 3-number code"
    )
    assert problems == []


def test_the_series_anomaly_lab_draws_its_windows(page, server, problems):
    open_autoencoder(page, server, "#preset=series-anomaly")
    expect(page.locator("[data-testid=reconstructions] .recon-plot")).to_have_count(8)
    expect(page.get_by_test_id("anomaly-lab")).to_be_visible()
    expect(page.get_by_test_id("objective-supervised")).to_be_disabled()  # nothing to classify
    expect(page.get_by_test_id("normal-classes")).to_contain_text("spike")
    expect(page.locator("[data-testid=normal-classes] input[data-class='0']")).to_be_checked()
    expect(page.locator("[data-testid=normal-classes] input[data-class='1']")).not_to_be_checked()
    press_plane(page, 0.5, 0.5)
    wait_decoded_chosen(page)
    expect(page.locator(f"{DECODED} canvas.decoded-plot")).to_be_visible()
    assert problems == []


def test_an_anomaly_session_made_over_rest_resumes_in_the_autoencoder_workspace(
    page, server, problems
):
    preset = next(p for p in api(server, "/api/presets") if p["name"] == "digits-anomaly")
    made = api(server, "/api/sessions", "POST", preset["spec"])
    api(server, f"/api/sessions/{made['id']}/step", "POST", {"epochs": 2})
    page.goto(f"{server}/?session={made['id']}")
    page.wait_for_function(
        "(id) => document.body.dataset.session === id"
        " && document.body.dataset.workspace === 'autoencoder'"
        " && document.querySelector('[data-testid=roc-curve]').dataset.auc",
        arg=made["id"],
    )
    expect(page.get_by_test_id("epoch-counter")).to_have_text("000,002")
    expect(page.locator("[data-testid=normal-classes] input[data-class='7']")).not_to_be_checked()
    expect(page.get_by_test_id("objective-reconstruction")).to_have_attribute(
        "aria-checked", "true"
    )
    assert problems == []
