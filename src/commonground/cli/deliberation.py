"""`commonground summarize-polis DIR`: the deliberation summary of a Polis export, as JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Literal

import typer

from commonground.core.settings import load_settings

log = logging.getLogger(__name__)


DIRECTORY = typer.Argument(..., help="A Polis export: comments.csv, votes.csv, participants-votes.csv.")


def summarize_polis(
    directory: Path = DIRECTORY,
    groups: str = typer.Option("auto", help="auto: PCA and k-means on the votes; polis: Polis's own groups."),
    k: int | None = typer.Option(None, min=2, help="Number of groups for auto; else chosen by silhouette."),
    max_tokens: int | None = typer.Option(None, min=16, help="Cap on each model answer's length."),
    lang: str | None = typer.Option(
        None, help="The reader's language (a code or an English name); else the conversation's."
    ),
) -> None:
    """Summarize a deliberation: each opinion group's distinctive views and the consensus, citing comments,
    in the conversation's language or the reader's (`language`, `language_source` in the JSON)."""
    from commonground.deliberation.opinion_groups import opinion_map
    from commonground.deliberation.polis import load_export
    from commonground.llm import open_model
    from commonground.tasks.deliberation.task import DeliberationRequest, DeliberationTask, summary_record

    if groups not in ("auto", "polis"):
        raise typer.BadParameter("choose auto or polis", param_hint="--groups")
    source: Literal["auto", "polis"] = "polis" if groups == "polis" else "auto"
    export = load_export(directory)
    opinions = opinion_map(export, source=source, k=k)
    log.info("%s: %s, %d groups", export.name, opinions.method, len(opinions.groups))
    result = DeliberationTask(max_tokens=max_tokens).run(
        open_model(load_settings()), DeliberationRequest(export, opinions, reader_lang=lang)
    )
    print(json.dumps(summary_record(opinions, result), ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("summarize-polis")(summarize_polis)
