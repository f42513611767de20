"""The human-evaluation report: attention checks, agreement, mean ratings, win rates and Bradley–Terry scores.

Annotators whose share of passed attention checks is below `min_attention` are left out of everything
but the attention table. Every aggregate carries a 95 % bootstrap interval; undefined values are null.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from commonground.evaluation.bootstrap import RESAMPLES, mean
from commonground.evaluation.human.agreement import krippendorff_alpha
from commonground.evaluation.human.judgements import Judgement
from commonground.evaluation.human.preferences import Comparison, bradley_terry, win_rates
from commonground.evaluation.human.rubric import SCALE


def report(
    judgements: Sequence[Judgement], *, min_attention: float = 1.0, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, Any]:
    """Everything a researcher reads off a set of judgements, as JSON-ready data."""
    annotators = _annotators(judgements, min_attention=min_attention)
    kept = [j for j in judgements if j.attention is None and not annotators[j.annotator]["excluded"]]
    options = {"resamples": resamples, "seed": seed}
    comparisons = [
        Comparison(a=j.systems[0], b=j.systems[1], score=_score(j)) for j in kept if j.preference is not None
    ]
    result: dict[str, Any] = {
        "batches": sorted({j.batch for j in judgements}),
        "judgements": len(kept),
        "annotators": annotators,
        "agreement": _agreement(kept, **options),
        "ratings": _ratings(kept, **options),
    }
    if comparisons:
        result["win_rates"] = [rate.as_dict() for rate in win_rates(comparisons, **options)]
        result["bradley_terry"] = {
            system: score.as_dict() for system, score in bradley_terry(comparisons, **options).items()
        }
    return _nulls(result)


def _annotators(judgements: Sequence[Judgement], *, min_attention: float) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for annotator in sorted({j.annotator for j in judgements}):
        own = [j for j in judgements if j.annotator == annotator]
        checks = [j.attention for j in own if j.attention is not None]
        passed = sum(checks)
        table[annotator] = {
            "judgements": len(own) - len(checks),
            "attention_checks": len(checks),
            "attention_passed": passed,
            "excluded": bool(checks) and passed / len(checks) < min_attention,
        }
    return table


def _score(judgement: Judgement) -> float:
    return {judgement.systems[0]: 1.0, judgement.systems[1]: 0.0}.get(judgement.preference or "", 0.5)


def _criteria(judgements: Sequence[Judgement]) -> list[str]:
    seen: dict[str, None] = {}
    for judgement in judgements:
        for ratings in judgement.ratings.values():
            seen.update(dict.fromkeys(ratings))
    return list(seen)


def _agreement(judgements: Sequence[Judgement], **options: int) -> dict[str, Any]:
    agreement = {}
    for criterion in _criteria(judgements):
        codes = {
            (j.annotator, (j.batch, j.item, system)): float(ratings[criterion])
            for j in judgements
            for system, ratings in j.ratings.items()
            if criterion in ratings
        }
        agreement[criterion] = krippendorff_alpha(codes, level="ordinal", domain=SCALE, **options).as_dict()
    choices = sorted({j.preference for j in judgements if j.preference is not None})
    if choices:
        codes = {
            (j.annotator, (j.batch, j.item)): float(choices.index(j.preference))
            for j in judgements
            if j.preference is not None
        }
        domain = range(len(choices))
        agreement["preference"] = krippendorff_alpha(
            codes, level="nominal", domain=domain, **options
        ).as_dict()
    return agreement


def _ratings(judgements: Sequence[Judgement], **options: int) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for judgement in judgements:
        for system, ratings in judgement.ratings.items():
            for criterion, rating in ratings.items():
                values[system][criterion].append(float(rating))
    return {
        system: {criterion: mean(scores, **options).as_dict() for criterion, scores in by_criterion.items()}
        for system, by_criterion in sorted(values.items())
    }


def _nulls(value: Any) -> Any:
    """NaN (undefined) becomes None, so the report is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _nulls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nulls(item) for item in value]
    return value
