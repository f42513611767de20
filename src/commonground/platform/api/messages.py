"""Participants: post (idempotent), check a draft before sending, read a suggestion, ask the mediator."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from commonground.platform import flow
from commonground.platform.deps import PlatformDep, PosterDep, SessionDep, SuggestionDep
from commonground.platform.schemas import (
    CheckRequest,
    CheckResult,
    MediatorRequest,
    MessageCreate,
    MessagePublic,
    SuggestionPublic,
)
from commonground.platform.views import REPOSTED, posted, suggestion_public

router = APIRouter(prefix="/api/conversations/{conversation_id}", tags=["participant"])


@router.post("/messages", status_code=status.HTTP_201_CREATED, responses=REPOSTED)
def post(
    author: PosterDep, platform: PlatformDep, session: SessionDep, body: MessageCreate, response: Response
) -> MessagePublic:
    """Post as the caller. The same `client_id` again returns the stored message (200) instead of a copy."""
    row, created = flow.post_message(platform, session, author, body)
    return posted(response, row, author, created=created)


@router.post("/check")
def check(author: PosterDep, platform: PlatformDep, session: SessionDep, body: CheckRequest) -> CheckResult:
    """Pre-send check of a draft: incivility, feedback when flagged, and a rephrasing suggestion that the
    worker fills in (watch the WebSocket or poll `GET …/suggestions/{id}`)."""
    return flow.check_draft(platform, session, author, body.text)


@router.get("/suggestions/{suggestion_id}")
def suggestion(row: SuggestionDep) -> SuggestionPublic:
    """A suggestion made for the caller (mediators also see drafts, summaries and interventions)."""
    return suggestion_public(row)


@router.post("/requests", status_code=status.HTTP_202_ACCEPTED)
def ask_mediator(
    author: PosterDep, platform: PlatformDep, session: SessionDep, body: MediatorRequest | None = None
) -> dict[str, str]:
    """'Ask the mediator': notifies the mediators; the policy may have the AI mediator step in."""
    flow.request_mediator(platform, session, author, body.note if body else None)
    return {"status": "requested"}
