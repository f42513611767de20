"""Annotation on the platform: uploaded batches, annotators and their links, answers, the ratings sheet.

The platform holds batches only, never their keys, so nothing it shows can unblind an item. Each annotator
sees the items in their own order (the same as their exported sheet) and only their own answers.
"""

from __future__ import annotations

import io
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from commonground.evaluation.human.answers import Answer, check_answer
from commonground.evaluation.human.batch import Batch, Item, parse_batch
from commonground.evaluation.human.sheets import SheetRow, write_sheet
from commonground.platform.db.annotation import AnnotationBatchRow, AnnotationRow, AnnotatorRow
from commonground.platform.errors import Conflict, NotFound
from commonground.platform.runtime import Platform
from commonground.platform.security import Grant


class AnnotationLink(BaseModel):
    """An annotator and the signed link that opens their annotation page."""

    annotator: str
    annotator_id: str
    token: str
    url: str


class BatchSummary(BaseModel):
    id: str
    name: str
    kind: str
    items: int
    annotators: list[str]


class Position(BaseModel):
    """An item at its place in the annotator's order, with the annotator's answer if any."""

    position: int
    item: Item
    answer: Answer | None


def upload(session: Session, document: Any) -> Batch:
    """Store a batch file's content; a key, a malformed batch or one stored already is refused."""
    batch = parse_batch(document, source="the uploaded batch")
    if session.get(AnnotationBatchRow, batch.id) is not None:
        raise Conflict(f"batch {batch.id} is uploaded already")
    document = batch.model_dump(mode="json")
    session.add(AnnotationBatchRow(id=batch.id, name=batch.name, kind=batch.kind, document=document))
    session.commit()
    return batch


def stored(session: Session, batch_id: str) -> Batch:
    """An uploaded batch (404 when unknown)."""
    row = session.get(AnnotationBatchRow, batch_id)
    if row is None:
        raise NotFound(f"no annotation batch {batch_id}")
    return Batch.model_validate(row.document)


def summaries(session: Session) -> list[BatchSummary]:
    """Every uploaded batch, newest first, with its annotators."""
    rows = session.scalars(select(AnnotationBatchRow).order_by(AnnotationBatchRow.created_at.desc()))
    return [
        BatchSummary(
            id=row.id,
            name=row.name,
            kind=row.kind,
            items=len(row.document["items"]),
            annotators=[a.name for a in annotators(session, row.id)],
        )
        for row in rows
    ]


def annotators(session: Session, batch_id: str) -> list[AnnotatorRow]:
    query = select(AnnotatorRow).where(AnnotatorRow.batch_id == batch_id).order_by(AnnotatorRow.name)
    return list(session.scalars(query))


def links(platform: Platform, session: Session, batch_id: str, names: list[str]) -> list[AnnotationLink]:
    """A link for each named annotator, who is added to the batch unless already there."""
    stored(session, batch_id)
    known = {row.name: row for row in annotators(session, batch_id)}
    for name in names:
        if name not in known:
            known[name] = AnnotatorRow(batch_id=batch_id, name=name)
            session.add(known[name])
    session.commit()
    return [_link(platform, known[name]) for name in names]


def _link(platform: Platform, row: AnnotatorRow) -> AnnotationLink:
    token = platform.annotation_tokens.issue(Grant(participant_id=row.id, conversation_id=row.batch_id))
    return AnnotationLink(
        annotator=row.name, annotator_id=row.id, token=token, url=platform.url(f"/annotate/{token}")
    )


def answers(session: Session, annotator: AnnotatorRow) -> dict[str, Answer]:
    """The annotator's answers by item."""
    rows = session.scalars(select(AnnotationRow).where(AnnotationRow.annotator_id == annotator.id))
    return {row.item: Answer.model_validate(row.answer) for row in rows}


def positions(session: Session, batch: Batch, annotator: AnnotatorRow) -> list[Position]:
    """The batch in the annotator's order, with their answers."""
    given = answers(session, annotator)
    return [
        Position(position=number, item=item, answer=given.get(item.id))
        for number, item in enumerate(batch.order_for(annotator.name), start=1)
    ]


def save(session: Session, batch: Batch, annotator: AnnotatorRow, *, item_id: str, answer: Answer) -> Answer:
    """Store (or replace) the annotator's answer to an item; an answer that does not fit is an InputError."""
    if item_id not in batch.by_id:
        raise NotFound(f"no item {item_id} in batch {batch.id}")
    check_answer(answer, sides=batch.kind_spec.sides, rubric=batch.rubric)
    query = select(AnnotationRow).where(
        AnnotationRow.annotator_id == annotator.id, AnnotationRow.item == item_id
    )
    row = session.scalars(query).first()
    if row is None:
        session.add(AnnotationRow(annotator_id=annotator.id, item=item_id, answer=answer.model_dump()))
    else:
        row.answer = answer.model_dump()
    session.commit()
    return answer


def ratings_sheet(session: Session, batch: Batch) -> str:
    """Every annotator's answers as the CSV sheet `commonground eval human import` reads."""
    rows = [
        SheetRow(annotator=annotator.name, position=place.position, item=place.item.id, answer=place.answer)
        for annotator in annotators(session, batch.id)
        for place in positions(session, batch, annotator)
    ]
    sink = io.StringIO()
    write_sheet(batch, rows, sink)
    return sink.getvalue()
