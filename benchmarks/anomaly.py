"""The anomaly lab on digits: each digit held out in turn, the autoencoder against PCA.

    .venv/bin/python -m benchmarks.anomaly [--epochs 60]

For each digit d, the digits-anomaly preset's autoencoder trains on the nine other
digits for `--epochs` epochs, and the test set (all ten) is scored by reconstruction
error; PCA with as many components as the code is fitted on the same training data.
Prints the ROC AUC of both for every digit and their means (the target: the
autoencoder's mean above PCA's). One run, one thread.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time

import numpy as np

from engine import Session, views
from engine.presets import get_preset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    rows = []
    start = time.perf_counter()
    for digit in range(10):
        spec = get_preset("digits-anomaly")["spec"]
        spec["data"]["normal_classes"] = [d for d in range(10) if d != digit]
        s = Session.from_spec(spec)
        s.step(epochs=args.epochs)
        lab = views.compute(s, "anomaly", {})
        rows.append((lab["model"]["auc"], lab["pca"]["auc"]))
        print(
            f"  digit {digit} held out: autoencoder AUC {rows[-1][0]:.3f}, PCA ({lab['pca']['components']} components) {rows[-1][1]:.3f}"
        )
    ae, pca = np.mean(rows, axis=0)
    verdict = "autoencoder better" if ae > pca else "PCA better"
    print(
        f"mean over the ten digits: autoencoder {ae:.3f}, PCA {pca:.3f} ({verdict}; {time.perf_counter() - start:.0f} s)"
    )


if __name__ == "__main__":
    main()
