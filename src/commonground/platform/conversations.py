"""Creating conversations and inviting people (the administrator's side)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.models import ConversationRow, ParticipantRow, utcnow
from commonground.platform.decisions import given_policy
from commonground.platform.feed import REVOKED
from commonground.platform.runtime import Platform
from commonground.platform.schemas import (
    ConversationCreate,
    ConversationCreated,
    Invitation,
    ParticipantCreate,
)
from commonground.platform.security import Grant

AI_NAME = "AI mediator"


def invitation(platform: Platform, participant: ParticipantRow) -> Invitation:
    """A signed link for the participant's current link version (it leaves earlier copies working)."""
    grant = Grant(
        participant_id=participant.id,
        conversation_id=participant.conversation_id,
        version=participant.token_version,
    )
    token = platform.tokens.issue(grant)
    return Invitation(
        participant=store.participant_public(participant), token=token, url=platform.invitation_url(token)
    )


def revoke(platform: Platform, session: Session, participant: ParticipantRow) -> None:
    """Make every link the participant was given stop working (their open live feeds close)."""
    participant.token_version += 1
    session.commit()
    notice = {"type": REVOKED, "participant_id": participant.id}
    platform.hub.notice(participant.conversation_id, notice, sender="")


def reinvite(platform: Platform, session: Session, participant: ParticipantRow) -> Invitation:
    """A new link for the participant; the old ones stop working."""
    revoke(platform, session, participant)
    return invitation(platform, participant)


def remove(platform: Platform, session: Session, participant: ParticipantRow) -> None:
    """Take the participant out of the conversation: no link works any more, their messages stay."""
    participant.removed_at = utcnow()
    revoke(platform, session, participant)


def add_participant(session: Session, conversation_id: str, person: ParticipantCreate) -> ParticipantRow:
    """A new member of the conversation."""
    row = ParticipantRow(
        conversation_id=conversation_id,
        name=person.name,
        role=person.role,
        lang=person.lang,
        email=person.email,
    )
    session.add(row)
    session.flush()
    return row


def create_conversation(
    platform: Platform, session: Session, body: ConversationCreate
) -> ConversationCreated:
    """The conversation, its visible AI mediator, and an invitation for each person."""
    given = body.policy or {"languages": body.languages}
    policy = given_policy(given, detectors=platform.thresholds)
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
    created = ConversationCreated(  # read before the commit: after it, reading takes a connection again
        conversation=store.conversation_public(session, row),
        invitations=[invitation(platform, person) for person in people],
    )
    session.commit()
    return created
