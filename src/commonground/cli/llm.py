"""`commonground models`, `prompt` and `config`: the model interface from a shell."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console
from rich.table import Table

from commonground.core.settings import load_settings
from commonground.llm import EMBEDDED, Prompt, open_model
from commonground.llm.embedded import DEFAULT_EMBEDDED

stderr = Console(stderr=True)


def models() -> None:
    """List the embedded models (weights shipped inside Python packages) and where they stand."""
    settings = load_settings()
    table = Table("name", "default", "status", "description")
    for model in EMBEDDED.values():
        assembled = settings.cache_dir / "models" / model.filename
        if len(model.parts) == 1:
            status = "ready"
        else:
            status = "assembled" if assembled.is_file() else "assembled on first use"
        table.add_row(model.name, "yes" if model.name == DEFAULT_EMBEDDED else "", status, model.description)
    Console().print(table)


def prompt(
    text: str = typer.Argument(..., help="The user message; '-' reads it from standard input."),
    system: str | None = typer.Option(None, help="An optional system message."),
    max_tokens: int = typer.Option(256, min=1, help="Most tokens to generate."),
    temperature: float = typer.Option(0.0, min=0.0, help="Sampling temperature."),
    stream: bool = typer.Option(True, help="Print tokens as they come."),
) -> None:
    """Send one prompt to the configured model and print the answer; the call record goes to stderr."""
    settings = load_settings()
    user = sys.stdin.read() if text == "-" else text
    request = Prompt.of(user, system=system, max_tokens=max_tokens, temperature=temperature)
    model = open_model(settings)
    if stream:
        for piece in model.stream(request):
            sys.stdout.write(piece)
            sys.stdout.flush()
        sys.stdout.write("\n")
    else:
        print(model.complete(request).text)
    stderr.print(f"[dim]{model.backend} · {model.name}[/dim]")


def config() -> None:
    """Print the effective settings as JSON (secrets masked)."""
    settings = load_settings()
    print(json.dumps(json.loads(settings.model_dump_json()), indent=2))


def register(app: typer.Typer) -> None:
    app.command()(models)
    app.command()(prompt)
    app.command()(config)
