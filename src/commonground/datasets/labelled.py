"""Labelled texts for detection: CSV/TSV/JSON-lines files, ParaDetox and TextDetox TSV, ConvoKit utterances.

Label 1 is uncivil (toxic), 0 civil. Labels read as 0/1, true/false or 0.0/1.0. In a labelled file the
`text` and `label` columns are required; `lang`, `id`, `identity` (the identity a civil text mentions) and
`score` (an external classifier's score) are optional, and every column name can be changed with `Columns`.
ParaDetox rows give their toxic sentence (label 1) and each neutral paraphrase (label 0); TextDetox rows their
toxic sentence (label 1). A ConvoKit corpus gives each utterance whose meta has the label column.
Malformed files raise InputError naming the file, the line and the missing or bad column.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from commonground.core.convokit import read_corpus
from commonground.core.errors import InputError
from commonground.core.records import json_lines, table_rows

log = logging.getLogger(__name__)

Format = Literal["auto", "csv", "tsv", "jsonl", "paradetox", "textdetox", "convokit"]
FORMATS: tuple[str, ...] = get_args(Format)
_LABELS = {"0": 0, "1": 1, "false": 0, "true": 1, "0.0": 0, "1.0": 1}


@dataclass(frozen=True)
class Columns:
    """Column (or JSON key, or ConvoKit utterance meta) names of a labelled file."""

    text: str = "text"
    label: str = "label"
    lang: str = "lang"
    id: str = "id"
    identity: str = "identity"
    score: str = "score"


@dataclass(frozen=True)
class LabelledText:
    """One labelled text; `where` is its file and line."""

    text: str
    label: int
    lang: str | None = None
    id: str | None = None
    identity: str | None = None
    score: float | None = None
    where: str = ""


@dataclass(frozen=True)
class ParaDetoxRow:
    toxic: str
    neutrals: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class TextDetoxRow:
    toxic: str
    neutral: str | None
    lang: str
    line: int


def read_paradetox(path: Path) -> list[ParaDetoxRow]:
    """Rows of ParaDetox's `paradetox.tsv`: a toxic sentence and its non-empty neutral paraphrases."""
    rows = []
    for line, row in table_rows(path, ("toxic", "neutral1"), delimiter="\t"):
        neutrals = tuple(row[name].strip() for name in sorted(row) if name.startswith("neutral"))
        rows.append(ParaDetoxRow(row["toxic"].strip(), tuple(n for n in neutrals if n), line))
    return rows


def read_paradetox_cannot_rewrite(path: Path) -> list[tuple[str, frozenset[str]]]:
    """(toxic sentence, reasons) of `paradetox_cannot_rewrite.tsv`.

    Reasons: toxic_content, not_toxic, unclear, other_tick.
    """
    pairs = []
    for line, row in table_rows(path, ("INPUT:toxic_comment", "OUTPUT:reasons"), delimiter="\t"):
        try:
            reasons = json.loads(row["OUTPUT:reasons"])
        except json.JSONDecodeError:
            reasons = None
        if not isinstance(reasons, dict):
            raise InputError(f"{path}:{line}: column 'OUTPUT:reasons' is not a JSON object")
        text = row["INPUT:toxic_comment"].strip().strip('"').strip()
        pairs.append((text, frozenset(reason for reason, given in reasons.items() if given)))
    return pairs


def read_textdetox(path: Path) -> list[TextDetoxRow]:
    """Rows of a TextDetox TSV: `toxic_sentence`, `lang`, and `neutral_sentence` when given and not blank."""
    return [
        TextDetoxRow(row["toxic_sentence"], row.get("neutral_sentence") or None, row["lang"].strip(), line)
        for line, row in table_rows(path, ("toxic_sentence", "lang"), delimiter="\t")
    ]


def read_labelled(
    path: Path, *, format: Format = "auto", columns: Columns | None = None
) -> list[LabelledText]:
    """Labelled texts of a file (or ConvoKit directory) in any supported format; `auto` picks it from the
    name and, for TSV, the header."""
    columns = columns or Columns()
    chosen = detect_format(path) if format == "auto" else format
    if chosen == "paradetox":
        return [text for row in read_paradetox(path) for text in _paradetox_texts(row, path)]
    if chosen == "textdetox":
        return [
            LabelledText(row.toxic, 1, row.lang, str(row.line), where=f"{path}:{row.line}")
            for row in read_textdetox(path)
        ]
    if chosen == "convokit":
        return _convokit_texts(path, columns)
    if chosen == "jsonl":
        records: Iterable[tuple[int, Mapping[str, Any]]] = json_lines(path)
    else:
        records = table_rows(path, (columns.text, columns.label), delimiter="\t" if chosen == "tsv" else ",")
    return [_labelled(record, columns, f"{path}:{line}") for line, record in records]


def detect_format(path: Path) -> str:
    """convokit for a directory, jsonl, csv, or for TSV paradetox, textdetox or tsv by the header."""
    if path.is_dir():
        return "convokit"
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    try:
        with path.open(encoding="utf-8") as handle:
            header = handle.readline().rstrip("\r\n").split("\t")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read ({error})") from None
    if "toxic_sentence" in header:
        return "textdetox"
    if "toxic" in header and "neutral1" in header:
        return "paradetox"
    if len(header) > 1:
        return "tsv"
    raise InputError(f"{path}: unknown format; pass --format ({', '.join(FORMATS[1:])})")


def parse_label(value: Any, column: str, where: str) -> int:
    """0 or 1 from 0/1, true/false, 0.0/1.0 (numbers, booleans or strings)."""
    if isinstance(value, bool):
        return int(value)
    key = str(value).strip().lower() if isinstance(value, str | int | float) else None
    if key not in _LABELS:
        raise InputError(f"{where}: column {column!r} has {value!r}; expected 0 or 1 (or true/false)")
    return _LABELS[key]


def parse_score(value: Any, column: str, where: str) -> float | None:
    """A finite number, or None when absent or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        score = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        score = math.nan
    if not math.isfinite(score):
        raise InputError(f"{where}: column {column!r} has {value!r}; expected a number")
    return score


def _labelled(record: Mapping[str, Any], columns: Columns, where: str) -> LabelledText:
    for name in (columns.text, columns.label):
        if name not in record:
            raise InputError(f"{where}: missing column {name!r}")
    text = record[columns.text]
    if not isinstance(text, str):
        raise InputError(f"{where}: column {columns.text!r} must be a string")
    return LabelledText(
        text=text,
        label=parse_label(record[columns.label], columns.label, where),
        lang=_optional(record, columns.lang),
        id=_optional(record, columns.id),
        identity=_optional(record, columns.identity),
        score=parse_score(record.get(columns.score), columns.score, where),
        where=where,
    )


def _optional(record: Mapping[str, Any], column: str) -> str | None:
    value = record.get(column)
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _paradetox_texts(row: ParaDetoxRow, path: Path) -> Iterator[LabelledText]:
    where = f"{path}:{row.line}"
    yield LabelledText(row.toxic, 1, "en", str(row.line), where=where)
    for number, neutral in enumerate(row.neutrals, start=1):
        yield LabelledText(neutral, 0, "en", f"{row.line}.{number}", where=where)


def _convokit_texts(directory: Path, columns: Columns) -> list[LabelledText]:
    """Utterances whose meta has the label column; their meta may also hold identity and score."""
    texts, unlabelled = [], 0
    for conversation in read_corpus(directory).conversations:
        for message in conversation.messages:
            if columns.label not in message.meta:
                unlabelled += 1
                continue
            where = f"{directory}: utterance {message.id}"
            record = {**message.meta, columns.text: message.text, columns.lang: message.lang}
            texts.append(_labelled({**record, columns.id: message.id}, columns, where))
    if not texts:
        raise InputError(f"{directory}: no utterance has the label {columns.label!r} in its meta")
    if unlabelled:
        log.info("%s: %d utterances without %r left out", directory, unlabelled, columns.label)
    return texts
