"""`commonground policy check`: validate a policy file and show the effective policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from commonground.policy.schema import load_policy

policy_app = typer.Typer(no_args_is_help=True, help="Per-conversation mediation policies.")


@policy_app.command()
def check(file: Annotated[Path, typer.Argument(help="A policy in TOML or JSON.")]) -> None:
    """Validate FILE and print the effective policy, defaults filled in, as JSON."""
    typer.echo(load_policy(file).model_dump_json(indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
