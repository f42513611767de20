"""Opinion fidelity of rephrasings: does the rewrite keep the author's stance and claims?

Per item, next to STA, SIM (and its raw cosine), FL and J of `evaluation.rephrasing`:
- `judged`: the entailment judge's score of the rewrite against the original (`tasks.entailment`: 1 when
  it entails the original with the same stance, 0.5 when it keeps the stance but leaves out or adds a
  claim, 0 when it contradicts the original, reverses or loses its stance), with the judge's `relation`
  and `stance`. Null without a model.
- `claims`: the share of the original's checkable claims the rewrite keeps — every number, every name
  (`tasks.checks`), and its polarity (a negation in both texts, or in neither). `lost` lists the rest.
- `content`: the share of the original's content words the rewrite keeps (`checks.support`); a diagnostic
  only, since insults ought to go.
- `length_ratio`: characters of the rewrite over characters of the original.
- `fidelity` = judged × claims (claims alone without a model).
FL is defined for English only: for other languages it is null and J = STA·SIM.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from commonground.evaluation.rephrasing import Fluency, score_rephrasings
from commonground.evaluation.report import ItemError, Report, means
from commonground.llm.base import Model
from commonground.llm.embedded import SMOLLM2_135M
from commonground.signals.incivility import IncivilityDetector
from commonground.signals.language import detect_language
from commonground.tasks import checks
from commonground.tasks.entailment import judge
from commonground.tasks.entailment.judge import Relation, Stance
from commonground.tasks.rephrase.examples import PARADETOX_EXAMPLES

NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|nobody|none|neither|nor|without|cannot|ne|pas|jamais|rien|aucun\w*|"
    r"nicht|kein\w*|nie|niemals|nichts|nunca|nada|nadie|ningun\w*|tampoco)\b|n ?['’]t\b",
    re.IGNORECASE,
)
FLUENCY_REFERENCES = 200
AGGREGATED = ("sta", "sim", "cosine", "fl", "j", "judged", "claims", "content", "length_ratio", "fidelity")


class RephrasingPair(BaseModel):
    id: str
    text: str = Field(min_length=1)
    rephrased: str = Field(min_length=1)
    lang: str | None = None


class RephrasingItem(BaseModel):
    id: str
    text: str
    rephrased: str
    lang: str | None
    sta: float
    sim: float
    cosine: float
    fl: float | None
    j: float
    relation: Relation | None = None
    stance: Stance | None = None
    judged: float | None = None
    claims: float
    lost: list[str]
    content: float
    length_ratio: float
    fidelity: float


def claims_kept(source: str, output: str) -> tuple[float, list[str]]:
    """The share of the source's numbers, names and polarity that `output` keeps, and those it lost."""
    numbers = {n.replace(",", "") for n in checks.NUMBER.findall(output)}
    vocabulary = set(checks.words(output))
    claims = [
        (n, n in numbers) for n in dict.fromkeys(n.replace(",", "") for n in checks.NUMBER.findall(source))
    ]
    claims += [(name, name.lower() in vocabulary) for name in dict.fromkeys(checks.names(source))]
    negated = bool(NEGATION.search(source))
    claims.append(("negation" if negated else "no negation", negated == bool(NEGATION.search(output))))
    lost = [claim for claim, kept in claims if not kept]
    return 1 - len(lost) / len(claims), lost


def reference_fluency(cache_dir: Path) -> Fluency:
    """FL against the human rewrites of the shipped English examples (ParaDetox training split)."""
    lines = PARADETOX_EXAMPLES.read_text(encoding="utf-8").splitlines()
    references = [json.loads(line)["rewrite"] for line in lines if line.strip()][:FLUENCY_REFERENCES]
    return Fluency(SMOLLM2_135M.path(cache_dir), references)


def lexical_items(
    pairs: Sequence[RephrasingPair], *, detector: IncivilityDetector, fluency: Fluency | None = None
) -> list[RephrasingItem]:
    """Every score but the judge's, for all pairs at once (FL on the English ones when `fluency` is given)."""
    if not pairs:
        return []
    sources, outputs = [p.text for p in pairs], [p.rephrased for p in pairs]
    langs = [p.lang or detect_language(p.text).lang for p in pairs]
    scores = score_rephrasings(sources, outputs, detector=detector, langs=langs)
    english = np.array([lang == "en" for lang in langs]) & (fluency is not None)
    fl = np.ones(len(pairs))
    if fluency is not None and english.any():
        fl[english] = fluency([o for o, is_english in zip(outputs, english, strict=True) if is_english])
    scores = replace(scores, fl=fl)
    items = []
    for index, (pair, lang) in enumerate(zip(pairs, langs, strict=True)):
        claims, lost = claims_kept(pair.text, pair.rephrased)
        items.append(
            RephrasingItem(
                id=pair.id,
                text=pair.text,
                rephrased=pair.rephrased,
                lang=lang,
                sta=float(scores.sta[index]),
                sim=float(scores.sim[index]),
                cosine=float(scores.cosine[index]),
                fl=float(fl[index]) if english[index] else None,
                j=float(scores.j[index]),
                claims=claims,
                lost=lost,
                content=checks.support(pair.text, pair.rephrased),
                length_ratio=len(pair.rephrased.strip()) / len(pair.text.strip()),
                fidelity=claims,
            )
        )
    return items


def judged_item(model: Model, item: RephrasingItem) -> RephrasingItem:
    """`item` with the entailment judge's verdict and the fidelity it gives."""
    verdict = judge(model, item.text, item.rephrased).value
    return item.model_copy(
        update={
            "relation": verdict.relation,
            "stance": verdict.stance,
            "judged": verdict.score,
            "fidelity": verdict.score * item.claims,
        }
    )


def fidelity_report(
    items: Sequence[RephrasingItem], *, errors: Sequence[ItemError] = ()
) -> Report[RephrasingItem]:
    """The items with the mean of every score and its bootstrap interval."""
    return Report[RephrasingItem](items=list(items), aggregate=means(items, AGGREGATED), errors=list(errors))
