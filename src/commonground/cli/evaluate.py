"""`commonground eval ...`: metrics, human evaluation and report comparison for researchers.

Each command group lives in its own module and registers itself on `eval_app`.
"""

from __future__ import annotations

import typer

eval_app = typer.Typer(
    no_args_is_help=True,
    help="Evaluate detection, forecasting, rephrasing, translation, neutrality, summaries; human evaluation.",
)


def register(app: typer.Typer) -> None:
    from commonground.cli import eval_compare, eval_fairness, eval_human, eval_metrics

    eval_human.register(eval_app)
    eval_metrics.register(eval_app)
    eval_fairness.register(eval_app)
    eval_compare.register(eval_app)
    app.add_typer(eval_app, name="eval")
