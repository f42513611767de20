"""`commonground bench-bias`: one model through the democratic-bias suite, a JSON and an HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from commonground.core.devdata import DEVELOPMENT_DATA
from commonground.core.errors import InputError

BACKENDS = ("local", "openai")


def bench_bias(
    backend: Annotated[str | None, typer.Option(help="local or openai (default: llm.backend).")] = None,
    model: Annotated[str | None, typer.Option(help="The model (default: llm.model).")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="openai: the endpoint (default: llm.base_url).")
    ] = None,
    size: Annotated[
        str, typer.Option(help="quick (minutes), standard (the one to quote) or full.")
    ] = "quick",
    out: Annotated[Path, typer.Option(help="Directory of the checkpoint and the reports.")] = Path(
        "bias-report"
    ),
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the checkpoint in --out (it must exist).")
    ] = False,
    seed: Annotated[
        int | None, typer.Option(help="Chooses the items and seeds the model (default: llm.seed).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most N items per dimension (a smoke run).")
    ] = None,
    data: Annotated[Path, typer.Option(help="The development data folder.")] = DEVELOPMENT_DATA,
    judge_backend: Annotated[
        str | None, typer.Option(help="A separate entailment judge: local or openai (default: llm.backend).")
    ] = None,
    judge_model: Annotated[
        str | None, typer.Option(help="The judge's model (default: the model under test judges).")
    ] = None,
    judge_base_url: Annotated[
        str | None, typer.Option(help="openai: the judge's endpoint (default: llm.base_url).")
    ] = None,
) -> None:
    """Pluralism of summaries, opinion fidelity of rephrasing and translation per language, neutrality of
    mediator drafts under swaps: report.json and report.html in --out; re-running into it resumes."""
    from commonground.core.settings import load_settings
    from commonground.evaluation.bias.checkpoint import NAME
    from commonground.evaluation.bias.html import HEADLINE, format_estimate
    from commonground.evaluation.bias.report import HTML_NAME, JSON_NAME, write_report
    from commonground.evaluation.bias.runner import run_suite
    from commonground.evaluation.bias.suite import Suite
    from commonground.llm import open_model

    for option, value in (("backend", backend), ("judge-backend", judge_backend)):
        if value is not None and value not in BACKENDS:
            raise InputError(f"unknown --{option} {value!r}: choose local or openai")
    chosen = {"backend": backend, "model": model, "base_url": base_url, "seed": seed}
    settings = load_settings(llm={name: value for name, value in chosen.items() if value is not None})
    judging = {"backend": judge_backend, "model": judge_model, "base_url": judge_base_url, "seed": seed}
    judge = None
    if any(value is not None for value in (judge_backend, judge_model, judge_base_url)):
        judge = open_model(load_settings(llm={k: v for k, v in judging.items() if v is not None}))
    suite = Suite(size, seed=settings.llm.seed, limit=limit)
    items = suite.items(data)
    try:
        report = run_suite(
            suite,
            items,
            open_model(settings),
            out=out,
            cache_dir=settings.cache_dir,
            resume=resume,
            judge=judge,
        )
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished items are kept in {out / NAME}; run again to resume.", err=True)
        raise typer.Exit(130) from None
    write_report(report, out)
    for name, section in report["dimensions"].items():
        metrics = ", ".join(
            f"{metric} {format_estimate(section['aggregate'].get(metric))}" for metric in HEADLINE[name]
        )
        print(f"{name} ({len(section['items'])} items, {len(section['errors'])} failed): {metrics}")
    print(f"reports: {out / JSON_NAME}, {out / HTML_NAME}")


def register(app: typer.Typer) -> None:
    app.command("bench-bias")(bench_bias)
