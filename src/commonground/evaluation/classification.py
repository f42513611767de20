"""Binary classification metrics of scores against 0/1 labels, each with its bootstrap interval.

A score at or above the threshold is a positive prediction. Precision, recall and F1 are 0 when their
denominator is (scikit-learn's `zero_division=0`); ROC-AUC is NaN with one class only, and the false-positive
rate is NaN without negatives. The detection and forecasting reports build on these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from scipy.stats import rankdata

from commonground.evaluation.bootstrap import RESAMPLES, Estimate, estimate

Labels = Sequence[int] | Sequence[bool] | np.ndarray
Scores = Sequence[float] | np.ndarray


def _counts(labels: Labels, scores: Scores, threshold: float) -> tuple[int, int, int, int]:
    """True positives, false positives, false negatives, true negatives."""
    actual = np.asarray(labels).astype(bool)
    flagged = np.asarray(scores, dtype=float) >= threshold
    tp = int(np.sum(actual & flagged))
    fp = int(np.sum(~actual & flagged))
    fn = int(np.sum(actual & ~flagged))
    return tp, fp, fn, len(actual) - tp - fp - fn


def accuracy(labels: Labels, scores: Scores, threshold: float) -> float:
    tp, fp, fn, tn = _counts(labels, scores, threshold)
    total = tp + fp + fn + tn
    return (tp + tn) / total if total else float("nan")


def precision(labels: Labels, scores: Scores, threshold: float) -> float:
    tp, fp, _, _ = _counts(labels, scores, threshold)
    return tp / (tp + fp) if tp + fp else 0.0


def recall(labels: Labels, scores: Scores, threshold: float) -> float:
    tp, _, fn, _ = _counts(labels, scores, threshold)
    return tp / (tp + fn) if tp + fn else 0.0


def f1(labels: Labels, scores: Scores, threshold: float) -> float:
    tp, fp, fn, _ = _counts(labels, scores, threshold)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def false_positive_rate(labels: Labels, scores: Scores, threshold: float) -> float:
    """Share of the negatives (label 0) scored at or above `threshold`."""
    _, fp, _, tn = _counts(labels, scores, threshold)
    return fp / (fp + tn) if fp + tn else float("nan")


def roc_auc(labels: Labels, scores: Scores) -> float:
    """The Mann–Whitney U of the positives' scores over n₁·n₀ (ties count half), from SciPy's ranks: equal to
    scikit-learn's `roc_auc_score`, many times faster on the thousand resamples of an interval."""
    actual = np.asarray(labels).astype(bool)
    positives, negatives = int(actual.sum()), int((~actual).sum())
    if not positives or not negatives:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=float))
    return float((ranks[actual].sum() - positives * (positives + 1) / 2) / (positives * negatives))


THRESHOLD_METRICS: dict[str, Callable[[Labels, Scores, float], float]] = {
    "accuracy": accuracy,
    "precision": precision,
    "recall": recall,
    "f1": f1,
    "fpr": false_positive_rate,
}


def binary_report(
    labels: Labels, scores: Scores, *, threshold: float, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, Estimate]:
    """ROC-AUC, accuracy, precision, recall, F1 and false-positive rate, each with its bootstrap interval."""
    actual, predicted = np.asarray(labels).astype(int), np.asarray(scores, dtype=float)
    report = {"roc_auc": estimate(roc_auc, actual, predicted, resamples=resamples, seed=seed)}
    for name, metric in THRESHOLD_METRICS.items():
        statistic = partial(metric, threshold=threshold)
        report[name] = estimate(statistic, actual, predicted, resamples=resamples, seed=seed)
    return report
