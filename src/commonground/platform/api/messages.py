"""Participants: post (idempotent), check a draft before sending, read a suggestion, ask the mediator."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from commonground.platform import flow, store
from commonground.platform.db.models import SuggestionRow
from commonground.platform.deps import ParticipantDep, PlatformDep, SessionDep
from commonground.platform.errors import Forbidden, NotFound
from commonground.platform.schemas import (
    CheckRequest,
    CheckResult,
    MediatorRequest,
    MessageCreate,
    MessagePublic,
    SuggestionPublic,
)
from commonground.platform.store import STAFF_ROLES
from commonground.platform.views import suggestion_public

router = APIRouter(prefix="/api/conversations/{conversation_id}", tags=["participant"])


def _may_post(participant: ParticipantDep) -> None:
    if participant.role == "observer":
        raise Forbidden("observers may read but not post")


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "Already posted with this client_id: the stored message."}},
)
def post(
    participant: ParticipantDep,
    platform: PlatformDep,
    session: SessionDep,
    body: MessageCreate,
    response: Response,
) -> MessagePublic:
    """Post as the caller. The same `client_id` again returns the stored message (200) instead of a copy."""
    _may_post(participant)
    row, created = flow.post_message(platform, session, participant, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return store.message_public(row, participant, viewer_id=participant.id)


@router.post("/check")
def check(
    participant: ParticipantDep, platform: PlatformDep, session: SessionDep, body: CheckRequest
) -> CheckResult:
    """Pre-send check of a draft: incivility, feedback when flagged, and a rephrasing suggestion that the
    worker fills in (watch the WebSocket or poll `GET …/suggestions/{id}`)."""
    _may_post(participant)
    return flow.check_draft(platform, session, participant, body.text)


@router.get("/suggestions/{suggestion_id}")
def suggestion(participant: ParticipantDep, session: SessionDep, suggestion_id: str) -> SuggestionPublic:
    """A suggestion made for the caller (mediators also see drafts, summaries and interventions)."""
    row = session.get(SuggestionRow, suggestion_id)
    visible = row is not None and row.conversation_id == participant.conversation_id
    if (
        visible
        and row.participant_id != participant.id
        and not (participant.role in STAFF_ROLES and row.kind != "rephrase")
    ):
        visible = False
    if not visible or row is None:
        raise NotFound(f"no suggestion {suggestion_id}")
    return suggestion_public(row)


@router.post("/requests", status_code=status.HTTP_202_ACCEPTED)
def ask_mediator(
    participant: ParticipantDep,
    platform: PlatformDep,
    session: SessionDep,
    body: MediatorRequest | None = None,
) -> dict[str, str]:
    """'Ask the mediator': notifies the mediators; the policy may have the AI mediator step in."""
    _may_post(participant)
    flow.request_mediator(platform, session, participant, body.note if body else None)
    return {"status": "requested"}
