"""`commonground eval compare A.json B.json`: two reports of `bench-bias` side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def compare(
    a: Annotated[Path, typer.Argument(help="The first report.json (A).")],
    b: Annotated[Path, typer.Argument(help="The second report.json (B).")],
    html: Annotated[Path | None, typer.Option(help="Also write the comparison as an HTML page here.")] = None,
) -> None:
    """Per dimension, A and B with intervals, the difference B − A and whether the intervals overlap."""
    from commonground.evaluation.bias.compare import compare as side_by_side
    from commonground.evaluation.bias.html import render_comparison
    from commonground.evaluation.bias.report import read_report

    comparison = side_by_side(read_report(a), read_report(b))
    if html is not None:
        html.write_text(render_comparison(comparison), encoding="utf-8")
    print(json.dumps(comparison, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command()(compare)
