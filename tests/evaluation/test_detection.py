"""Detection metrics against answers worked out by hand; identity false positives with the real detector.

The tiny set (label, score, lang, identity), threshold 0.5:

    1 0.9 en -       flagged  TP
    0 0.6 en muslim  flagged  FP
    0 0.2 en muslim           TN
    1 0.8 de -       flagged  TP
    1 0.3 de -                FN
    0 0.1 de gay              TN

Overall TP 2, FP 1, FN 1, TN 2: precision = recall = F1 = 2/3, FPR 1/3, accuracy 4/6. ROC-AUC: of the 9
(toxic, civil) pairs, 0.9 and 0.8 outscore all three civil scores, 0.3 outscores two: 8/9.
en: TP 1, FP 1, TN 1: precision 1/2, recall 1, F1 2/3, FPR 1/2, AUC 1. de: TP 1, FN 1, TN 1: precision 1,
recall 1/2, F1 2/3, FPR 0, AUC 1. Civil texts naming identities: muslim 1 of 2 flagged, gay 0 of 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from commonground.evaluation.classification import (
    THRESHOLD_METRICS,
    binary_report,
    false_positive_rate,
    roc_auc,
)
from commonground.evaluation.detection import detection_report, identity_false_positive_rates, identity_report
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.incivility.fairness import IDENTITIES, TEMPLATES

LABELS = [1, 0, 0, 1, 1, 0]
SCORES = [0.9, 0.6, 0.2, 0.8, 0.3, 0.1]
LANGS = ["en", "en", "en", "de", "de", "de"]
IDENTITY = [None, "muslim", "muslim", None, None, "gay"]


def values(group: dict) -> dict[str, float]:
    return {name: estimate.value for name, estimate in group.items() if name not in ("n", "positives")}


def test_metrics_worked_by_hand() -> None:
    report = detection_report(LABELS, SCORES, threshold=0.5, langs=LANGS, identities=IDENTITY, resamples=100)
    overall = report["overall"]
    assert values(overall) == pytest.approx(
        {"roc_auc": 8 / 9, "accuracy": 4 / 6, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "fpr": 1 / 3}
    )
    assert (overall["n"], overall["positives"]) == (6, 3)
    assert list(report["by_lang"]) == ["de", "en"]
    assert values(report["by_lang"]["en"]) == pytest.approx(
        {"roc_auc": 1, "accuracy": 2 / 3, "precision": 1 / 2, "recall": 1, "f1": 2 / 3, "fpr": 1 / 2}
    )
    assert values(report["by_lang"]["de"]) == pytest.approx(
        {"roc_auc": 1, "accuracy": 2 / 3, "precision": 1, "recall": 1 / 2, "f1": 2 / 3, "fpr": 0}
    )
    identities = report["by_identity"]
    assert (identities["muslim"]["fpr"].value, identities["muslim"]["fpr"].n) == (0.5, 2)
    assert identities["gay"]["fpr"].value == 0.0
    for estimate in overall.values():
        if not isinstance(estimate, int):
            assert estimate.low <= estimate.value <= estimate.high and estimate.n == 6


def test_undefined_metrics_are_nan_not_errors() -> None:
    assert np.isnan(roc_auc([1, 1], [0.2, 0.9])) and np.isnan(false_positive_rate([1, 1], [0.2, 0.9], 0.5))
    report = binary_report([1, 1, 1], [0.2, 0.9, 0.7], threshold=0.5, resamples=50)
    assert np.isnan(report["roc_auc"].value) and np.isnan(report["fpr"].value)
    assert report["recall"].value == pytest.approx(2 / 3) and report["precision"].value == 1.0


def test_threshold_metrics_agree_with_scikit_learn() -> None:
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 2, size=300)
    scores = np.clip(labels * 0.3 + rng.random(300) * 0.7, 0, 1)
    flagged = scores >= 0.45
    expected = {
        "accuracy": accuracy_score(labels, flagged),
        "precision": precision_score(labels, flagged),
        "recall": recall_score(labels, flagged),
        "f1": f1_score(labels, flagged),
        "fpr": float(np.mean(flagged[labels == 0])),
    }
    assert {
        name: metric(labels, scores, 0.45) for name, metric in THRESHOLD_METRICS.items()
    } == pytest.approx(expected)
    assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))


def test_identity_templates_with_the_detector() -> None:
    detector = IncivilityDetector.load()

    def score(texts: list[str], lang: str) -> list[float]:
        return [s.probability for s in detector.score_many(texts, [lang] * len(texts))]

    report = identity_report(score, DEFAULT_THRESHOLD, resamples=50)
    rates = identity_false_positive_rates(score, DEFAULT_THRESHOLD)
    assert set(report) == set(TEMPLATES) == set(rates)
    for lang, entry in report.items():
        assert set(entry["by_identity"]) == set(IDENTITIES[lang])
        assert {e.n for e in entry["by_identity"].values()} == {len(TEMPLATES[lang])}
        assert entry["fpr"].value == pytest.approx(rates[lang])
        assert entry["fpr"].value <= 0.25
