"""The suite's report: `report.json` for machines, `report.html` for people.

The JSON names the run (suite, size, seed, limit, backend, model, endpoint, and the judge when it is not the
model under test) and holds, per dimension, the
aggregates with 95 % bootstrap intervals (`aggregate`; per language or language pair in `breakdown`), every
item's result with its cost (`items`), the items that failed and why (`errors`), and the mean cost per item
(`cost`: model calls, prompt and completion tokens, latency in seconds). Undefined numbers are null.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from commonground.core.errors import InputError, first_problem
from commonground.core.records import read_json
from commonground.evaluation.bias import dimensions
from commonground.evaluation.bias.checkpoint import Cost, Entry
from commonground.evaluation.bias.suite import DIMENSIONS, Item, Suite
from commonground.evaluation.report import finite, means
from commonground.llm.base import Model

COST = tuple(Cost.model_fields)
JSON_NAME, HTML_NAME = "report.json", "report.html"


def build_report(
    suite: Suite,
    model: Model,
    items: Sequence[Item],
    entries: Sequence[Entry],
    *,
    judge: Model | None = None,
) -> dict[str, Any]:
    """The report of the entries (the last one of each item), in the suite's order of items; `judge` is a
    separate entailment judge (None: the model judged its own outputs)."""
    by_key = {(entry.dimension, entry.id): entry for entry in entries}
    chosen = [by_key[key] for key in ((item.dimension, item.id) for item in items) if key in by_key]
    sections = {}
    for dimension in DIMENSIONS:
        mine = [entry for entry in chosen if entry.dimension == dimension]
        results = [entry.result for entry in mine if entry.result is not None]
        aggregate, breakdown = dimensions.aggregate(dimension, results)
        sections[dimension] = {
            "aggregate": aggregate,
            "breakdown": breakdown,
            "cost": means([entry.cost.model_dump() for entry in mine], COST),
            "items": [entry.result | {"cost": entry.cost.model_dump()} for entry in mine if entry.result],
            "errors": [
                {"id": entry.id, "error": entry.error, "cost": entry.cost.model_dump()}
                for entry in mine
                if entry.result is None
            ],
        }
    total = {field: sum(getattr(entry.cost, field) for entry in chosen) for field in COST}
    return finite(
        {
            "suite": suite.identity(),
            "backend": model.backend,
            "model": model.name,
            "base_url": getattr(model, "base_url", None),
            "judge": judge
            and {
                "backend": judge.backend,
                "model": judge.name,
                "base_url": getattr(judge, "base_url", None),
            },
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "items": {"planned": len(items), "finished": len(chosen)},
            "dimensions": sections,
            "cost": {"total": total | {"latency_s": round(total["latency_s"], 3)}},
        }
    )


def write_report(report: dict[str, Any], directory: Path) -> None:
    """`report.json` and the self-contained `report.html` in `directory`."""
    from commonground.evaluation.bias.html import render_report

    directory.mkdir(parents=True, exist_ok=True)
    (directory / JSON_NAME).write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (directory / HTML_NAME).write_text(render_report(report), encoding="utf-8")


class Interval(BaseModel):
    value: float | None
    low: float | None
    high: float | None
    n: int


class Section(BaseModel):
    aggregate: dict[str, Interval]
    breakdown: dict[str, dict[str, Interval]] = {}
    cost: dict[str, Interval]


class ReportFile(BaseModel):
    """What a comparison reads of a report."""

    suite: dict[str, Any]
    backend: str
    model: str
    judge: dict[str, Any] | None = None
    dimensions: dict[str, Section]


def read_report(path: Path) -> ReportFile:
    """A report file, checked; InputError naming the file and the first bad field."""
    try:
        return ReportFile.model_validate(read_json(path))
    except ValidationError as error:
        raise InputError(f"{path}: {first_problem(error, root='report')}") from None
