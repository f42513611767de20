"""Translation fidelity per language pair: back-translation similarity and stance preservation.

Per item, the text is translated into the target language (or the given translation is used) and back
into the source language, each time with the translate task's prompt and the model's own greedy answer
(no retry, no fallback: the model is what is measured). Then:
- `cross_cosine`: the cross-lingual multilingual-e5 cosine of the source and the translation, and `cross`,
  the same rescaled as the translate task's fidelity check (0.78 → 0, 0.90 → 1, clipped).
- `back_cosine`: the cosine of the source and the back-translation, and `back_sim`, rescaled as SIM of
  `evaluation.rephrasing` (0.79 → 0, 0.93 → 1, clipped).
- `judged`: the entailment judge's score of the back-translation against the source (1 same meaning and
  stance, 0.5 a claim left out or added, 0 contradicted, reversed or lost), with the judge's `relation`
  and `stance`.
- `in_target`: whether the translation passes the translate task's language check.
- `fidelity` = judged × back_sim when the translation is in the target language, else 0.
The report's `pairs` holds the aggregates of each language pair ("en-fr").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from commonground.core.errors import InputError
from commonground.evaluation.bootstrap import Estimate
from commonground.evaluation.rephrasing import SIM_ONE, SIM_ZERO
from commonground.evaluation.report import ItemError, Report, means
from commonground.llm.base import Model
from commonground.signals.language import detect_language
from commonground.tasks.entailment import judge
from commonground.tasks.entailment.judge import Relation, Stance
from commonground.tasks.similarity import similarity
from commonground.tasks.translate.task import (
    FIDELITY_ONE,
    FIDELITY_ZERO,
    TranslateRequest,
    TranslateTask,
    Translation,
)

AGGREGATED = ("cross_cosine", "cross", "back_cosine", "back_sim", "judged", "in_target", "fidelity")


class TranslationPair(BaseModel):
    id: str
    text: str = Field(min_length=1)
    target: str = Field(min_length=2)
    lang: str | None = None
    translation: str | None = None


class TranslationItem(BaseModel):
    id: str
    pair: str
    translation: str
    back_translation: str
    cross_cosine: float
    cross: float
    back_cosine: float
    back_sim: float
    relation: Relation
    stance: Stance
    judged: float
    in_target: float
    fidelity: float


class TranslationReport(Report[TranslationItem]):
    pairs: dict[str, dict[str, Estimate]] = Field(default_factory=dict)


def _rescaled(value: float, zero: float, one: float) -> float:
    return float(np.clip((value - zero) / (one - zero), 0.0, 1.0))


def translate(model: Model, text: str, target: str) -> str:
    """The model's own translation of `text` into `target`, with the translate task's prompt."""
    prompt = TranslateTask().prompt(TranslateRequest(text, target=target))
    return model.structured(prompt, Translation).value.translation


def translation_item(
    model: Model, pair: TranslationPair, *, judge_model: Model | None = None
) -> TranslationItem:
    """Translate (unless given), translate back, and score one pair (the judge: `judge_model`, or `model`)."""
    source = pair.lang or detect_language(pair.text).lang
    if source is None:
        raise InputError(f"item {pair.id}: the source language is unclear; give its 'lang'")
    translation = pair.translation or translate(model, pair.text, pair.target)
    back = translate(model, translation, source)
    task = TranslateTask()
    checks = task.verify(
        TranslateRequest(pair.text, target=pair.target), Translation(translation=translation)
    )
    in_target = float(next(c.passed for c in checks if c.name == "language"))
    cross_cosine, back_cosine = similarity(pair.text, translation), similarity(pair.text, back)
    back_sim = _rescaled(back_cosine, SIM_ZERO, SIM_ONE)
    verdict = judge(judge_model or model, pair.text, back).value
    return TranslationItem(
        id=pair.id,
        pair=f"{source}-{pair.target.lower()}",
        translation=translation,
        back_translation=back,
        cross_cosine=cross_cosine,
        cross=_rescaled(cross_cosine, FIDELITY_ZERO, FIDELITY_ONE),
        back_cosine=back_cosine,
        back_sim=back_sim,
        relation=verdict.relation,
        stance=verdict.stance,
        judged=verdict.score,
        in_target=in_target,
        fidelity=in_target * verdict.score * back_sim,
    )


def translation_report(
    items: Sequence[TranslationItem], *, errors: Sequence[ItemError] = ()
) -> TranslationReport:
    """Means with bootstrap intervals over all items and per language pair."""
    by_pair: dict[str, list[TranslationItem]] = defaultdict(list)
    for item in items:
        by_pair[item.pair].append(item)
    return TranslationReport(
        items=list(items),
        aggregate=means(items, AGGREGATED),
        errors=list(errors),
        pairs={pair: means(group, AGGREGATED) for pair, group in sorted(by_pair.items())},
    )
