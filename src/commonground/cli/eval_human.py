"""`commonground eval human ...`: blind annotation batches, sheets, imported judgements and their report."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from commonground.cli.jsonlines import OutputFile
from commonground.core.errors import InputError

log = logging.getLogger(__name__)

human_app = typer.Typer(
    no_args_is_help=True,
    help="Human evaluation: blind annotation batches, CSV sheets, agreement, win rates, Bradley–Terry.",
)


@human_app.command()
def build(
    kind: Annotated[str, typer.Argument(help="rephrase, draft (pairwise) or summary.")],
    systems: Annotated[
        list[str],
        typer.Option(
            "--system",
            "-s",
            help="NAME=FILE: the JSON lines a command wrote for one system (FILE alone: named after it). "
            "Repeat per system.",
        ),
    ],
    key: Annotated[Path, typer.Option(help="Where to write the private key; never give it to annotators.")],
    output: OutputFile = None,
    transcript: Annotated[
        Path | None, typer.Option(help="A transcript shown as context with items that carry none.")
    ] = None,
    criteria: Annotated[
        str | None, typer.Option(help="Comma-separated criteria (default: the kind's).")
    ] = None,
    rubric: Annotated[Path | None, typer.Option(help="A rubric file (TOML or JSON) of your own.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the shuffles: the same seed gives the same batch.")] = 0,
    attention_checks: Annotated[int, typer.Option(min=0, help="Items that ask for a given answer.")] = 0,
    name: Annotated[str | None, typer.Option(help="A name annotators see.")] = None,
) -> None:
    """Build a blind, shuffled batch from command outputs; the key (who wrote what) goes to its own file."""
    from commonground.core.transcripts import read_transcript
    from commonground.evaluation.human.batch import build_batch, write
    from commonground.evaluation.human.rubric import DEFAULT_RUBRIC, load_rubric
    from commonground.evaluation.human.sources import find_kind, read_outputs

    spec = find_kind(kind)
    context = ""
    if transcript is not None:
        context = "\n".join(f"{m.speaker}: {m.text}" for m in read_transcript(transcript).messages)
    outputs = {}
    for option in systems:
        system, named, path = option.partition("=")
        if not named:
            system, path = Path(option).stem, option
        if system in outputs:
            raise InputError(f"--system {option}: the system {system!r} is given twice")
        outputs[system] = read_outputs(Path(path), spec, context=context)
    chosen = load_rubric(rubric or DEFAULT_RUBRIC)
    names = criteria.split(",") if criteria else (spec.criteria if rubric is None else chosen.names)
    batch, secret = build_batch(
        spec,
        outputs,
        rubric=chosen.select([n.strip() for n in names]),
        seed=seed,
        attention_checks=attention_checks,
        name=name,
    )
    write(key, secret)
    if output is None:
        sys.stdout.write(batch.model_dump_json(indent=2) + "\n")
    else:
        write(output, batch)
    log.info("batch %s: %d items from %s; key in %s", batch.id, len(batch.items), ", ".join(outputs), key)


@human_app.command()
def export(
    batch: Annotated[Path, typer.Argument(help="A batch file written by build.")],
    annotator: Annotated[str, typer.Option(help="Who fills in this sheet; the item order is their own.")],
    output: OutputFile = None,
    instructions: Annotated[
        Path | None, typer.Option(help="Also write the annotator's instructions (Markdown) here.")
    ] = None,
) -> None:
    """Write the CSV sheet one annotator fills in (blind: no system names)."""
    from commonground.evaluation.human.batch import read_batch
    from commonground.evaluation.human.sheets import blank_rows, instructions_for, write_sheet

    document = read_batch(batch)
    if not annotator.strip():
        raise InputError("--annotator: give the annotator's name")
    rows = blank_rows(document, annotator.strip())
    if output is None:
        write_sheet(document, rows, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as sink:
            write_sheet(document, rows, sink)
    if instructions is not None:
        instructions.write_text(instructions_for(document), encoding="utf-8")


@human_app.command("import")
def import_sheets(
    batch: Annotated[Path, typer.Argument(help="The batch file.")],
    key: Annotated[Path, typer.Argument(help="The batch's key file.")],
    sheets: Annotated[list[Path], typer.Argument(help="Filled sheets (CSV), or the platform's download.")],
    output: OutputFile = None,
) -> None:
    """Read filled sheets and write the judgements, unblinded with the key, as JSON lines."""
    from commonground.evaluation.human.batch import read_batch, read_key
    from commonground.evaluation.human.judgements import write_judgements
    from commonground.evaluation.human.sheets import import_sheets as read_all

    judgements = read_all(read_batch(batch), read_key(key), sheets, key_source=str(key))
    text = write_judgements(output, judgements)
    if output is None:
        sys.stdout.write(text)
    log.info("%d judgements from %d sheets", len(judgements), len(sheets))


@human_app.command()
def report(
    judgements: Annotated[list[Path], typer.Argument(help="Judgements (JSON lines) written by import.")],
    min_attention: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Leave out annotators who passed fewer attention checks.")
    ] = 1.0,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples of every interval.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
) -> None:
    """Agreement (Krippendorff's alpha), mean ratings, win rates and Bradley–Terry scores as JSON."""
    from commonground.evaluation.human.judgements import read_judgements
    from commonground.evaluation.human.report import report as summarise

    found = read_judgements(judgements)
    if not found:
        raise InputError("no judgements in the given files")
    result = summarise(found, min_attention=min_attention, resamples=resamples, seed=seed)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


def register(eval_app: typer.Typer) -> None:
    eval_app.add_typer(human_app, name="human")
