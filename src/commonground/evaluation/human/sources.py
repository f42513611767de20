"""The three kinds of batch and how each reads the JSON lines a command wrote.

- `rephrase`: lines of `commonground rephrase` (`text` the original, `rephrased` the output); each
  rephrasing is rated on its own, shown under its original.
- `draft`: lines of `commonground draft` (`text`) from two or more systems; the drafts for one source are
  shown side by side, a preference is asked, and each side is rated.
- `summary`: lines of `commonground summarize` (`text`); each summary is rated on its own.

A line's `id` names its source (the line's number when absent): outputs of different systems for the same
source share it. An optional `context` string (the conversation, say) is shown above the item. Lines that
carry a command's `error` are skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from commonground.core.errors import InputError
from commonground.core.records import json_lines

log = logging.getLogger(__name__)

KindName = Literal["rephrase", "draft", "summary"]


@dataclass(frozen=True)
class Kind:
    """What a batch of this kind shows and asks."""

    name: KindName
    pairwise: bool
    text_field: str
    context_field: str
    context_label: str
    criteria: tuple[str, ...]

    @property
    def sides(self) -> tuple[str, ...]:
        """The texts of one item: one to rate, or two to compare."""
        return ("left", "right") if self.pairwise else ("text",)


KINDS: dict[str, Kind] = {
    "rephrase": Kind(
        name="rephrase",
        pairwise=False,
        text_field="rephrased",
        context_field="text",
        context_label="Original message",
        criteria=("meaning_kept", "civility", "fluency"),
    ),
    "draft": Kind(
        name="draft",
        pairwise=True,
        text_field="text",
        context_field="context",
        context_label="Conversation",
        criteria=("neutrality", "helpfulness", "civility", "fluency"),
    ),
    "summary": Kind(
        name="summary",
        pairwise=False,
        text_field="text",
        context_field="context",
        context_label="Conversation",
        criteria=("meaning_kept", "neutrality", "helpfulness", "fluency"),
    ),
}


def find_kind(name: str) -> Kind:
    """The kind called `name`, or an InputError listing the kinds."""
    if name not in KINDS:
        raise InputError(f"unknown batch kind {name!r}; choose from {', '.join(KINDS)}")
    return KINDS[name]


@dataclass(frozen=True)
class Output:
    """One system's output for one source."""

    source: str
    text: str
    context: str


def read_outputs(path: Path, batch_kind: Kind, *, context: str = "") -> list[Output]:
    """The outputs in a JSON-lines file; `context` is shown for lines without their own.

    A malformed line, a missing or non-string field, or a repeated id is an InputError naming file and line.
    """
    outputs: list[Output] = []
    first_line: dict[str, int] = {}
    for number, record in json_lines(path):
        source = str(record.get("id", len(first_line) + 1))
        if source in first_line:
            raise InputError(f"{path}:{number}: id {source!r} repeats line {first_line[source]}")
        first_line[source] = number
        if "error" in record:
            log.warning("%s:%d: skipped, the command failed on it: %s", path, number, record["error"])
            continue
        text = _string(record, batch_kind.text_field, path=path, number=number, required=True)
        own_context = _string(record, batch_kind.context_field, path=path, number=number, required=False)
        outputs.append(Output(source=source, text=text, context=own_context or context))
    return outputs


def _string(record: dict[str, object], field: str, *, path: Path, number: int, required: bool) -> str:
    value = record.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problem = "missing" if value is None else "must be a non-empty string"
        raise InputError(f"{path}:{number}: field '{field}' {problem}")
    return value
