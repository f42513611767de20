"""Annotation sheets: the CSV annotators fill in, and the import that reads it back.

Columns: `batch, annotator, position, item, context`, the texts (`text`, or `left, right`), `preference`
for pairwise batches, one column per criterion (`civility`, or `left_civility` and `right_civility`) and
`comment`. A rating is a whole number from 1 to 5, a preference `left`, `right` or `tie`; blank cells are
unrated and rows left blank are skipped. The platform's download has the same columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from commonground.core.errors import InputError
from commonground.core.records import table_rows
from commonground.evaluation.human.answers import PREFERENCES, Answer
from commonground.evaluation.human.batch import Batch, Key
from commonground.evaluation.human.judgements import Judgement, check_key, unblind
from commonground.evaluation.human.rubric import SCALE

FIXED = ("batch", "annotator", "position", "item", "context")
PREFERENCE_QUESTION = "Overall, which text is better?"


@dataclass(frozen=True)
class SheetRow:
    """One line of a sheet: an item at its position in an annotator's order, with the answer if any."""

    annotator: str
    position: int
    item: str
    answer: Answer | None = None
    line: int = 0


def rating_columns(batch: Batch) -> dict[str, tuple[str, str]]:
    """Column name → (side, criterion) of every rating."""
    sides = batch.kind_spec.sides
    return {
        (f"{side}_{criterion}" if len(sides) > 1 else criterion): (side, criterion)
        for side in sides
        for criterion in batch.rubric.names
    }


def columns(batch: Batch) -> list[str]:
    sides = batch.kind_spec.sides
    preference = ["preference"] if len(sides) > 1 else []
    return [*FIXED, *sides, *preference, *rating_columns(batch), "comment"]


def blank_rows(batch: Batch, annotator: str) -> list[SheetRow]:
    """A fresh sheet for one annotator: every item, in the annotator's order."""
    return [
        SheetRow(annotator=annotator, position=number, item=item.id)
        for number, item in enumerate(batch.order_for(annotator), start=1)
    ]


def instructions_for(batch: Batch) -> str:
    """What an annotator reads before filling in a sheet: the task, the columns and the rubric's anchors."""
    spec = batch.kind_spec
    if spec.pairwise:
        task = (
            "Each row shows two texts, `left` and `right`, written for the same "
            f"{spec.context_label.lower()} (column `context`). {PREFERENCE_QUESTION} "
            "Write `left`, `right` or `tie` in `preference`, then rate each text on every question below "
            "in its columns (`left_...` and `right_...`)."
        )
    else:
        task = (
            f"Each row shows a text (column `text`) and the {spec.context_label.lower()} it was written "
            "from (column `context`). Rate the text on every question below, in the column of the question."
        )
    lines = [
        f"# {batch.name}",
        "",
        task,
        "Ratings are whole numbers from 1 to 5. Leave a cell blank when you cannot judge, use `comment` for "
        "anything else, and change no other column. Some rows check attention: do what they ask.",
    ]
    for criterion in batch.rubric.criteria:
        lines += ["", f"## `{criterion.name}`: {criterion.question}", ""]
        lines += [f"- **{point}**: {anchor}" for point, anchor in criterion.anchors.items()]
    return "\n".join(lines) + "\n"


def write_sheet(batch: Batch, rows: Iterable[SheetRow], sink: IO[str]) -> None:
    """Write the header and one line per row."""
    writer = csv.writer(sink)
    writer.writerow(columns(batch))
    ratings = rating_columns(batch)
    for row in rows:
        item = batch.by_id[row.item]
        answer = row.answer or Answer()
        cells = [batch.id, row.annotator, row.position, item.id, item.context, *item.texts.values()]
        if len(item.texts) > 1:
            cells.append(answer.preference or "")
        cells += [answer.ratings.get(side, {}).get(criterion, "") for side, criterion in ratings.values()]
        writer.writerow([*cells, answer.comment])


def read_sheet(path: Path, batch: Batch) -> list[SheetRow]:
    """The rows of a filled sheet; anything malformed is an InputError naming the file, line and column."""
    expected = columns(batch)
    rows = []
    for line, row in table_rows(path, tuple(expected)):
        cells = {name: row[name].strip() for name in expected}
        if any(cells.values()):
            rows.append(_row(cells, batch=batch, where=f"{path}:{line}", line=line))
    return rows


def import_sheets(
    batch: Batch, key: Key, paths: Sequence[Path], *, key_source: str = "key"
) -> list[Judgement]:
    """Judgements from filled sheets, unblinded; an item rated twice by one annotator is an InputError."""
    check_key(batch, key, source=key_source)
    seen: dict[tuple[str, str], str] = {}
    judgements = []
    for path in paths:
        for row in read_sheet(path, batch):
            if row.answer is None:
                continue
            here = f"{path}:{row.line}"
            if (row.annotator, row.item) in seen:
                first = seen[(row.annotator, row.item)]
                raise InputError(f"{here}: {row.annotator} already rated {row.item} at {first}")
            seen[(row.annotator, row.item)] = here
            judgements.append(unblind(batch, key, annotator=row.annotator, item=row.item, answer=row.answer))
    return judgements


def _row(cells: dict[str, str], *, batch: Batch, where: str, line: int) -> SheetRow:
    if cells["batch"] != batch.id:
        raise InputError(f"{where}: column batch: {cells['batch']!r} is not this batch ({batch.id})")
    if not cells["annotator"]:
        raise InputError(f"{where}: column annotator: empty")
    if cells["item"] not in batch.by_id:
        raise InputError(f"{where}: column item: {cells['item']!r} is not an item of this batch")
    ratings: dict[str, dict[str, int]] = {}
    for column, (side, criterion) in rating_columns(batch).items():
        if cells[column]:
            ratings.setdefault(side, {})[criterion] = _rating(cells[column], where=where, column=column)
    preference = cells.get("preference", "").lower() or None
    if preference is not None and preference not in PREFERENCES:
        raise InputError(f"{where}: column preference: {preference!r} is not one of {', '.join(PREFERENCES)}")
    try:
        answer = Answer(ratings=ratings, preference=preference, comment=cells["comment"])  # type: ignore[arg-type]
    except ValidationError as error:
        raise InputError(f"{where}: column comment: {error.errors()[0]['msg']}") from None
    position = int(cells["position"]) if cells["position"].isdigit() else 0
    return SheetRow(
        annotator=cells["annotator"],
        position=position,
        item=cells["item"],
        answer=None if answer.empty else answer,
        line=line,
    )


def _rating(cell: str, *, where: str, column: str) -> int:
    value = int(cell) if cell.isdigit() else None
    if value not in SCALE:
        raise InputError(f"{where}: column {column}: {cell!r} is not a rating from 1 to 5")
    return value  # type: ignore[return-value]
