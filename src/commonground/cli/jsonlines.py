"""JSON lines in, JSON lines out: the plumbing every batch command shares.

Reads files (or stdin) as bytes, answers every non-blank line in input order, turns a bad line into
`{"id": ..., "error": ...}` on its own output line and goes on, and shows a progress bar on stderr when the
input is large (or the work slow) and stderr is a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from commonground.core.errors import CommongroundError, InputError

InputFiles = Annotated[
    list[Path] | None, typer.Argument(help="JSON-lines files (default: stdin).", show_default=False)
]
OutputFile = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
Record = dict[str, Any]
Transform = Callable[[list[Record]], list[Record]]
"""Answers for a batch of parsed records, one per record, in order (an answer may be an error object)."""


def run(
    files: list[Path] | None,
    output: Path | None,
    transform: Transform,
    *,
    description: str,
    batch_size: int = 1,
    progress_after_bytes: int = 1 << 20,
) -> None:
    """Answer every line of `files` (stdin when none) into `output` (stdout when None)."""
    with ExitStack() as stack:
        sink: IO[str] = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        sources = _sources(files or [], stack)
        sizes = [size for _, size in sources]
        total = None if None in sizes else sum(s for s in sizes if s is not None)
        progress = stack.enter_context(_ByteProgress(description, total, show_after=progress_after_bytes))
        for batch in _batches(_lines(sources, progress), batch_size):
            for answer in _answers(batch, transform):
                sink.write(json.dumps(answer, ensure_ascii=False) + "\n")
            sink.flush()


def each(answer: Callable[[Record], Record]) -> Transform:
    """A transform answering records one at a time; a CommongroundError becomes that record's error line."""

    def transform(records: list[Record]) -> list[Record]:
        answers = []
        for record in records:
            try:
                answers.append(answer(record))
            except CommongroundError as error:
                answers.append({"id": record.get("id"), "error": str(error)})
        return answers

    return transform


def _answers(batch: list[bytes], transform: Transform) -> list[Record]:
    answers: list[Record | None] = []
    parsed: list[Record] = []
    for raw in batch:
        try:
            parsed.append(_parse(raw))
            answers.append(None)
        except InputError as error:
            answers.append({"id": _salvage_id(raw), "error": str(error)})
    results = iter(transform(parsed) if parsed else [])
    return [answer if answer is not None else next(results) for answer in answers]


def _parse(raw: bytes) -> Record:
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


def _sources(files: list[Path], stack: ExitStack) -> list[tuple[IO[bytes], int | None]]:
    """Binary sources with their sizes (None for stdin)."""
    if not files:
        return [(sys.stdin.buffer, None)]
    sources: list[tuple[IO[bytes], int | None]] = []
    for path in files:
        try:
            sources.append((stack.enter_context(path.open("rb")), path.stat().st_size))
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror}") from None
    return sources


def _lines(sources: list[tuple[IO[bytes], int | None]], progress: _ByteProgress) -> Iterator[bytes]:
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


class _ByteProgress:
    """A progress bar over bytes read, started once the input proves large enough, on a terminal only."""

    def __init__(self, description: str, total: int | None, *, show_after: int) -> None:
        self.description, self.total, self.show_after = description, total, show_after
        self.seen = 0
        self._bar: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> _ByteProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, size: int) -> None:
        self.seen += size
        if self._bar is None and max(self.seen, self.total or 0) >= self.show_after:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.seen)

    def _start(self) -> None:
        console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._task = self._bar.add_task(self.description, total=self.total)
        self._bar.start()
