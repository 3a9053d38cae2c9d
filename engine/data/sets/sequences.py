"""Text and series: the built-in corpora and series, and a series with anomalies."""

from .. import anomalies, sequential
from ..info import DatasetInfo, param_table
from ..series import SERIES
from ..text import TEXT_CORPORA


def _text_set(corpus) -> DatasetInfo:
    def prepare(rng, params, test_fraction, path):
        text = corpus.text(rng, params)
        vocab = sequential.alphabet(corpus.name, params)
        return sequential.text_prepared(text, params["seq_len"], test_fraction, vocab, path)

    params = param_table(corpus.params)
    return DatasetInfo(
        name=corpus.name,
        title=corpus.title,
        description=corpus.description,
        kind="classification",
        modality="text",
        shape=(params["seq_len"].default,),
        params=params,
        default_test_fraction=0.1,
        view=None,
        generator=None,
        prepare=prepare,
        count=lambda p: p["chars"] // p["seq_len"],
        vocabulary=lambda p: sequential.alphabet(corpus.name, p),
    )


def _series_set(info) -> DatasetInfo:
    def prepare(rng, params, test_fraction, path):
        return sequential.series_prepared(
            info.values(rng, params),
            params["input_length"],
            params["horizon"],
            test_fraction,
            info.season_for(params),
            path,
            bool(params["relative"]),
        )

    params = param_table(info.params)
    return DatasetInfo(
        name=info.name,
        title=info.title,
        description=info.description,
        kind="regression",
        modality="sequence",
        shape=(params["input_length"].default, 1),
        params=params,
        default_test_fraction=info.default_test_fraction,
        view=None,
        generator=None,
        prepare=prepare,
        count=lambda p: p.get("n_points") or len(info.values(None, p)),
    )


ALL = [_text_set(corpus) for corpus in TEXT_CORPORA.values()]
ALL += [_series_set(info) for info in SERIES.values()]


def _injected(rng, params, test_fraction, path):
    start = round(params["n_points"] * (1 - test_fraction))
    values, kinds = anomalies.injected(
        rng, params["n_points"], params["noise"], params["period"], params["anomalies"], start
    )
    X_train, y_train, X_test, y_test = anomalies.windows(
        values, kinds, params["input_length"], test_fraction, path
    )
    return sequential.Prepared(X_train, X_train, X_test, X_test, labels=(y_train, y_test))


ALL.append(
    DatasetInfo(
        name="series-anomalies",
        title="Series with anomalies",
        description="A seasonal series whose held-out half has spikes, level shifts and "
        "changed seasons injected; windows labelled by kind, for an autoencoder to score.",
        kind="classification",
        modality="sequence",
        shape=(48, 1),
        params=param_table(
            {
                "n_points": ("int", 4000, 200, 20_000, "Length of the series."),
                "noise": ("float", 0.1, 0.0, 1.0, "Standard deviation of the Gaussian noise."),
                "period": ("int", 24, 4, 200, "Steps in one season."),
                "anomalies": ("int", 12, 0, 200, "Anomalies injected in the held-out part."),
                "input_length": ("int", 48, 4, 400, "Steps in a window."),
            }
        ),
        default_test_fraction=0.5,
        view=None,
        generator=None,
        fixed_classes=len(anomalies.KINDS),
        class_names=anomalies.KINDS,
        prepare=_injected,
        count=lambda p: 2 * p["n_points"] // max(p["input_length"] // 2, 1),
    )
)
