"""Participants: their conversation, its messages and its live feed (as a catch-up)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from commonground.platform import store
from commonground.platform.deps import ParticipantDep, SessionDep
from commonground.platform.schemas import ConversationPublic, EventPublic, MessagePublic, ParticipantPublic

router = APIRouter(prefix="/api/conversations/{conversation_id}", tags=["participant"])


@router.get("")
def read(participant: ParticipantDep, session: SessionDep) -> ConversationPublic:
    """The caller's conversation with its participants and policy."""
    return store.conversation_public(session, store.conversation(session, participant.conversation_id))


@router.get("/me")
def me(participant: ParticipantDep) -> ParticipantPublic:
    """Who the token belongs to."""
    return store.participant_public(participant)


@router.get("/messages")
def messages(
    participant: ParticipantDep, session: SessionDep, after: int = Query(0, ge=0)
) -> list[MessagePublic]:
    """Messages after sequence number `after`; the caller's own private originals included."""
    return [
        store.message_public(message, author, viewer_id=participant.id)
        for message, author in store.messages(session, participant.conversation_id, after=after)
    ]


@router.get("/events")
def events(
    participant: ParticipantDep, session: SessionDep, after: int = Query(0, ge=0)
) -> list[EventPublic]:
    """The live feed after `after` as the caller may see it (what the WebSocket sends)."""
    return [
        EventPublic(seq=row.seq, kind=row.kind, payload=row.payload)
        for row in store.visible_events(session, participant, after=after)
    ]
