"""Mediators: drafts with an instruction, edit-and-send, the dispute summary, signals, the autonomy switch."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from commonground.platform import flow, store
from commonground.platform.db.models import SuggestionRow
from commonground.platform.deps import ConversationDep, MediatorDep, PlatformDep, SessionDep
from commonground.platform.schemas import (
    AutonomyUpdate,
    ConversationPublic,
    DraftCreate,
    InterventionCreate,
    MessagePublic,
    MessageSignals,
    SuggestionPublic,
)
from commonground.platform.views import REPOSTED, posted, suggestion_public

router = APIRouter(prefix="/api/conversations/{conversation_id}", tags=["mediator"])


@router.post("/drafts", status_code=status.HTTP_202_ACCEPTED)
def draft(
    mediator: MediatorDep, platform: PlatformDep, session: SessionDep, body: DraftCreate
) -> SuggestionPublic:
    """Queue a draft intervention (optionally following an instruction); it arrives as a suggestion event."""
    return suggestion_public(
        flow.queue_suggestion(platform, session, mediator, "draft", instruction=body.instruction)
    )


@router.post("/summary", status_code=status.HTTP_202_ACCEPTED)
def summary(mediator: MediatorDep, platform: PlatformDep, session: SessionDep) -> SuggestionPublic:
    """Queue a dispute summary whose statements cite message ids."""
    return suggestion_public(flow.queue_suggestion(platform, session, mediator, "summary"))


@router.get("/suggestions")
def suggestions(mediator: MediatorDep, session: SessionDep) -> list[SuggestionPublic]:
    """Drafts, summaries and AI interventions of the conversation, newest first."""
    rows = session.query(SuggestionRow).filter(
        SuggestionRow.conversation_id == mediator.conversation_id, SuggestionRow.kind != "rephrase"
    )
    return [suggestion_public(row) for row in rows.order_by(SuggestionRow.created_at.desc())]


@router.post("/interventions", status_code=status.HTTP_201_CREATED, responses=REPOSTED)
def intervene(
    mediator: MediatorDep,
    platform: PlatformDep,
    session: SessionDep,
    body: InterventionCreate,
    response: Response,
) -> MessagePublic:
    """Send the mediator's message, from a draft as is (accepted) or edited."""
    row, created = flow.post_intervention(platform, session, mediator, body)
    return posted(response, row, mediator, created=created)


@router.get("/signals")
def signals(mediator: MediatorDep, session: SessionDep) -> list[MessageSignals]:
    """Incivility and derailment risk after each message: the side panel's trend."""
    return [
        MessageSignals(message_id=m.id, seq=m.seq, incivility=m.incivility, derailment_risk=m.derailment_risk)
        for m, _ in store.messages(session, mediator.conversation_id)
    ]


@router.put("/autonomy")
def autonomy(
    _mediator: MediatorDep,
    conversation: ConversationDep,
    platform: PlatformDep,
    session: SessionDep,
    body: AutonomyUpdate,
) -> ConversationPublic:
    """Switch the AI mediator's autonomy level."""
    flow.set_autonomy(platform, session, conversation, body.autonomy)
    return store.conversation_public(session, conversation)
