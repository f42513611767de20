"""Where call records go: a list in memory, a JSON-lines file, or nowhere."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from commonground.llm.types import CallRecord

Recorder = Callable[[CallRecord], None]


def discard(record: CallRecord) -> None:
    """A recorder that keeps nothing."""


class MemoryRecorder:
    """Keeps records in a list, for tests and in-process reports."""

    def __init__(self) -> None:
        self.records: list[CallRecord] = []

    def __call__(self, record: CallRecord) -> None:
        self.records.append(record)


class JsonlRecorder:
    """Appends one JSON line per call to a file (created with its folder on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def __call__(self, record: CallRecord) -> None:
        line = record.model_dump_json() + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line)
