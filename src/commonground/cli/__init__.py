"""The `commonground` command: one Typer app, one module per command group."""

from __future__ import annotations

import logging

import typer
from rich.logging import RichHandler
from typer.core import TyperGroup

from commonground.core.errors import CommongroundError


class _Group(TyperGroup):
    """Shows a CommongroundError as one line on stderr with exit code 2, never a traceback."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except CommongroundError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(code=2) from None


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Language models as online mediators: detect, rephrase, draft, intervene, summarize, evaluate.",
)


@app.callback()
def _configure(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress to stderr."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(show_path=False, console=None)],
        force=True,
    )


def _register() -> None:
    from commonground.cli import (
        analyze,
        bench_bias,
        deliberation,
        demo,
        evaluate,
        forecast,
        llm,
        rephrase,
        serve,
        synth,
        tasks,
        train,
    )

    llm.register(app)
    demo.register(app)
    forecast.register(app)
    analyze.register(app)
    tasks.register(app)
    deliberation.register(app)
    rephrase.register(app)
    train.register(app)
    serve.register(app)
    evaluate.register(app)
    synth.register(app)
    bench_bias.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
