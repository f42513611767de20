"""`commonground analyze`: message incivility, JSON lines in and out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from commonground.core.errors import InputError

if TYPE_CHECKING:
    from commonground.signals.incivility import IncivilityDetector

BATCH = 1024
LARGE_INPUT_BYTES = 1 << 20
"""Inputs at least this large (or stdin past this many bytes) get a progress bar on stderr."""


def analyze(
    files: Annotated[
        list[Path] | None, typer.Argument(help="JSON-lines files (default: stdin).", show_default=False)
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Add `incivility`, `flagged`, `categories`, `spans` and `lang` to each line {"id", "text", "lang"?}.

    A bad line is answered by {"id", "error"} on its own line and the batch goes on.
    """
    from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector

    detector = IncivilityDetector.load()
    with ExitStack() as stack:
        sink: IO[str] = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        sources = _sources(files or [], stack)
        sizes = [size for _, size in sources]
        progress = stack.enter_context(_Progress(None if None in sizes else sum(sizes)))
        for batch in _batches(_lines(sources, progress), BATCH):
            for answer in _answers(batch, detector, DEFAULT_THRESHOLD):
                sink.write(json.dumps(answer, ensure_ascii=False) + "\n")


def _sources(files: list[Path], stack: ExitStack) -> list[tuple[IO[bytes], int | None]]:
    """Open binary sources with their sizes (None for stdin)."""
    if not files:
        return [(sys.stdin.buffer, None)]
    sources: list[tuple[IO[bytes], int | None]] = []
    for path in files:
        try:
            sources.append((stack.enter_context(path.open("rb")), path.stat().st_size))
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}") from None
    return sources


def _lines(sources: list[tuple[IO[bytes], int | None]], progress: _Progress) -> Iterator[bytes]:
    for source, _ in sources:
        for raw in source:
            progress.advance(len(raw))
            if raw.strip():
                yield raw


def _batches(lines: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _answers(batch: list[bytes], detector: IncivilityDetector, threshold: float) -> list[dict[str, Any]]:
    """Each line's record with its scores, or {"id", "error"}, in input order."""
    answers: list[dict[str, Any]] = []
    scored: list[int] = []
    for raw in batch:
        record_id = None
        try:
            record = _parse(raw)
            record_id = record.get("id")
            _check(record)
        except InputError as error:
            answers.append(
                {"id": record_id if record_id is not None else _salvage_id(raw), "error": str(error)}
            )
            continue
        answers.append(record)
        scored.append(len(answers) - 1)
    records = [answers[i] for i in scored]
    scores = detector.score_many([r["text"] for r in records], [r.get("lang") for r in records])
    for record, score in zip(records, scores, strict=True):
        record.update(
            incivility=score.probability,
            flagged=score.supported and score.probability >= threshold,
            categories=score.categories,
            spans=[list(span) for span in score.spans],
            lang=score.lang,
            supported=score.supported,
        )
    return answers


def _parse(raw: bytes) -> dict[str, Any]:
    """The JSON object of a line."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(f"invalid UTF-8 at byte {error.start}") from None
    except json.JSONDecodeError as error:
        raise InputError(f"invalid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(record, dict):
        raise InputError("each line must be a JSON object")
    return record


def _salvage_id(raw: bytes) -> Any:
    """The id of a line that is JSON once undecodable bytes are replaced, else None."""
    try:
        record = json.loads(raw.decode("utf-8", "replace"))
    except json.JSONDecodeError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def _check(record: dict[str, Any]) -> None:
    if "text" not in record:
        raise InputError("missing text")
    if not isinstance(record["text"], str):
        raise InputError("text must be a string")
    if record.get("lang") is not None and not isinstance(record["lang"], str):
        raise InputError("lang must be a string")


class _Progress:
    """A rich progress bar on stderr, shown only for large inputs on a terminal."""

    def __init__(self, total_bytes: int | None) -> None:
        self.total = total_bytes
        self.seen = 0
        self._decided = False
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, size: int) -> None:
        """Count `size` more bytes read; start the bar once the input proves large."""
        self.seen += size
        if not self._decided and max(self.seen, self.total or 0) >= LARGE_INPUT_BYTES:
            self._decided = True
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.seen)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        if console.is_terminal:
            columns = (TextColumn("analyze"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
            self._bar = Progress(*columns, console=console, transient=True)
            self._task = self._bar.add_task("analyze", total=self.total)
            self._bar.start()


def register(app: typer.Typer) -> None:
    app.command()(analyze)
