"""Two reports of the suite side by side: per dimension, each aggregate of A and of B, the difference B − A,
and whether their 95 % intervals overlap (intervals apart suggest a real difference; null when either
interval is undefined). Breakdown rows name their language or pair (`group`); cost rows come last.
`same_judge` says whether one entailment judge scored both runs (a model judging its own outputs is a
different judge from another model judging its own).
"""

from __future__ import annotations

from typing import Any

from commonground.evaluation.bias.report import Interval, ReportFile, Section


def compare(a: ReportFile, b: ReportFile) -> dict[str, Any]:
    """The comparison of report `a` with report `b` (JSON-ready)."""
    names = list(dict.fromkeys([*a.dimensions, *b.dimensions]))
    return {
        "a": _run(a),
        "b": _run(b),
        "same_suite": a.suite == b.suite,
        "same_judge": _judge(a) == _judge(b),
        "dimensions": {name: _rows(a.dimensions.get(name), b.dimensions.get(name)) for name in names},
    }


def _run(report: ReportFile) -> dict[str, Any]:
    judge = "{} model {}".format(*_judge(report)) if report.judge else "the model itself"
    return {"backend": report.backend, "model": report.model, "judge": judge, "suite": report.suite}


def _judge(report: ReportFile) -> tuple[str, str]:
    """The backend and model that judged the run's outputs."""
    if report.judge:
        return report.judge["backend"], report.judge["model"]
    return report.backend, report.model


def _rows(a: Section | None, b: Section | None) -> list[dict[str, Any]]:
    rows = _table(None, a.aggregate if a else {}, b.aggregate if b else {})
    groups = dict.fromkeys([*(a.breakdown if a else {}), *(b.breakdown if b else {})])
    for group in groups:
        rows += _table(
            group, a.breakdown.get(group, {}) if a else {}, b.breakdown.get(group, {}) if b else {}
        )
    return rows + _table("cost", a.cost if a else {}, b.cost if b else {})


def _table(group: str | None, a: dict[str, Interval], b: dict[str, Interval]) -> list[dict[str, Any]]:
    rows = []
    for metric in dict.fromkeys([*a, *b]):
        left, right = a.get(metric), b.get(metric)
        rows.append(
            {
                "group": group,
                "metric": metric,
                "a": left.model_dump() if left else None,
                "b": right.model_dump() if right else None,
                "difference": _difference(left, right),
                "overlap": _overlap(left, right),
            }
        )
    return rows


def _difference(a: Interval | None, b: Interval | None) -> float | None:
    if a is None or b is None or a.value is None or b.value is None:
        return None
    return round(b.value - a.value, 6)


def _overlap(a: Interval | None, b: Interval | None) -> bool | None:
    if a is None or b is None or a.low is None or a.high is None or b.low is None or b.high is None:
        return None
    return a.low <= b.high and b.low <= a.high
