"""Training of the derailment forecaster on Conversations Gone Awry (ChangeMyView), fixed held-out split.

python -m commonground.signals.derailment_training --incivility accurate|fast [--data FILE] [--out FILE]

One artefact per incivility detector mode, trained on that mode's scores; without `--incivility`, on the
conversational cues alone (to `--out`: no such artefact ships).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.datasets import ForecastCase, read_cga
from commonground.signals.derailment import (
    Z_CLIP,
    IncivilityFn,
    artefact_path,
    context_texts,
    cue_features,
    incivility_scorer,
)
from commonground.signals.incivility import IncivilityDetector

log = logging.getLogger(__name__)

DATA_PATH = DEVELOPMENT_DATA / "conversations-gone-awry-cmv" / "cmv_base_valid.json"
SPLIT_SEED = "commonground-derailment-split-1"
TEST_SHARE = 0.3
C_GRID = (0.03, 0.1, 0.3, 1.0)
CV_FOLDS = 5
CV_REPEATS = 3
COMMAND = "python -m commonground.signals.derailment_training"


def split_corpus(cases: Sequence[ForecastCase]) -> tuple[list[ForecastCase], list[ForecastCase]]:
    """Split into (train, held-out test), fixed once and never tuned on.

    Stratified: in each class, the 30 % of conversations with the lowest sha256 of `SPLIT_SEED:id` are held
    out.
    """
    train: list[ForecastCase] = []
    test: list[ForecastCase] = []
    for label in (False, True):
        group = sorted(
            (case for case in cases if case.derails is label),
            key=lambda case: hashlib.sha256(f"{SPLIT_SEED}:{case.id}".encode()).hexdigest(),
        )
        cut = round(len(group) * TEST_SHARE)
        test += group[:cut]
        train += group[cut:]
    return train, test


def feature_matrix(
    cases: Sequence[ForecastCase], *, incivility: IncivilityFn | None
) -> tuple[list[str], np.ndarray]:
    """Cue names and the cue matrix of the cases' contexts, exactly as `risk()` computes them."""
    features = [
        cue_features(texts, incivility(texts, [None] * len(texts)) if incivility else None)
        for texts in (context_texts(case.texts) for case in cases)
    ]
    names = list(features[0])
    return names, np.array([[row[name] for name in names] for row in features])


def train(
    cases: Sequence[ForecastCase], *, detector: IncivilityDetector | None, seed: int = 0
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Fit the model on `cases` alone, with the incivility scores of `detector` (None: cues only).

    The regularisation C is chosen by 3 x 5-fold stratified cross-validation, the decision threshold as the
    one that maximises accuracy over the pooled out-of-fold probabilities of that C. Returns the
    artefact's arrays and metadata.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    clip = FunctionTransformer(np.clip, kw_args={"a_min": -Z_CLIP, "a_max": Z_CLIP})

    incivility = incivility_scorer(detector) if detector else None
    names, features = feature_matrix(cases, incivility=incivility)
    labels = np.array([case.derails for case in cases])

    def out_of_fold(c: float) -> np.ndarray:
        model = make_pipeline(StandardScaler(), clip, LogisticRegression(C=c, max_iter=5000))
        return np.concatenate(
            [
                cross_val_predict(
                    model,
                    features,
                    labels,
                    cv=StratifiedKFold(CV_FOLDS, shuffle=True, random_state=seed + repeat),
                    method="predict_proba",
                )[:, 1]
                for repeat in range(CV_REPEATS)
            ]
        )

    pooled_labels = np.tile(labels, CV_REPEATS)
    probabilities = {c: out_of_fold(c) for c in C_GRID}
    cv_accuracy = {c: float(((p >= 0.5) == pooled_labels).mean()) for c, p in probabilities.items()}
    best_c = max(C_GRID, key=lambda c: cv_accuracy[c])
    thresholds = np.round(np.arange(0.30, 0.701, 0.01), 2)
    threshold_accuracy = [float(((probabilities[best_c] >= t) == pooled_labels).mean()) for t in thresholds]
    threshold = float(thresholds[int(np.argmax(threshold_accuracy))])

    scaler = StandardScaler().fit(features)
    final = LogisticRegression(C=best_c, max_iter=5000).fit(
        clip.transform(scaler.transform(features)), labels
    )
    arrays = {"mean": scaler.mean_, "scale": scaler.scale_, "coef": final.coef_[0]}
    meta = {
        "cue_names": names,
        "incivility": {"mode": detector.mode, "version": detector.version} if detector else None,
        "intercept": float(final.intercept_[0]),
        "threshold": threshold,
        "C": best_c,
        "cv_accuracy": {str(c): round(a, 4) for c, a in cv_accuracy.items()},
        "cv_accuracy_at_threshold": round(max(threshold_accuracy), 4),
        "cv": {"folds": CV_FOLDS, "repeats": CV_REPEATS, "seed": seed},
        "n_train": len(cases),
        "split": {"seed": SPLIT_SEED, "test_share": TEST_SHARE},
    }
    log.info("C=%s, cross-validated accuracy %.4f, threshold %.2f", best_c, cv_accuracy[best_c], threshold)
    return arrays, meta


def save_artefact(arrays: dict[str, np.ndarray], meta: dict[str, Any], path: Path) -> None:
    """Write the arrays as `.npz` and the metadata, named after the file, as `.json` beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    named = {"name": path.stem, **meta}
    path.with_suffix(".json").write_text(json.dumps(named, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    """Train on the training split of the corpus and write the artefact."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="the cmv_base_valid.json file")
    parser.add_argument(
        "--incivility",
        choices=("accurate", "fast"),
        help="add the scores of the incivility detector in this mode (without: conversational cues only)",
    )
    parser.add_argument("--out", type=Path, help="the .npz to write (default: the shipped one of the mode)")
    args = parser.parse_args()
    if args.incivility is None and args.out is None:
        parser.error("no artefact without incivility ships: give --out")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    train_cases, _ = split_corpus(read_cga(script_data(args.data)))
    detector = IncivilityDetector.load(args.incivility) if args.incivility else None
    arrays, meta = train(train_cases, detector=detector)
    meta["command"] = f"{COMMAND} {shlex.join(sys.argv[1:])}".strip()
    meta["data_sha256"] = hashlib.sha256(args.data.read_bytes()).hexdigest()
    out = args.out or artefact_path(args.incivility)
    save_artefact(arrays, meta, out)
    log.info("wrote %s", out)


if __name__ == "__main__":
    main()
