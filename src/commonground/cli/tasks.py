"""`commonground draft`, `intervene`, `summarize`, `argue` and `translate`: mediation actions as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from commonground.core.errors import InputError
from commonground.core.settings import load_settings
from commonground.core.transcripts import read_transcript
from commonground.llm import open_model
from commonground.llm.base import Model
from commonground.tasks.argue.task import ArgueRequest, ArgueTask
from commonground.tasks.base import TaskResult
from commonground.tasks.draft.task import DraftRequest, DraftTask
from commonground.tasks.intervene.task import REASONS, InterveneTask, InterventionRequest
from commonground.tasks.summarize.task import SummarizeTask, SummaryRequest
from commonground.tasks.translate.task import TranslateRequest, TranslateTask

TRANSCRIPT = typer.Argument(..., help="JSON lines {id, speaker, text} or 'Name: text' lines.")


def _model() -> Model:
    return open_model(load_settings())


def _emit(result: TaskResult[Any], **extra: Any) -> None:
    print(json.dumps(result.public() | extra, ensure_ascii=False))


def draft(
    transcript: Path = TRANSCRIPT,
    instruction: str | None = typer.Option(
        None, help="What the draft should do, e.g. 'ask about the packaging'."
    ),
    last: int = typer.Option(10, min=1, help="Recent messages shown in full; earlier ones are digested."),
    swap_test: bool = typer.Option(
        True, help="Regenerate with the parties' names swapped to test neutrality."
    ),
) -> None:
    """Draft a message for the human mediator, with its checks."""
    request = DraftRequest(read_transcript(transcript), instruction=instruction, last=last)
    _emit(DraftTask(swap_test=swap_test).run(_model(), request))


def intervene(
    transcript: Path = TRANSCRIPT,
    reason: str = typer.Option("request", help=f"Why the mediator steps in: {', '.join(REASONS)}."),
    last: int = typer.Option(10, min=1, help="Recent messages shown in full; earlier ones are digested."),
) -> None:
    """Write an autonomous intervention, labelled as AI, verified strictly."""
    if reason not in REASONS:
        raise InputError(f"unknown reason {reason!r}; choose one of {', '.join(REASONS)}")
    request = InterventionRequest(read_transcript(transcript), last=last, reason=reason)  # type: ignore[arg-type]
    _emit(InterveneTask().run(_model(), request))


def summarize(transcript: Path = TRANSCRIPT) -> None:
    """Summarize a dispute; every statement cites the ids of the messages it rests on."""
    result = SummarizeTask().run(_model(), SummaryRequest(read_transcript(transcript)))
    statements = [{"text": s.text, "cites": s.cites, "kind": s.kind} for s in result.output.statements]
    _emit(result, statements=statements)


def argue(
    transcript: Path = TRANSCRIPT,
    point: str | None = typer.Option(None, help="The contested point; found by the model when not given."),
) -> None:
    """The strongest argument for each side, balanced in length and tone."""
    _emit(ArgueTask().run(_model(), ArgueRequest(read_transcript(transcript), point=point)))


def translate(
    to: str = typer.Option(..., "--to", help="Target language: a code (en, fr, de, es…) or a name."),
) -> None:
    """Translate standard input (JSON lines {id, text} or plain text lines), one JSON line out per input."""
    lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
    if not lines:
        raise InputError("nothing to translate: standard input is empty")
    model, task = _model(), TranslateTask()
    for number, line in enumerate(lines, start=1):
        item = _translation_item(line, number)
        result = task.run(model, TranslateRequest(item["text"], target=to))
        _emit(result, id=item.get("id", str(number)), original=item["text"], translation=result.text)


def _translation_item(line: str, number: int) -> dict[str, Any]:
    if not line.lstrip().startswith("{"):
        return {"text": line}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"<stdin>:{number}: not valid JSON ({error.msg})") from None
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise InputError(f"<stdin>:{number}: expected an object with a 'text' string")
    return item


def register(app: typer.Typer) -> None:
    for command in (draft, intervene, summarize, argue, translate):
        app.command()(command)
