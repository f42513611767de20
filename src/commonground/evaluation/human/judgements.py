"""Answers unblinded with the key: which system each rating and preference is about."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ValidationError

from commonground.core.errors import InputError, first_problem
from commonground.core.records import json_lines
from commonground.evaluation.human.answers import Answer, matches
from commonground.evaluation.human.batch import Batch, Key


class Judgement(BaseModel):
    """One annotator's answer to one item: ratings by system and criterion, the preferred system or "tie".

    An attention check has no systems; `attention` says whether the annotator gave the asked-for answer.
    """

    batch: str
    annotator: str
    item: str
    source: str | None = None
    systems: list[str] = []
    ratings: dict[str, dict[str, int]] = {}
    preference: str | None = None
    attention: bool | None = None
    comment: str = ""


def check_key(batch: Batch, key: Key, *, source: str) -> None:
    """An InputError unless `key` is the key of `batch`."""
    if key.batch != batch.id or set(key.by_item) != set(batch.by_id):
        raise InputError(f"{source}: this key belongs to batch {key.batch}, not to batch {batch.id}")


def unblind(batch: Batch, key: Key, *, annotator: str, item: str, answer: Answer) -> Judgement:
    """The judgement an answer makes, with sides replaced by the systems the key names."""
    entry = key.by_item[item]
    base = Judgement(
        batch=batch.id, annotator=annotator, item=item, source=entry.source, comment=answer.comment
    )
    if entry.expected is not None:
        return base.model_copy(update={"attention": matches(answer, entry.expected)})
    sides = entry.systems
    preference = answer.preference
    return base.model_copy(
        update={
            "systems": [sides[side] for side in batch.kind_spec.sides],
            "ratings": {sides[side]: dict(values) for side, values in answer.ratings.items() if values},
            "preference": sides.get(preference, preference) if preference else None,
        }
    )


def write_judgements(path: Path | None, judgements: Iterable[Judgement]) -> str:
    """Judgements as JSON lines, written to `path` when given; the text is returned."""
    text = "".join(judgement.model_dump_json() + "\n" for judgement in judgements)
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text


def read_judgements(paths: Iterable[Path]) -> list[Judgement]:
    """Judgements from JSON-lines files; a bad line is an InputError naming the file, line and field."""
    judgements = []
    for path in paths:
        for number, record in json_lines(path):
            try:
                judgements.append(Judgement.model_validate(record))
            except ValidationError as error:
                raise InputError(f"{path}:{number}: {first_problem(error, root='line')}") from None
    return judgements
