"""Image views: the receptive field's arithmetic is the layer's own output, its box
composes the layers' windows, and views run in inference mode."""

import numpy as np
import pytest

from engine import Session, SpecError, views

SPEC = {
    "seed": 2,
    "data": {"dataset": "shapes", "params": {"n_samples": 80, "size": 12}},
    "model": {
        "layers": [
            {
                "type": "conv2d",
                "filters": 3,
                "kernel_size": 3,
                "padding": "same",
                "activation": "relu",
            },
            {"type": "maxpool2d", "pool_size": 2},
            {
                "type": "conv2d",
                "filters": 4,
                "kernel_size": 3,
                "stride": 2,
                "padding": 1,
                "activation": "tanh",
            },
            {"type": "flatten"},
            {"type": "dropout", "rate": 0.5},
            {"type": "dense", "units": 4, "activation": "softmax"},
        ]
    },
    "loss": "categorical_crossentropy",
    "optimizer": {"type": "adam", "lr": 0.01},
    "batch_size": 16,
}


@pytest.fixture(scope="module")
def session():
    s = Session.from_spec(SPEC)
    s.step(steps=5)
    return s


@pytest.mark.parametrize(
    ("layer", "y", "x", "box"),
    [
        ("conv2d_1", 0, 0, (-1, -1, 1, 1)),  # same padding reaches one pixel out
        ("maxpool2d_1", 2, 3, (3, 5, 6, 8)),  # a 2×2 window of 3×3 windows
        ("conv2d_2", 1, 2, (1, 5, 8, 12)),  # stride 2 and padding 1 over the pool
    ],
)
def test_the_box_composes_every_window_down_to_the_input(session, layer, y, x, box):
    r = views.compute(session, "receptive_field", {"layer": layer, "y": y, "x": x})
    b = r["box"]
    assert (b["top"], b["left"], b["bottom"], b["right"]) == box
    assert b["clipped"]["bottom"] <= 11 and b["clipped"]["top"] >= 0


@pytest.mark.parametrize(
    ("layer", "y", "x", "channel"),
    [
        ("conv2d_1", 0, 0, 2),
        ("conv2d_1", 5, 7, 0),
        ("conv2d_2", 2, 1, 3),
        ("conv2d_2", 0, 2, 1),
    ],
)
def test_the_kernel_times_patch_arithmetic_gives_the_layers_output(session, layer, y, x, channel):
    r = views.compute(
        session,
        "receptive_field",
        {"layer": layer, "y": y, "x": x, "channel": channel, "sample": 3},
    )
    np.testing.assert_allclose(r["products"], r["patch"] * r["kernel"])
    assert r["preactivation"] == pytest.approx(r["sum"] + r["bias"])
    act = {"relu": lambda z: max(z, 0.0), "tanh": np.tanh}[r["activation"]]
    assert act(r["preactivation"]) == pytest.approx(r["output"], abs=1e-12)
    maps = views.compute(session, "feature_maps", {"sample": 3})
    index = [entry["name"] for entry in maps["layers"]].index(layer)
    assert maps["layers"][index]["values"][y, x, channel] == pytest.approx(r["output"])


def test_a_pixel_outside_the_map_or_a_flat_layer_is_named(session):
    with pytest.raises(SpecError) as info:
        views.compute(session, "receptive_field", {"layer": "conv2d_2", "y": 3, "x": 0})
    assert info.value.path == "y"
    with pytest.raises(SpecError) as info:
        views.compute(session, "receptive_field", {"layer": "flatten_1", "y": 0, "x": 0})
    assert info.value.path == "layer"


def test_views_run_in_inference_mode(session):
    first = views.compute(session, "feature_maps", {"sample": 1})["probabilities"]
    second = views.compute(session, "feature_maps", {"sample": 1})["probabilities"]
    assert first == second  # dropout is off
    c = views.compute(session, "confusion")
    assert np.array(c["matrix"]).sum() == len(session.data.X_test)


def test_the_filters_view_gives_each_convolutions_kernels(session):
    layers = views.compute(session, "filters")["layers"]
    assert [entry["shape"] for entry in layers] == [[3, 3, 1, 3], [3, 3, 3, 4]]
    np.testing.assert_array_equal(layers[0]["W"], session.model.by_name["conv2d_1"].params["W"])


def test_samples_by_index_are_those_images_and_bad_indices_are_named(session):
    picked = views.compute(session, "samples", {"split": "test", "indices": [3, 0, 3]})
    assert picked["indices"] == [3, 0, 3]
    np.testing.assert_array_equal(picked["images"], session.data.X_test[[3, 0, 3]])
    for bad in ([len(session.data.X_test)], [-1], "1,2", [True], list(range(513))):
        with pytest.raises(SpecError) as info:
            views.compute(session, "samples", {"split": "test", "indices": bad})
        assert info.value.path == "indices"


def test_a_twin_sees_the_weights_of_the_moment_it_was_taken_while_training_goes_on():
    s = Session.from_spec(SPEC)
    s.step(steps=3)
    twin = s.detached()
    before = views.compute(s, "confusion")
    s.step(steps=20)  # the session trains on; the twin keeps the weights it copied
    seen = views.compute(twin, "confusion")
    assert seen["matrix"] == before["matrix"] and seen["step"] == 3
    np.testing.assert_array_equal(
        views.compute(twin, "filters")["layers"][0]["W"],
        before_filters := twin.model.layers[0].params["W"],
    )
    assert not np.array_equal(before_filters, s.model.layers[0].params["W"])
    twin.release()
    assert len(s._spare_twins) == 1
    again = s.detached()  # the spare model, warm, with today's weights
    assert again.model is twin.model
    np.testing.assert_array_equal(again.model.params, s.model.params)
    assert views.compute(again, "confusion")["step"] == s.step_count


def test_set_weights_invalidates_the_predictions_views_keep():
    s = Session.from_spec(SPEC)
    first = views.compute(s, "misclassified")
    weights = s.get_weights()
    weights[-1]["b"] = weights[-1]["b"] + np.array([50.0, 0, 0, 0])  # everything is a circle
    s.set_weights(weights)
    after = views.compute(s, "misclassified")
    assert after["total"] != first["total"] or after["predicted"] != first["predicted"]
    assert set(after["predicted"]) <= {0}
