"""GANs: spec errors name their field, the divergence and mode metrics on hand-made
cases, the 2-D distributions, and the views (only for GANs; fixed noise)."""

import numpy as np
import pytest
from test_gan import dense, image_spec, points_spec

from engine import Session, SpecError, views
from engine.data import DATASETS
from engine.data.distributions import GENERATIVE, MIXTURES, mixture_of
from engine.gan_metrics import grid_densities, grid_divergences, mode_quality

# -- spec errors --------------------------------------------------------------------------

CIRCLE = {"dataset": "circle"}


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"generator": {"layers": [dense(3)]}}, "generator.layers", "shape [3]"),
        (
            {"data": {"dataset": "digits"}},
            "generator.layers",
            "real samples have shape [8, 8, 1]",
        ),
        (
            {"discriminator": {"layers": [dense(2, "sigmoid")]}},
            "discriminator.layers",
            "one number",
        ),
        (
            {"discriminator": {"layers": [dense(4), dense(1, "tanh")]}},
            "discriminator.layers[1].activation",
            "sigmoid",
        ),
        ({"gan_loss": "wasserstein"}, "gan_loss", "least_squares"),
        ({"noise": {"dim": 0}}, "noise.dim", "at least 1"),
        ({"noise": {"distribution": "cauchy"}}, "noise.distribution", "uniform"),
        ({"noise": {"size": 2}}, "noise.size", "unknown field"),
        ({"d_steps": 0}, "d_steps", "at least 1"),
        ({"g_steps": 1000}, "g_steps", "at most 100"),
        ({"d_optimizer": {"lr": -1}}, "d_optimizer.lr", "at least 0"),
        ({"g_optimizer": {"type": "lion"}}, "g_optimizer.type", "adam"),
        ({"model": {"layers": [dense(1)]}}, "model", '"generator" and "discriminator"'),
        ({"loss": "mse"}, "loss", "gan_loss"),
        ({"generator": None}, "generator", "must be an object"),
        ({"generator": {"layers": [dense(None)]}}, "generator.layers[0].units", "required"),
        ({"data": {"dataset": "python-source"}}, "data.dataset", "not 'python-source'"),
        ({"data": {"dataset": "circle", "features": ["x1", "x1^2"]}}, "data.features", "plane"),
    ],
)
def test_gan_spec_errors_name_the_field(changes, path, words):
    spec = points_spec()
    spec.update(changes)
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec)
    assert info.value.path == path, info.value
    assert words in info.value.message, info.value.message


def test_a_missing_network_is_named():
    spec = points_spec()
    del spec["discriminator"]
    with pytest.raises(SpecError) as info:
        Session.from_spec(spec)
    assert info.value.path == "discriminator" and "required" in info.value.message


def test_gan_fields_and_parts_belong_to_gans():
    supervised = {"data": CIRCLE, "model": {"layers": [dense(1, "sigmoid")]}}
    with pytest.raises(SpecError) as info:
        Session.from_spec({**supervised, "gan_loss": "minimax"})
    assert info.value.path == "gan_loss"
    s = Session.from_spec(supervised)
    for call, path in (
        (lambda: s.step(steps=1, part="d"), "part"),
        (lambda: s.set({"d_steps": 2}), "d_steps"),
    ):
        with pytest.raises(SpecError) as info:
            call()
        assert info.value.path == path
    for name in GENERATIVE:
        with pytest.raises(SpecError) as info:
            Session.from_spec({**supervised, "data": {"dataset": name}})
        assert info.value.path == "objective" and "adversarial" in info.value.message
    gan = Session.from_spec(points_spec())
    for kwargs, path in (
        ({"steps": 1, "part": "both"}, "part"),
        ({"epochs": 1, "part": "g"}, "part"),
    ):
        with pytest.raises(SpecError) as info:
            gan.step(**kwargs)
        assert info.value.path == path
    with pytest.raises(SpecError) as info:
        gan.set({"gan_loss": "minimax", "discriminator": {}})
    assert info.value.path == "discriminator"  # not a live field


def test_defaults_fill_a_minimal_gan_spec_and_round_trip():
    s = Session.from_spec(
        {
            "objective": "adversarial",
            "data": {"dataset": "gan-ring"},
            "generator": {"layers": [dense(4), dense(2, "linear")]},
            "discriminator": {"layers": [dense(4), dense(1, "sigmoid")]},
        }
    )
    spec = s.spec
    assert spec["noise"] == {"dim": 2, "distribution": "uniform"}
    assert (spec["gan_loss"], spec["d_steps"], spec["g_steps"]) == ("non_saturating", 1, 1)
    assert spec["d_optimizer"] == spec["g_optimizer"] == spec["optimizer"]
    assert spec["optimizer"]["type"] == "adam" and spec["optimizer"]["beta1"] == 0.5
    assert spec["data"]["test_fraction"] == 0.0 and "model" not in spec and "loss" not in spec
    assert Session.from_spec(spec).spec == spec


def test_drawn_points_are_real_data_without_labels():
    X = [[0.1 * i, 0.05 * i] for i in range(20)]
    s = Session.from_spec(points_spec(data={"dataset": "inline", "X": X, "view": [0, 2]}))
    assert s.data.X_train.shape == (20, 2) and s.objective.plane == (0.0, 2.0)
    assert s.objective.mixture is None
    m = s.step(epochs=1)
    assert m["kl"] is not None and m["modes"] is None


# -- the metrics, by hand -----------------------------------------------------------------

VIEW = (0.0, 1.0)


def test_grid_densities_count_cells_and_the_outside():
    points = np.array([[0.05, 0.05], [0.95, 0.05], [0.05, 0.95], [0.55, 0.55], [1.5, 0.5]])
    d = grid_densities(points, VIEW, 2)
    # cells row by y, column by x: (0,0) (1,0) (0,1) (1,1), then outside
    np.testing.assert_allclose(d, [0.2, 0.2, 0.2, 0.2, 0.2])


def test_divergences_are_zero_for_the_same_points_and_near_one_bit_apart():
    rng = np.random.default_rng(0)
    real = rng.uniform(0, 0.5, (400, 2))
    kl, js = grid_divergences(real, real.copy(), VIEW, 10)
    assert kl == pytest.approx(0, abs=1e-12) and js == pytest.approx(0, abs=1e-12)
    kl, js = grid_divergences(real, real + 0.5, VIEW, 10)
    assert 0.97 < js < 1.0  # disjoint: one bit, less the smoothing of 101 cells
    assert kl > 5
    # half the fakes on the real points, half elsewhere: by hand on 2 cells
    kl, js = grid_divergences(
        np.array([[0.2, 0.2]] * 2), np.array([[0.2, 0.2], [0.7, 0.2]]), VIEW, 2
    )
    p, q = np.array([1, 0, 0, 0, 0]) + 1e-4, np.array([0.5, 0.5, 0, 0, 0]) + 1e-4
    m = (p + q) / 2
    assert kl == pytest.approx(np.sum(p * np.log2(p / q)))
    assert js == pytest.approx(0.5 * (np.sum(p * np.log2(p / m)) + np.sum(q * np.log2(q / m))))


def test_modes_covered_and_high_quality_share():
    centres, stds = MIXTURES["eight-gaussians"]({"std": 0.02, "noise": 0.0})
    assert centres.shape == (8, 2) and np.allclose(np.hypot(*centres.T), 2.0)
    on_all = np.repeat(centres, 100, axis=0)
    assert mode_quality(on_all, centres, stds)[:2] == (8, 1.0)
    collapsed = np.repeat(centres[:1], 800, axis=0) + 0.01
    covered, quality, counts = mode_quality(collapsed, centres, stds)
    assert (covered, quality) == (1, 1.0) and counts[0] == 800
    far = np.zeros((100, 2))  # the circle's centre: 100σ from every mode
    assert mode_quality(far, centres, stds)[:2] == (0, 0.0)
    # within 3σ counts, beyond does not; a mode needs 0.8% of the points to count
    edge = centres[[0, 1]] + [[0.0, 0.059], [0.061, 0.0]]
    mixed = np.concatenate([edge, np.repeat(centres[2:3], 998, axis=0)])
    covered, quality, counts = mode_quality(mixed, centres, stds)
    assert counts.tolist()[:3] == [1, 0, 998] and quality == pytest.approx(0.999)
    assert covered == 1  # 1 of 1,000 points is below 0.8%


def test_anisotropic_modes_use_each_axis_spread():
    centres, stds = np.array([[0.0, 0.0]]), np.array([[0.1, 1.0]])
    points = np.array([[0.29, 0.0], [0.0, 2.9], [0.31, 0.0], [0.0, 3.1]])
    assert mode_quality(points, centres, stds)[1] == 0.5


@pytest.mark.parametrize("name", GENERATIVE)
def test_gan_distributions_draw_their_shapes(name):
    X, y = DATASETS[name].generate(np.random.default_rng(0), {"n_samples": 4000})
    low, high = DATASETS[name].view
    assert X.shape == (4000, 2) and ((X > low) & (X < high)).mean() > 0.99
    mixture = mixture_of({"dataset": name, "params": {"noise": 0.0, "std": 0.02}})
    if mixture is not None:  # every point within 4σ of its own mode
        centres, stds = mixture
        z = (X - centres[y[:, 0].astype(int)]) / stds[y[:, 0].astype(int)]
        assert (np.hypot(*z.T) < 4.5).mean() > 0.99
        assert mode_quality(X, centres, stds)[0] == len(centres)


# -- views ----------------------------------------------------------------------------------


def test_gan_views_fit_only_gans_and_gans_only_theirs():
    gan, images = Session.from_spec(points_spec()), Session.from_spec(image_spec())
    assert {v.name for v in views.available(gan)} == {"gan_plane", "interpolate"}
    assert {v.name for v in views.available(images)} == {"gan_samples", "interpolate", "samples"}
    supervised = Session.from_spec({"data": CIRCLE, "model": {"layers": [dense(1, "sigmoid")]}})
    assert not {"gan_plane", "gan_samples", "interpolate"} & {
        v.name for v in views.available(supervised)
    }
    with pytest.raises(SpecError) as info:
        views.compute(gan, "boundary", {})
    assert info.value.path == "name" and "adversarial" in info.value.message


def test_gan_plane_draws_fixed_fakes_the_discriminator_and_the_manifold():
    s = Session.from_spec(points_spec(noise={"dim": 2, "distribution": "uniform"}))
    s.step(steps=10)
    p = views.compute(s, "gan_plane", {"resolution": 7, "fake": 50, "real": 20, "manifold": 4})
    assert p["fake"].shape == p["gradients"].shape == (50, 2) and p["real"].shape == (20, 2)
    assert p["discriminator"]["output"].shape == (7, 7)
    assert ((0 < p["discriminator"]["output"]) & (p["discriminator"]["output"] < 1)).all()
    assert p["manifold"]["points"].shape == (5, 5, 2) and p["manifold"]["noise_range"] == [-1, 1]
    corner = s.predict([[-1.0, -1.0]])[0]
    np.testing.assert_allclose(p["manifold"]["points"][0, 0], corner)
    again = views.compute(s, "gan_plane", {"resolution": 7, "fake": 50, "real": 20})
    assert np.array_equal(again["fake"], p["fake"])  # the same noise at every call
    s.step(steps=5, part="g")
    moved = views.compute(s, "gan_plane", {"resolution": 7, "fake": 50, "real": 20})
    assert not np.array_equal(moved["fake"], p["fake"])


def test_gan_samples_and_interpolation():
    s = Session.from_spec(image_spec())
    grid = views.compute(s, "gan_samples", {"rows": 2, "cols": 3})
    assert grid["images"].shape == (6, 8, 8, 1) and grid["d_output"].shape == (6,)
    assert np.array_equal(
        views.compute(s, "gan_samples", {"rows": 2, "cols": 3})["images"], grid["images"]
    )
    start, end = [0.0, 1.0, -1.0], [1.0, 0.0, 0.5]
    walk = views.compute(s, "interpolate", {"steps": 5, "start": start, "end": end})
    assert walk["samples"].shape == (5, 8, 8, 1)
    np.testing.assert_allclose(walk["samples"][[0, -1]], s.predict([start, end]))
    np.testing.assert_allclose(walk["noise"][2], [0.5, 0.5, -0.25])
    arc = {"steps": 3, "start": start, "end": [1.0, 0.0, 1.0], "path": "spherical"}
    middle = views.compute(s, "interpolate", arc)["noise"][1]
    assert np.linalg.norm(middle) == pytest.approx(np.sqrt(2))  # on the great circle
    with pytest.raises(SpecError) as info:
        views.compute(s, "interpolate", {"start": [1, 2]})
    assert info.value.path == "start" and "3 finite numbers" in info.value.message
