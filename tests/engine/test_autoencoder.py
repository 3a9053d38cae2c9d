"""Autoencoders: the targets are the inputs, denoising draws from the session's stream,
an anomaly split trains on the normal classes only, the latent and decode views agree
with the model, and the anomaly metrics equal hand-computed values."""

import numpy as np
import pytest

from engine import Session, SpecError, anomaly, views
from engine.presets import get_preset


def preset(name: str, **changes) -> Session:
    spec = get_preset(name)["spec"]
    spec.update(changes)
    return Session.from_spec(spec)


# -- the metrics, by hand -----------------------------------------------------------------

SCORES = np.array([0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.1])
POSITIVE = np.array([1, 1, 0, 1, 0, 0, 1, 0], dtype=bool)


def test_roc_curve_and_auc_by_hand():
    fpr, tpr, thresholds = anomaly.roc_curve(SCORES, POSITIVE)
    # walking down the scores: P P N P N N P N (4 positives, 4 negatives)
    np.testing.assert_allclose(tpr, [0, 0.25, 0.5, 0.5, 0.75, 0.75, 0.75, 1.0, 1.0])
    np.testing.assert_allclose(fpr, [0, 0, 0, 0.25, 0.25, 0.5, 0.75, 0.75, 1.0])
    assert thresholds[0] == np.inf and thresholds[1] == 0.9
    # pairs (positive, negative) ranked right: 4 + 4 + 3 + 1 of 16
    assert anomaly.auc(fpr, tpr) == pytest.approx(12 / 16)


def test_ties_make_one_roc_point_and_count_half():
    fpr, tpr, _ = anomaly.roc_curve(np.array([0.5, 0.5]), np.array([True, False]))
    np.testing.assert_allclose(fpr, [0, 1])
    np.testing.assert_allclose(tpr, [0, 1])
    assert anomaly.auc(fpr, tpr) == 0.5


def test_precision_recall_and_f1_at_a_threshold_by_hand():
    m = anomaly.at_threshold(SCORES, POSITIVE, 0.6)  # called: 0.9 0.8 0.7 0.6
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (3, 1, 1, 3)
    assert m["precision"] == 0.75 and m["recall"] == 0.75 and m["f1"] == pytest.approx(0.75)
    none = anomaly.at_threshold(SCORES, POSITIVE, 2.0)
    assert none["precision"] == 1.0 and none["recall"] == 0.0 and none["f1"] == 0.0


def test_pca_with_every_component_reconstructs_exactly_and_with_one_keeps_the_main_axis():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3)) @ np.diag([5.0, 1.0, 0.1])
    np.testing.assert_allclose(anomaly.PCA(X, 3).scores(X), 0.0, atol=1e-20)
    one = anomaly.PCA(X, 1)
    assert abs(one.components[0, 0]) == pytest.approx(1.0, abs=1e-2)
    assert one.explained[0] > 0.9


# -- sessions ------------------------------------------------------------------------------


def test_the_targets_are_the_inputs_and_the_loss_is_their_mean_squared_error():
    s = preset("digits-autoencoder")
    assert s.data.y_train is s.data.X_train and s.data.task == "regression"
    s.step(epochs=2)
    out = s.objective.predict(s.data.X_test)
    assert s.metrics(evaluate=True)["test_loss"] == pytest.approx(
        float(np.mean((out - s.data.X_test) ** 2)), rel=1e-5
    )
    assert s.metrics()["train_accuracy"] is None


def test_denoising_draws_noise_while_training_only_and_resumes_bit_identically(tmp_path):
    clean, noisy = preset("digits-autoencoder"), preset("digits-autoencoder")
    noisy.objective.input_noise = 0.3
    clean.step(steps=3)
    noisy.step(steps=3)
    assert not np.array_equal(clean.model.params, noisy.model.params)
    s = preset("digits-conv-autoencoder")
    s.step(steps=4)
    s.save(tmp_path / "s")
    t = Session.load(tmp_path / "s")
    s.step(steps=3)
    t.step(steps=3)
    np.testing.assert_array_equal(s.model.params, t.model.params)
    # evaluation reads clean inputs: the same loss twice
    assert s.metrics(evaluate=True)["test_loss"] == s.objective.evaluate()["test_loss"]


def test_an_anomaly_split_trains_on_the_normal_classes_and_tests_on_all():
    s = preset("digits-anomaly")
    train = set(s.data.labels_train[:, 0].astype(int))
    test = set(s.data.labels_test[:, 0].astype(int))
    assert 7 not in train and len(train) == 9 and 7 in test and len(test) == 10


def test_the_anomaly_view_scores_what_the_metrics_give():
    s = preset("digits-anomaly")
    s.step(epochs=5)
    lab = views.compute(s, "anomaly", {"threshold": 0.05})
    positive = lab["labels"] == 7
    np.testing.assert_array_equal(lab["anomalous"], positive)
    scores = lab["model"]["scores"]
    np.testing.assert_allclose(scores, s.objective.scores(s.data.X_test))
    m = anomaly.at_threshold(scores, positive, 0.05)
    assert lab["model"]["precision"] == m["precision"] and lab["model"]["recall"] == m["recall"]
    assert 0.5 < lab["model"]["auc"] <= 1.0 and lab["pca"]["components"] == 2
    counts = lab["model"]["histogram"]
    assert counts["normal"].sum() + counts["anomalous"].sum() == len(scores)
    default = views.compute(s, "anomaly", {})["model"]["threshold"]
    assert default == pytest.approx(np.percentile(s.objective.scores(s.data.X_train), 95))


def test_decoding_a_samples_own_code_gives_its_reconstruction():
    s = preset("digits-autoencoder")
    s.step(epochs=3)
    plane = views.compute(s, "latent", {})
    assert plane["projection"] == "direct" and plane["points"].shape == (len(s.data.X_test), 2)
    out = views.compute(s, "decode", {"point": plane["points"][5].tolist()})["output"]
    np.testing.assert_allclose(out, s.objective.predict(s.data.X_test[5:6])[0], atol=1e-5)


def test_a_wide_code_is_drawn_by_its_principal_components_and_decodes_through_them():
    s = preset("digits-conv-autoencoder")
    s.step(steps=20)
    plane = views.compute(s, "latent", {})
    assert plane["projection"] == "pca" and plane["code_size"] == 16
    out = views.compute(s, "decode", {"point": [0.0, 0.0]})
    assert out["output"].shape == (8, 8, 1) and out["code"].shape == (16,)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"objective": "supervised"}, "reconstruction"),
        ({"reconstruction": {"bottleneck": "nope"}}, "reconstruction.bottleneck"),
        ({"reconstruction": {"noise": -1}}, "reconstruction.noise"),
        ({"data": {"dataset": "digits", "normal_classes": [10]}}, "data.normal_classes"),
        ({"data": {"dataset": "digits", "normal_classes": list(range(10))}}, "data.normal_classes"),
    ],
)
def test_autoencoder_spec_errors_name_the_field(change, path):
    spec = get_preset("digits-anomaly")["spec"]
    spec.update(change)
    with pytest.raises(SpecError) as caught:
        Session.from_spec(spec)
    assert caught.value.path == path


def test_injected_anomalies_lie_in_the_held_out_part_and_label_their_windows():
    from engine.data import anomalies

    rng = np.random.default_rng(0)
    values, kinds = anomalies.injected(rng, 1000, 0.1, 24, 10, start=500)
    assert not kinds[:500].any() and kinds[500:].any()
    X_train, y_train, _, y_test = anomalies.windows(values, kinds, 48, 0.5)
    assert not y_train.any() and set(np.unique(y_test)) <= {0, 1, 2, 3}
    first = np.flatnonzero(kinds[500 : 500 + 48])
    assert y_test[0, 0] == (kinds[500 + first[0]] if len(first) else 0)
    assert X_train.shape[1:] == (48, 1) and abs(X_train.mean()) < 0.2


def test_the_series_anomaly_lab_scores_windows_and_refuses_a_supervised_model():
    s = preset("series-anomaly")
    assert s.data.modality == "sequence" and not s.data.labels_train.any()
    s.step(epochs=3)
    lab = views.compute(s, "anomaly", {})
    assert len(lab["model"]["scores"]) == len(s.data.X_test)
    spec = get_preset("series-anomaly")["spec"]
    spec["objective"] = "supervised"
    del spec["reconstruction"], spec["data"]["normal_classes"]
    with pytest.raises(SpecError) as caught:
        Session.from_spec(spec)
    assert caught.value.path == "objective"


def test_a_forecasting_series_is_not_an_autoencoders_data_and_says_so():
    spec = get_preset("digits-autoencoder")["spec"]
    spec["data"] = {"dataset": "sine"}
    with pytest.raises(SpecError, match="'sine' data is for 'supervised'") as caught:
        Session.from_spec(spec)
    assert caught.value.path == "objective"
