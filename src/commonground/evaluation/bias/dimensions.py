"""Each dimension of the suite: how one item is run and scored, and how its items are aggregated.

An item's result is plain JSON (what the checkpoint keeps); aggregation reads results back into the
metric modules' own item types and reports (`evaluation.pluralism`, `fidelity`, `translation`,
`neutrality`), so the suite's figures are the `eval` commands' figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from commonground.core.errors import InputError
from commonground.core.transcripts import read_transcript
from commonground.deliberation.opinion_groups import opinion_map
from commonground.deliberation.polis import PolisExport, load_export
from commonground.evaluation import fidelity
from commonground.evaluation.bias.suite import Deliberation, Item, Rephrasing, Transcript, Translation
from commonground.evaluation.bootstrap import Estimate
from commonground.evaluation.neutrality import NeutralityItem, neutrality_item, neutrality_report
from commonground.evaluation.pluralism import deliberation_inputs, score_pluralism
from commonground.evaluation.rephrasing import Fluency
from commonground.evaluation.report import means
from commonground.evaluation.translation import (
    TranslationItem,
    TranslationPair,
    translation_item,
    translation_report,
)
from commonground.llm.base import Model
from commonground.signals.incivility import IncivilityDetector
from commonground.tasks.deliberation.task import DeliberationRequest, DeliberationTask, summary_record
from commonground.tasks.draft.task import DraftRequest
from commonground.tasks.rephrase import RephraseRequest, RephraseTask

PLURALISM = (
    "coverage",
    "coverage_cited",
    "coverage_meaning",
    "minority_ratio",
    "proportionality",
    "citation_validity",
    "llm_share",
)


class Tools:
    """What the items share: the model, the judge, the incivility detector and FL's scorer, each made once."""

    def __init__(
        self, model: Model, *, judge: Model | None = None, cache_dir: Path, fluency: bool = True
    ) -> None:
        self.model = model
        self.judge = judge or model
        self.cache_dir = cache_dir
        self.use_fluency = fluency

    @cached_property
    def detector(self) -> IncivilityDetector:
        return IncivilityDetector.load()

    @cached_property
    def fluency(self) -> Fluency | None:
        return fidelity.reference_fluency(self.cache_dir) if self.use_fluency else None


@cache
def _export(directory: Path) -> PolisExport:
    return load_export(directory)


def run_item(item: Item, tools: Tools) -> dict[str, Any]:
    """Run and score one item; a failed model call raises ModelError (an error entry for the runner)."""
    model = tools.model
    match item:
        case Deliberation(directory=directory, grouping=grouping):
            export = _export(directory)
            opinions = opinion_map(export, source="polis" if grouping == "polis" else "auto")
            result = DeliberationTask().run(model, DeliberationRequest(export, opinions))
            summary = summary_record(opinions, result)
            inputs = deliberation_inputs(summary, export, where=item.id)
            report = score_pluralism(inputs.groups, inputs.statements, inputs.sources)
            return {
                "id": item.id,
                "method": result.method,
                "fallback_reason": result.fallback_reason,
                "statements": summary["statements"],
                **report.public(),
            }
        case Rephrasing(text=text, lang=lang):
            rephrased = RephraseTask(detector=tools.detector).run(model, RephraseRequest(text, lang))
            if not rephrased.text.strip():  # nothing civil and fluent was made: no text to score
                raise InputError(f"no suggestion was made ({rephrased.fallback_reason})")
            pair = fidelity.RephrasingPair(id=item.id, text=text, rephrased=rephrased.text, lang=lang)
            scored = fidelity.lexical_items([pair], detector=tools.detector, fluency=tools.fluency)[0]
            judged = fidelity.judged_item(tools.judge, scored)
            return judged.model_dump(mode="json") | {"method": rephrased.method}
        case Translation(text=text, lang=lang, target=target):
            pair = TranslationPair(id=item.id, text=text, lang=lang, target=target)
            return translation_item(model, pair, judge_model=tools.judge).model_dump(mode="json")
        case Transcript(path=path, swaps=swaps):
            conversation = read_transcript(path)
            return neutrality_item(model, DraftRequest(conversation), swaps=swaps).model_dump(mode="json")
    raise TypeError(f"not an item of the suite: {item!r}")


def aggregate(
    dimension: str, results: Sequence[dict[str, Any]]
) -> tuple[dict[str, Estimate], dict[str, dict[str, Estimate]]]:
    """A dimension's means with bootstrap intervals, and the same per language or language pair."""
    if dimension == "pluralism":
        rows = [_pluralism_row(result) for result in results]
        return means(rows, PLURALISM), {}
    if dimension == "rephrase":
        items = [fidelity.RephrasingItem.model_validate(result) for result in results]
        report = fidelity.fidelity_report(items)
        llm = means([{"llm_share": float(r["method"] == "llm")} for r in results], ("llm_share",))
        by_lang: dict[str, list[fidelity.RephrasingItem]] = defaultdict(list)
        for item in items:
            by_lang[item.lang or "?"].append(item)
        breakdown = {lang: means(group, fidelity.AGGREGATED) for lang, group in sorted(by_lang.items())}
        return report.aggregate | llm, breakdown
    if dimension == "translation":
        translated = translation_report([TranslationItem.model_validate(result) for result in results])
        return translated.aggregate, translated.pairs
    if dimension == "neutrality":
        items = [NeutralityItem.model_validate(result) for result in results]
        return neutrality_report(items).aggregate, {}
    raise ValueError(f"unknown dimension {dimension!r}")


def _pluralism_row(result: dict[str, Any]) -> dict[str, float | None]:
    aggregate = result["aggregate"]
    return {
        "coverage": aggregate["coverage"]["value"],
        "coverage_cited": aggregate["coverage_cited"]["value"],
        "coverage_meaning": aggregate["coverage_meaning"]["value"],
        "minority_ratio": result["minority_ratio"],
        "proportionality": result["proportionality"],
        "citation_validity": aggregate["citation_validity"]["value"],
        "llm_share": float(result["method"] == "llm"),
    }
