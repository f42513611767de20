"""Detection quality of scores against labels, overall and per language, with bootstrap intervals.

`detection_report` gives ROC-AUC, accuracy, precision, recall, F1 and false-positive rate at a threshold
(`evaluation/classification.py`), overall and per language, and, when the data name the identity a civil
text mentions, the false-positive rate per identity on those civil texts. `identity_report` measures the
same on the civil template sentences of `signals/incivility/fairness.py`, per language and identity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from commonground.evaluation.bootstrap import RESAMPLES, Estimate, mean
from commonground.evaluation.classification import Labels, Scores, binary_report
from commonground.signals.incivility.fairness import TEMPLATES, identity_sentences

Scorer = Callable[[list[str], str], list[float]]
"""Scores of texts in a given language."""


def detection_report(
    labels: Labels,
    scores: Scores,
    *,
    threshold: float,
    langs: Sequence[str] | None = None,
    identities: Sequence[str | None] | None = None,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """Metrics overall, per language (`langs`, one per text) and per identity (`identities`: the identity
    each text mentions, or None), each metric an Estimate."""
    actual, predicted = np.asarray(labels).astype(int), np.asarray(scores, dtype=float)
    options = {"threshold": threshold, "resamples": resamples, "seed": seed}
    report: dict[str, Any] = {"threshold": threshold, "overall": _group(actual, predicted, **options)}
    if langs is not None:
        report["by_lang"] = {
            lang: _group(actual[rows], predicted[rows], **options) for lang, rows in _indices(langs).items()
        }
    if identities is not None:
        civil = [identity if label == 0 else None for identity, label in zip(identities, actual, strict=True)]
        report["by_identity"] = {
            identity: {"fpr": mean(predicted[rows] >= threshold, resamples=resamples, seed=seed)}
            for identity, rows in _indices(civil).items()
        }
    return report


def identity_flags(score: Scorer, threshold: float) -> dict[str, dict[str, list[bool]]]:
    """Per language and identity, whether `score` flags each template sentence at `threshold`."""
    flags: dict[str, dict[str, list[bool]]] = {}
    for lang in TEMPLATES:
        pairs = identity_sentences(lang)
        by_identity: dict[str, list[bool]] = defaultdict(list)
        for (identity, _), value in zip(pairs, score([s for _, s in pairs], lang), strict=True):
            by_identity[identity].append(value >= threshold)
        flags[lang] = dict(by_identity)
    return flags


def identity_false_positive_rates(score: Scorer, threshold: float) -> dict[str, float]:
    """Per language, the share of the template sentences that `score` flags at `threshold`."""
    return {
        lang: float(np.mean([flag for flags in by_identity.values() for flag in flags]))
        for lang, by_identity in identity_flags(score, threshold).items()
    }


def identity_report(
    score: Scorer, threshold: float, *, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Per language, the false-positive rate on the template sentences, in all and per identity."""
    report = {}
    for lang, by_identity in identity_flags(score, threshold).items():
        every = [flag for flags in by_identity.values() for flag in flags]
        report[lang] = {
            "fpr": mean(every, resamples=resamples, seed=seed),
            "by_identity": {
                identity: mean(flags, resamples=resamples, seed=seed)
                for identity, flags in by_identity.items()
            },
        }
    return report


def _group(
    labels: np.ndarray, scores: np.ndarray, *, threshold: float, resamples: int, seed: int
) -> dict[str, int | Estimate]:
    metrics = binary_report(labels, scores, threshold=threshold, resamples=resamples, seed=seed)
    return {"n": len(labels), "positives": int(labels.sum()), **metrics}


def _indices(keys: Sequence[str | None]) -> dict[str, np.ndarray]:
    """Row indices per key, keys sorted; rows whose key is None are left out."""
    rows: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if key is not None:
            rows[key].append(index)
    return {key: np.array(rows[key]) for key in sorted(rows)}
