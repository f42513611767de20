"""Annotation: the administrator uploads a batch and hands out links; annotators rate item by item.

JSON under `/api/admin/annotation/batches` (administrator key) and `/api/annotation/{batch_id}` (an
annotation link's token: Bearer header, the batch's cookie or `?token=`). The page `/a/{batch_id}` shows one
item at a time as a plain form, usable on a phone and without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import HTTPConnection

from commonground.core.errors import CommongroundError, InputError, first_problem
from commonground.evaluation.human.answers import Answer
from commonground.evaluation.human.rubric import Rubric
from commonground.evaluation.human.sheets import PREFERENCE_QUESTION
from commonground.platform import annotations
from commonground.platform.annotations import AnnotationLink, BatchSummary, Position
from commonground.platform.db.annotation import AnnotatorRow
from commonground.platform.deps import AdminDep, PlatformDep, SessionDep, released
from commonground.platform.errors import Forbidden, NotFound, Unauthenticated
from commonground.platform.web import refused, remember, templates

router = APIRouter(tags=["annotation"])
ADMIN = "/api/admin/annotation/batches"


def annotation_cookie(batch_id: str) -> str:
    """The cookie that holds an annotator's token for one batch."""
    return f"cg_a_{batch_id}"


def current_annotator(
    connection: HTTPConnection, platform: PlatformDep, session: SessionDep, batch_id: str
) -> AnnotatorRow:
    """The annotator a token names; a token for another batch (or a conversation's invitation) is refused."""
    header = connection.headers.get("authorization", "")
    token = (
        (header[7:].strip() if header.lower().startswith("bearer ") else None)
        or connection.cookies.get(annotation_cookie(batch_id))
        or connection.query_params.get("token")
    )
    if not token:
        raise Unauthenticated("an annotation link is required")
    grant = platform.annotation_tokens.verify(token)
    annotator = session.get(AnnotatorRow, grant.participant_id)
    if grant.conversation_id != batch_id or annotator is None or annotator.batch_id != batch_id:
        raise Forbidden("this annotation link is for another batch")
    return released(session, annotator)


AnnotatorDep = Annotated[AnnotatorRow, Depends(current_annotator)]


class AnnotatorsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(min_length=1)


class AnnotationView(BaseModel):
    """What one annotator sees: the batch's rubric and its items in their order, with their own answers."""

    batch: str
    name: str
    kind: str
    rubric: Rubric
    items: list[Position]


@router.post(ADMIN, status_code=status.HTTP_201_CREATED)
def upload_batch(
    _admin: AdminDep,
    session: SessionDep,
    document: dict[str, Any] = Body(description="A batch file written by `commonground eval human build`."),  # noqa: B008
) -> BatchSummary:
    """Upload a batch (never its key); a key or a malformed batch is a 422 naming the field."""
    batch = annotations.upload(session, document)
    return BatchSummary(id=batch.id, name=batch.name, kind=batch.kind, items=len(batch.items), annotators=[])


@router.get(ADMIN)
def list_batches(_admin: AdminDep, session: SessionDep) -> list[BatchSummary]:
    """Every uploaded batch, newest first."""
    return annotations.summaries(session)


@router.post(f"{ADMIN}/{{batch_id}}/annotators", status_code=status.HTTP_201_CREATED)
def add_annotators(
    _admin: AdminDep, platform: PlatformDep, session: SessionDep, batch_id: str, body: AnnotatorsCreate
) -> list[AnnotationLink]:
    """One signed annotation link per named annotator (a fresh link for a name already there)."""
    return annotations.links(platform, session, batch_id, body.names)


@router.get(f"{ADMIN}/{{batch_id}}/ratings", response_class=Response)
def download_ratings(_admin: AdminDep, session: SessionDep, batch_id: str) -> Response:
    """Every annotator's answers as the CSV that `commonground eval human import` reads."""
    batch = annotations.stored(session, batch_id)
    return Response(
        annotations.ratings_sheet(session, batch),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{batch.id}-ratings.csv"'},
    )


@router.get("/api/annotation/{batch_id}/items")
def my_items(annotator: AnnotatorDep, session: SessionDep) -> AnnotationView:
    """The caller's items in their own order, with the caller's answers only."""
    batch = annotations.stored(session, annotator.batch_id)
    places = annotations.positions(session, batch, annotator)
    return AnnotationView(batch=batch.id, name=batch.name, kind=batch.kind, rubric=batch.rubric, items=places)


@router.put("/api/annotation/{batch_id}/items/{item_id}")
def answer_item(annotator: AnnotatorDep, session: SessionDep, item_id: str, answer: Answer) -> Answer:
    """Store the caller's answer to one item (replacing an earlier one)."""
    batch = annotations.stored(session, annotator.batch_id)
    return annotations.save(session, batch, annotator, item_id=item_id, answer=answer)


@router.get("/annotate/{token}", include_in_schema=False)
def open_link(request: Request, platform: PlatformDep, token: str) -> Response:
    """Check the link, keep its token in the batch's cookie, open the annotation page."""
    try:
        grant = platform.annotation_tokens.verify(token)
    except CommongroundError as error:
        return refused(request, error)
    batch_id, lifetime_s = grant.conversation_id, platform.annotation_tokens.lifetime_s
    return remember(token, cookie=annotation_cookie(batch_id), target=f"/a/{batch_id}", lifetime_s=lifetime_s)


@router.get("/a/{batch_id}", include_in_schema=False)
def page(
    request: Request, annotator: AnnotatorDep, session: SessionDep, position: int | None = None
) -> HTMLResponse:
    """One item to rate: the one at `position`, else the first not yet rated; a thank-you when all are."""
    batch = annotations.stored(session, annotator.batch_id)
    places = annotations.positions(session, batch, annotator)
    if position is not None and not 1 <= position <= len(places):
        raise NotFound(f"no item at position {position}; the batch has {len(places)}")
    place = places[position - 1] if position else next((p for p in places if p.answer is None), None)
    context = {
        "batch": batch,
        "kind": batch.kind_spec,
        "annotator": annotator,
        "place": place,
        "total": len(places),
        "rated": sum(p.answer is not None for p in places),
        "preference_question": PREFERENCE_QUESTION,
    }
    return templates.TemplateResponse(request, "annotate.html", context)


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.post("/a/{batch_id}/{position}", include_in_schema=False)
def submit(
    annotator: AnnotatorDep,
    session: SessionDep,
    position: int,
    form: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    """Store the page's answer and go on to the next item not yet rated."""
    batch = annotations.stored(session, annotator.batch_id)
    places = annotations.positions(session, batch, annotator)
    if not 1 <= position <= len(places):
        raise NotFound(f"no item at position {position}; the batch has {len(places)}")
    annotations.save(session, batch, annotator, item_id=places[position - 1].item.id, answer=_answer(form))
    waiting = [p.position for p in places if p.answer is None and p.position != position]
    following = next((number for number in waiting if number > position), waiting[0] if waiting else None)
    target = f"/a/{batch.id}" + (f"?position={following}" if following else "")
    return RedirectResponse(target, status_code=303)


def _answer(form: dict[str, str]) -> Answer:
    """An answer from the page's fields: `side.criterion` ratings, `preference`, `comment`."""
    ratings: dict[str, dict[str, str]] = {}
    for field, value in form.items():
        side, dot, criterion = field.partition(".")
        if dot and value:
            ratings.setdefault(side, {})[criterion] = value
    data = {
        "ratings": ratings,
        "preference": form.get("preference") or None,
        "comment": form.get("comment", ""),
    }
    try:
        return Answer.model_validate(data)
    except ValidationError as error:
        raise InputError(first_problem(error, root="answer")) from None
