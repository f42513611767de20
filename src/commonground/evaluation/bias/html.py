"""Self-contained HTML pages for people: the report of a run and the comparison of two runs.

Plain tables, the plots inline as SVG, the style inline, no script and no external asset, so a page can be
mailed or archived as one file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from commonground.evaluation.bias import plots

HEADLINE = {
    "pluralism": ("coverage", "minority_ratio", "proportionality", "citation_validity"),
    "rephrase": ("fidelity", "judged", "claims", "j"),
    "translation": ("fidelity", "back_sim", "judged", "in_target"),
    "neutrality": ("names_score", "genders_score", "roles_score", "grounded"),
}


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def format_estimate(estimate: dict[str, Any] | None, digits: int = 3) -> str:
    """`0.512 [0.401, 0.623]`, or the value alone when its interval is undefined."""
    if not estimate or estimate.get("value") is None:
        return "–"
    value = _number(estimate["value"], digits)
    if estimate.get("low") is None or estimate.get("high") is None:
        return value
    return f"{value} [{_number(estimate['low'], digits)}, {_number(estimate['high'], digits)}]"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = _number
    environment.filters["estimate"] = format_estimate
    return environment


def _inline(svg: str | None) -> Markup | None:
    return Markup(svg) if svg else None


def render_report(report: dict[str, Any]) -> str:
    """The report page: a summary, then per dimension how to read it, its plot and its tables."""
    sections = report["dimensions"]
    figures = {
        "coverage": plots.coverage(sections["pluralism"]),
        "fidelity": plots.fidelity(sections["rephrase"], sections["translation"]),
        "swaps": plots.swaps(sections["neutrality"]),
        "cost": plots.cost(sections),
    }
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            sections=sections,
            headline=HEADLINE,
            figures={name: _inline(svg) for name, svg in figures.items()},
        )
    )


def render_comparison(comparison: dict[str, Any]) -> str:
    """The comparison page: per dimension, A and B side by side with the difference, and a plot."""
    rows = [
        (f"{dimension}: {row['metric']}", row["a"], row["b"])
        for dimension, table in comparison["dimensions"].items()
        for row in table
        if row["group"] is None and row["metric"] in HEADLINE.get(dimension, ())
    ]
    return (
        _environment()
        .get_template("compare.html")
        .render(comparison=comparison, figure=_inline(plots.comparison(rows)))
    )
