"""`commonground eval rephrase|translation|neutrality|pluralism`: fidelity, neutrality and pluralism reports.

Each reads its input whole and checks it before any model runs (a bad line or field is one error naming
the file, line and field), shows a progress bar on stderr while the model works, and prints one JSON
report: the items, the items that failed with why, and the aggregates with 95 % bootstrap intervals.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from commonground.core.errors import InputError, ModelError, first_problem

if TYPE_CHECKING:
    from commonground.evaluation.report import ItemError
    from commonground.llm.base import Model

Parsed = TypeVar("Parsed", bound=BaseModel)
Done = TypeVar("Done")

Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the JSON report here, not stdout.")
]


def _parsed(schema: type[Parsed], data: Any, where: str) -> Parsed:
    """`data` validated against `schema`; InputError naming `where` and the first bad field."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise InputError(f"{where}: {first_problem(error, root='record')}") from None


def _records(path: Path, schema: type[Parsed], **defaults: Any) -> list[Parsed]:
    """Every line of a JSON-lines file as `schema`, the id defaulting to the line number."""
    from commonground.core.records import json_lines

    records = [
        _parsed(
            schema,
            defaults | {"id": str(line)} | record | {"id": str(record.get("id", line))},
            f"{path}:{line}",
        )
        for line, record in json_lines(path)
    ]
    if not records:
        raise InputError(f"{path}: no records")
    return records


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Identified = TypeVar("Identified", bound=_Identified)


def _each(
    items: Sequence[Identified], work: Callable[[Identified], Done], *, description: str
) -> tuple[list[Done], list[ItemError]]:
    """`work` on every item under a progress bar; an item whose model call fails becomes an error entry."""
    from rich.console import Console
    from rich.progress import track

    from commonground.evaluation.report import ItemError

    done: list[Done] = []
    errors: list[ItemError] = []
    for item in track(items, description=description, console=Console(stderr=True), transient=True):
        try:
            done.append(work(item))
        except (ModelError, InputError) as error:
            errors.append(ItemError(id=str(item.id), error=str(error)))
    return done, errors


def _emit(report: dict[str, Any], output: Path | None) -> None:
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


def _model() -> Model:
    from commonground.core.settings import load_settings
    from commonground.llm import open_model

    return open_model(load_settings())


def rephrase(
    file: Annotated[Path, typer.Argument(help="JSON lines {id, text, rephrased, lang?}.")],
    judge: Annotated[
        bool, typer.Option(help="Judge stance with the configured model (for fidelity).")
    ] = True,
    fluency: Annotated[bool, typer.Option(help="Score FL of English items with SmolLM2-135M.")] = True,
    output: Output = None,
) -> None:
    """Rephrasing quality: STA, SIM, FL, J, opinion fidelity and length ratio, per item and overall."""
    from commonground.core.settings import load_settings
    from commonground.evaluation.fidelity import (
        RephrasingPair,
        fidelity_report,
        judged_item,
        lexical_items,
        reference_fluency,
    )
    from commonground.signals.incivility import IncivilityDetector

    pairs = _records(file, RephrasingPair)
    scorer = reference_fluency(load_settings().cache_dir) if fluency else None
    items = lexical_items(pairs, detector=IncivilityDetector.load(), fluency=scorer)
    errors: list[ItemError] = []
    if judge:
        model = _model()
        items, errors = _each(items, lambda item: judged_item(model, item), description="judging stance")
    _emit(fidelity_report(items, errors=errors).public(), output)


def translation(
    file: Annotated[Path, typer.Argument(help="JSON lines {id, text, lang?, target?, translation?}.")],
    to: Annotated[str | None, typer.Option("--to", help="Target of items naming none (en, fr, de…).")] = None,
    output: Output = None,
) -> None:
    """Translation fidelity per language pair: back-translation similarity, stance kept, cross-lingual."""
    from commonground.evaluation.translation import TranslationPair, translation_item, translation_report

    pairs = _records(file, TranslationPair, **({"target": to} if to else {}))
    model = _model()
    items, errors = _each(pairs, lambda pair: translation_item(model, pair), description="translating")
    _emit(translation_report(items, errors=errors).public(), output)


def neutrality(
    transcripts: Annotated[
        list[Path], typer.Argument(help="JSON lines {id, speaker, text} or 'Name: text'.")
    ],
    instruction: Annotated[
        str | None, typer.Option(help="The mediator's instruction for every draft.")
    ] = None,
    swap: Annotated[list[str] | None, typer.Option(help="names, genders, roles or all; repeatable.")] = None,
    output: Output = None,
) -> None:
    """Mediator neutrality: the swap test on the configured model's drafts, grounding, role, instruction."""
    from commonground.core.transcripts import read_transcript
    from commonground.evaluation.neutrality import SWAPS, neutrality_item, neutrality_report
    from commonground.tasks.draft.task import DraftRequest

    swaps = swap or list(SWAPS)
    for kind in swaps:
        if kind not in (*SWAPS, "all"):
            raise InputError(f"unknown swap {kind!r}; choose names, genders, roles or all")
    conversations = [read_transcript(path) for path in transcripts]
    model = _model()
    items, errors = _each(
        conversations,
        lambda conversation: neutrality_item(
            model, DraftRequest(conversation, instruction=instruction), swaps=swaps
        ),
        description="drafting",
    )
    _emit(neutrality_report(items, errors=errors).public(), output)


def pluralism(
    summary: Annotated[Path, typer.Argument(help="JSON of `summarize-polis` or of `summarize`.")],
    polis: Annotated[Path | None, typer.Option(help="The Polis export of a deliberation summary.")] = None,
    transcript: Annotated[Path | None, typer.Option(help="The transcript of a dispute summary.")] = None,
    groups: Annotated[
        str, typer.Option(help="With --polis: given (the summary's), auto (PCA, k-means) or polis.")
    ] = "given",
    output: Output = None,
) -> None:
    """Summary pluralism: coverage of each opinion group, minority ratio, proportionality, citations."""
    from commonground.core.records import read_json
    from commonground.core.transcripts import read_transcript
    from commonground.deliberation.polis import load_export
    from commonground.evaluation.pluralism import deliberation_inputs, dispute_inputs, score_pluralism

    data = read_json(summary)
    if polis is not None and transcript is None:
        inputs = deliberation_inputs(data, load_export(polis), groups=groups, where=str(summary))
    elif transcript is not None and polis is None:
        inputs = dispute_inputs(data, read_transcript(transcript), where=str(summary))
    else:
        raise InputError(
            "give either --polis DIR (a deliberation summary) or --transcript FILE (a dispute summary)"
        )
    _emit(score_pluralism(inputs.groups, inputs.statements, inputs.sources).public(), output)


def register(app: typer.Typer) -> None:
    for command in (rephrase, translation, neutrality, pluralism):
        app.command()(command)
