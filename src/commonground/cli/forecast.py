"""`commonground forecast`: derailment risk of conversations, JSON lines in and out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from commonground.core.errors import InputError
from commonground.signals.derailment import DerailmentForecaster


def forecast(
    files: Annotated[
        list[Path] | None, typer.Argument(help="JSON-lines files (default: stdin).", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Decision threshold for `derail` (default: the model's)."),
    ] = None,
) -> None:
    """Add `risk` (0-1) and `derail` to each line {"id", "messages": [{"speaker", "text"}, ...]}.

    A bad line is answered by {"id", "error"} on its own line and the batch goes on.
    """
    forecaster = DerailmentForecaster.load()
    cut = forecaster.threshold if threshold is None else threshold
    with ExitStack() as stack:
        sink: IO[str] = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        progress = stack.enter_context(_progress())
        task = progress.add_task("forecast", total=None)
        for raw in _lines(files or [], stack):
            sink.write(json.dumps(_answer(raw, forecaster, threshold=cut), ensure_ascii=False) + "\n")
            progress.advance(task)


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


def _lines(files: list[Path], stack: ExitStack) -> Iterator[bytes]:
    """Non-blank raw lines of each file in turn, or of stdin."""
    if not files:
        sources = [sys.stdin.buffer]
    else:
        sources = []
        for path in files:
            try:
                sources.append(stack.enter_context(path.open("rb")))
            except OSError as error:
                raise InputError(f"cannot read {path}: {error.strerror}") from None
    for source in sources:
        for raw in source:
            if raw.strip():
                yield raw


def _answer(raw: bytes, forecaster: DerailmentForecaster, *, threshold: float) -> dict[str, Any]:
    """The input object with `risk` and `derail`, or {"id", "error"}."""
    record_id = None
    try:
        record = _parse(raw)
        record_id = record.get("id")
        risk = forecaster.risk(_texts(record))
    except InputError as error:
        return {"id": record_id, "error": str(error)}
    return {**record, "risk": round(risk, 4), "derail": risk >= threshold}


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("line is not valid UTF-8") from None
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise InputError("expected a JSON object")
    return record


def _texts(record: dict[str, Any]) -> list[str]:
    if "messages" not in record:
        raise InputError("missing 'messages'")
    messages = record["messages"]
    if not isinstance(messages, list):
        raise InputError("'messages' must be a list")
    texts = []
    for number, message in enumerate(messages, start=1):
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            raise InputError(f"message {number} must be an object with a string 'text'")
        texts.append(message["text"])
    return texts


def register(app: typer.Typer) -> None:
    from commonground.cli import policy

    app.command()(forecast)
    policy.register(app)
