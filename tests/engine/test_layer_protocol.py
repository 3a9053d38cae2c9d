"""The layer protocol: one declaration per layer kind drives validation; layers have
names; frozen layers stay out of the optimizer; a session's state_dict resumes it."""

import numpy as np
import pytest

from engine import Session, SpecError
from engine.layers import LAYERS, normalize_layer
from engine.model import Model

SPEC = {
    "seed": 5,
    "data": {"dataset": "moons", "params": {"n_samples": 120, "noise": 0.1}},
    "model": {
        "layers": [
            {"type": "dense", "units": 6, "activation": "tanh"},
            {"type": "activation", "activation": "relu"},
            {"type": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "loss": "binary_crossentropy",
    "optimizer": {"type": "adam", "lr": 0.01},
    "batch_size": 8,
}


def spec_with(layers):
    return {**SPEC, "model": {"layers": layers}}


@pytest.mark.parametrize(
    ("layer", "path", "words"),
    [
        ({"type": "dense"}, "model.layers[0].units", "required"),
        ({"type": "dense", "units": 0}, "model.layers[0].units", "at least 1"),
        ({"type": "dense", "units": 4, "colour": 1}, "model.layers[0].colour", "unknown field"),
        ({"type": "dense", "units": 4, "activation": "wiggle"}, "model.layers[0].activation", ""),
        (
            {"type": "dense", "units": 4, "trainable": "yes"},
            "model.layers[0].trainable",
            "true or false",
        ),
        ({"type": "dense", "units": 4, "name": "a b"}, "model.layers[0].name", "letters"),
        ({"type": "lstm2", "units": 4}, "model.layers[0].type", "unknown layer type"),
        ({"type": "activation"}, "model.layers[0].activation", "required"),
    ],
)
def test_a_bad_layer_field_is_named(layer, path, words):
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec_with([layer, {"type": "dense", "units": 1}]))
    assert info.value.path == path
    assert words in info.value.message


def test_normalizing_fills_each_declared_default_in_declaration_order():
    layer = normalize_layer({"units": 3, "activation": "relu"}, "layer")
    assert list(layer) == ["type", *(f.name for f in LAYERS["dense"].fields if f.name != "name")]
    assert layer["init"] == {"type": "he_normal"}  # derived from the activation
    assert normalize_layer(layer, "layer") == layer  # a normalized layer stays as it is


def test_layers_are_named_by_kind_unless_named():
    model = Model(
        [
            {"units": 3},
            {"type": "activation", "activation": "tanh"},
            {"units": 2, "name": "dense_1"},
            {"units": 1},
        ],
        (2,),
    )
    assert [layer.name for layer in model.layers] == [
        "dense_2",
        "activation_1",
        "dense_1",
        "dense_3",
    ]
    assert model.layer("dense_1")[0] == 2 and model.layer(1)[1].type == "activation"
    with pytest.raises(SpecError) as info:
        model.layer("conv2d_1")
    assert "dense_2" in info.value.message


def test_two_layers_with_one_name_are_refused():
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec_with([{"units": 3, "name": "h"}, {"units": 1, "name": "h"}]))
    assert info.value.path == "model.layers[1].name"


def test_a_frozen_layer_is_outside_the_optimizer_and_does_not_change():
    layers = [
        {"type": "dense", "units": 6, "activation": "tanh", "trainable": False},
        {"type": "dense", "units": 1, "activation": "sigmoid"},
    ]
    s = Session.from_spec(spec_with(layers))
    frozen_before = s.get_weights()[0]
    assert s.optimizer.params.size == 6 + 1 == s.model.params.size
    assert s.n_params == 2 * 6 + 6 + 7
    s.step(epochs=3)
    after = s.get_weights()
    np.testing.assert_array_equal(after[0]["W"], frozen_before["W"])
    assert not np.array_equal(
        after[1]["W"], Session.from_spec(spec_with(layers)).get_weights()[1]["W"]
    )


def test_a_state_dict_resumes_bit_identically_mid_epoch():
    straight = Session.from_spec(SPEC)
    straight.step(steps=23)
    interrupted = Session.from_spec(SPEC)
    interrupted.step(steps=11)
    meta, arrays = interrupted.state_dict()
    resumed = Session.from_state(meta, {k: a.copy() for k, a in arrays.items()})
    resumed.step(steps=12)
    for a, b in zip(straight.get_weights(), resumed.get_weights(), strict=True):
        for name in a:
            np.testing.assert_array_equal(a[name], b[name])
    assert straight.history == resumed.history


def test_a_format_1_state_still_loads():
    s = Session.from_spec(SPEC)
    s.step(steps=7)
    meta, arrays = s.state_dict()
    old_meta = {k: x for k, x in meta.items() if k not in ("objective", "rngs")}
    old_meta.update(
        format="nn-playground-session/1",
        cursor=meta["objective"]["cursor"],
        log=meta["objective"]["log"],
        shuffle_rng=meta["rngs"]["shuffle"],
    )
    old_arrays = {k: a for k, a in arrays.items() if not k.startswith("layer.")}
    old_arrays["params"] = np.concatenate(
        [a.ravel() for layer in s.get_weights() for a in layer.values()]
    )
    loaded = Session.from_state(old_meta, old_arrays)
    s.step(steps=5)
    loaded.step(steps=5)
    np.testing.assert_array_equal(s.model.params, loaded.model.params)
