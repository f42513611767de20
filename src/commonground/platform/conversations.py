"""Creating conversations and inviting people (the administrator's side)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.models import ConversationRow, ParticipantRow
from commonground.platform.runtime import Platform
from commonground.platform.schemas import (
    ConversationCreate,
    ConversationCreated,
    Invitation,
    ParticipantCreate,
)
from commonground.platform.security import Grant
from commonground.policy import parse_policy

AI_NAME = "AI mediator"


def invitation(platform: Platform, participant: ParticipantRow) -> Invitation:
    """A fresh signed link for the participant."""
    token = platform.tokens.issue(
        Grant(participant_id=participant.id, conversation_id=participant.conversation_id)
    )
    return Invitation(
        participant=store.participant_public(participant), token=token, url=platform.invitation_url(token)
    )


def add_participant(session: Session, conversation_id: str, person: ParticipantCreate) -> ParticipantRow:
    """A new member of the conversation."""
    row = ParticipantRow(
        conversation_id=conversation_id, name=person.name, role=person.role, lang=person.lang
    )
    session.add(row)
    session.flush()
    return row


def create_conversation(
    platform: Platform, session: Session, body: ConversationCreate
) -> ConversationCreated:
    """The conversation, its visible AI mediator, and an invitation for each person."""
    policy = parse_policy(body.policy or {"languages": body.languages}, source="policy")
    row = ConversationRow(
        kind=body.kind,
        title=body.title,
        languages=body.languages,
        policy=policy.model_dump(mode="json"),
        last_seq=0,
    )
    session.add(row)
    session.flush()
    session.add(ParticipantRow(conversation_id=row.id, name=AI_NAME, role="mediator", is_ai=True))
    people = [add_participant(session, row.id, person) for person in body.participants]
    session.commit()
    return ConversationCreated(
        conversation=store.conversation_public(session, row),
        invitations=[invitation(platform, person) for person in people],
    )
