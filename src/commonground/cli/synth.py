"""`commonground synth`: synthetic conversations that go off track, with ground truth; and their QC report.

`commonground synth [OPTIONS]` generates; `synth scenarios` and `synth personas` list what it draws from;
`synth report FILE` prints the quality report of a JSON-lines file of synthetic conversations.
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from commonground.core.devdata import DEVELOPMENT_DATA
from commonground.core.errors import InputError

if TYPE_CHECKING:
    from commonground.synthesis.generators.base import Generator
    from commonground.synthesis.plan import Planner

synth_app = typer.Typer(
    help="Synthetic conversations that stay civil, derail at a known turn, or recover after a mediator."
)

GENERATORS = ("data", "roleplay")
FORMATS = ("jsonl", "convokit", "both")
SPLITS = ("train", "validation", "test")
MEDIATORS = ("model", "template")
DATA = typer.Option(DEVELOPMENT_DATA, help="The development data folder.")
OUT = typer.Option(None, help="Directory for the files and report.json (default: JSON lines to stdout).")
SYNTH_FILE = typer.Argument(..., help="A JSON-lines file written by commonground synth.")


@synth_app.callback(invoke_without_command=True)
def synth(
    ctx: typer.Context,
    generator: str = typer.Option(
        "data", help="data: real labelled utterances, no model; roleplay: the LLM."
    ),
    count: int = typer.Option(100, help="Conversations to generate; duplicates are replaced."),
    scenarios: str = typer.Option("all", help="Comma-separated: all, disputes, deliberations, or ids."),
    personas: str = typer.Option("all", help="Comma-separated persona profiles, or all."),
    turns: str = typer.Option("6", help="Messages per conversation: 6, or a range such as 4-10."),
    derail_turn: int | None = typer.Option(
        None, help="The turn where conversations derail (default: random)."
    ),
    mix: str = typer.Option("civil=1,derail=1,recover=1", help="Trajectory weights."),
    escalations: str = typer.Option("all", help="Comma-separated escalation types, or all."),
    languages: str = typer.Option("en", help="Comma-separated: en, fr, de (the data generator: en, de)."),
    seed: str = typer.Option("0", help="A non-negative integer: the same seed, the same conversations."),
    data: Path = DATA,
    split: str = typer.Option("train", help="data: the split of the shared data the utterances come from."),
    mediator: str = typer.Option("model", help="roleplay: model (the intervene task) or template."),
    output_format: str = typer.Option("jsonl", "--format", help="jsonl, convokit or both."),
    out: Path | None = OUT,
    report: bool = typer.Option(True, help="With --out: write report.json."),
) -> None:
    """Generate synthetic conversations with per-message ground truth, as JSON lines or a ConvoKit corpus."""
    if ctx.invoked_subcommand is not None:
        return
    from commonground.synthesis.plan import Planner, Spec
    from commonground.synthesis.trajectories import ESCALATIONS

    _choice(generator, GENERATORS, "--generator")
    _choice(split, SPLITS, "--split")
    _choice(mediator, MEDIATORS, "--mediator")
    _choice(output_format, FORMATS, "--format")
    if output_format != "jsonl" and out is None:
        raise InputError("a ConvoKit corpus needs a directory (--out)")
    if out is not None and out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a directory (--out)")
    wanted = _items(escalations, "--escalations")
    spec = Spec(
        count=count,
        scenarios=_items(scenarios, "--scenarios"),
        personas=_items(personas, "--personas"),
        turns=parse_turns(turns),
        derail_turn=derail_turn,
        mix=parse_mix(mix),
        escalations=ESCALATIONS if wanted == ["all"] else wanted,
        languages=_items(languages, "--languages"),
        seed=parse_seed(seed),
        data_dir=data,
    )
    if generator == "data":
        from commonground.synthesis.generators.data import DataGenerator

        planner = Planner(spec, languages=DataGenerator.languages, needs_openings=True)
        made: Generator = DataGenerator(split=split)
    else:
        from commonground.core.settings import load_settings
        from commonground.llm import open_model
        from commonground.synthesis.generators.roleplay import MediatorMode, RolePlayGenerator

        planner = Planner(spec, languages=RolePlayGenerator.languages, needs_openings=False)
        made = RolePlayGenerator(open_model(load_settings()), mediator=cast(MediatorMode, mediator))
    _run(made, planner, output_format=output_format, out=out, report=report)


def _run(
    generator: Generator, planner: Planner, *, output_format: str, out: Path | None, report: bool
) -> None:
    """Prepare (still before generating anything), generate with a progress bar, write every output."""
    from commonground.synthesis import export
    from commonground.synthesis.generators.base import generate
    from commonground.synthesis.quality import Deduplicator
    from commonground.synthesis.report import quality_report

    generator.prepare(planner)
    deduplicator = Deduplicator()
    with ExitStack() as stack:
        if out is not None:
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise InputError(f"cannot create {out}: {error.strerror} (--out)") from None
        sink: IO[str] | None = None
        if output_format != "convokit":
            sink = (
                stack.enter_context((out / "conversations.jsonl").open("w", encoding="utf-8"))
                if out
                else sys.stdout
            )
        progress = stack.enter_context(_progress())
        task = progress.add_task(f"{generator.name} conversations", total=planner.spec.count)
        stream = generate(
            generator, planner, deduplicator=deduplicator, on_conversation=lambda: progress.advance(task)
        )
        conversations = list(export.write_jsonl(stream, sink) if sink is not None else stream)
    if out is None:
        return
    if output_format != "jsonl":
        export.write_convokit(conversations, out / "corpus")
    if report:
        figures = quality_report(conversations, duplicates_dropped=deduplicator.dropped)
        (out / "report.json").write_text(
            json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    typer.echo(f"{len(conversations)} conversations in {out}", err=True)


def _progress() -> Progress:
    console = Console(stderr=True)
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


@synth_app.command("scenarios")
def list_scenarios(data: Path = DATA) -> None:
    """List the dispute cases and a summary of the deliberation questions."""
    from commonground.synthesis.scenarios import HABERMAS_ATTRIBUTION, deliberations, disputes

    table = Table("id", "kind", "title", "languages")
    for case in disputes():
        table.add_row(case.id, case.kind, case.title, ", ".join(case.languages))
    questions = deliberations(data)
    topics = len({question.topic for question in questions})
    table.add_row("<question id>", "deliberation", f"{len(questions):,} questions on {topics} topics", "en")
    Console().print(table)
    Console().print(f"[dim]{HABERMAS_ATTRIBUTION}[/dim]")


@synth_app.command("personas")
def list_personas() -> None:
    """List the persona profiles (each speaks any language, on either side)."""
    from commonground.synthesis.personas import profiles, temperament_text

    table = Table("profile", "temperament", "verbosity", "behaviour")
    for profile in profiles():
        table.add_row(
            profile.name, profile.temperament, profile.verbosity, temperament_text(profile.temperament)
        )
    Console().print(table)


@synth_app.command("report")
def report_command(
    file: Path = SYNTH_FILE,
    labels: bool = typer.Option(True, help="Validate the labels with the incivility detector."),
    embed_sample: int = typer.Option(
        0, min=0, help="Embed this many conversations for their topical spread (slow: about 1 s each)."
    ),
) -> None:
    """Print the quality report of synthetic conversations: duplicates, label agreement, diversity."""
    from commonground.synthesis.export import read_jsonl
    from commonground.synthesis.report import quality_report

    figures = quality_report(read_jsonl(file), validate_labels=labels, embed_sample=embed_sample)
    print(json.dumps(figures, indent=2, ensure_ascii=False))


def _choice(value: str, choices: tuple[str, ...], option: str) -> None:
    if value not in choices:
        raise InputError(f"unknown value {value!r} ({option}): choose from {', '.join(choices)}")


def _items(value: str, option: str) -> list[str]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise InputError(f"give at least one value ({option})")
    return items


def parse_turns(value: str) -> tuple[int, int]:
    """`6` or `4-10` as (min, max)."""
    low, _, high = value.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise InputError(f"turns must be a number or a range such as 4-10, not {value!r} (--turns)") from None


def parse_seed(value: str) -> int:
    """A non-negative integer seed."""
    if not value.strip().isdigit():
        raise InputError(f"the seed must be a non-negative integer, not {value!r} (--seed)")
    return int(value)


def parse_mix(value: str) -> dict[str, float]:
    """`civil=2,derail=1,recover=1` as weights by trajectory (a bare name weighs 1)."""
    mix = {}
    for item in _items(value, "--mix"):
        name, _, weight = item.partition("=")
        try:
            mix[name.strip()] = float(weight) if weight else 1.0
        except ValueError:
            raise InputError(f"the weight of {name!r} must be a number, not {weight!r} (--mix)") from None
    return mix


def register(app: typer.Typer) -> None:
    app.add_typer(synth_app, name="synth")
