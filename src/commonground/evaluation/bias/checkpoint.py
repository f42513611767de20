"""The checkpoint of a run: JSON lines in the output directory, a header naming the run, then one line per
finished item, written and flushed to disk as soon as the item is done.

A run resumes only a checkpoint of the same suite, size, seed, limit, backend and model; any other is
refused, naming what differs. A last line cut short by an interruption is dropped: at most the item that
was in flight is lost. An item tried again (after failing) gets a later line, which is the one that counts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from commonground.core.errors import InputError, first_problem
from commonground.core.records import json_lines

NAME = "checkpoint.jsonl"


class Cost(BaseModel):
    """What one item cost, from the records of its model calls."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0


class Entry(BaseModel):
    """One finished item: its result, or why it failed, and its cost."""

    dimension: str
    id: str
    result: dict[str, Any] | None = None
    error: str | None = None
    cost: Cost


class Checkpoint:
    """Finished items of one run, kept in `directory/checkpoint.jsonl`."""

    def __init__(self, directory: Path, header: dict[str, Any]) -> None:
        self.path = directory / NAME
        self.header = header
        self.entries: list[Entry] = []

    def load(self) -> list[Entry]:
        """The finished items on disk (none without a file); refuses another run's checkpoint."""
        if not self.path.exists():
            return []
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise InputError(f"{self.path}: cannot read ({error.strerror or error})") from None
        complete = raw[: raw.rfind(b"\n") + 1]
        if len(complete) < len(raw):  # an interrupted write: drop the partial line
            with self.path.open("r+b") as file:
                file.truncate(len(complete))
        records = list(json_lines(self.path))
        if not records:
            return []
        self._check_header(records[0][1])
        self.entries = []
        for number, record in records[1:]:
            try:
                self.entries.append(Entry.model_validate(record))
            except ValidationError as error:
                raise InputError(f"{self.path}:{number}: {first_problem(error, root='entry')}") from None
        return list(self.entries)

    def append(self, entry: Entry) -> None:
        """Write one finished item to disk now (and the header first, in a new file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = [] if self.path.exists() and self.path.stat().st_size else [self.header]
        lines.append(entry.model_dump(mode="json"))
        with self.path.open("a", encoding="utf-8") as file:
            file.write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
            file.flush()
            os.fsync(file.fileno())
        self.entries.append(entry)

    def _check_header(self, found: dict[str, Any]) -> None:
        for key, wanted in self.header.items():
            if found.get(key) != wanted:
                raise InputError(
                    f"{self.path} is the checkpoint of another run ({key} {found.get(key)!r}, this run "
                    f"{wanted!r}): run with the same options, or choose another --out"
                )
