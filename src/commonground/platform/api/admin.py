"""Administrator: conversations, participants and their invitation links, policies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response, status
from sqlalchemy import select

from commonground.platform import store
from commonground.platform.conversations import (
    add_participant,
    create_conversation,
    invitation,
    reinvite,
    remove,
    revoke,
)
from commonground.platform.db.models import ConversationRow
from commonground.platform.deps import (
    AdminConversationDep,
    AdminDep,
    AdminParticipantDep,
    PlatformDep,
    SessionDep,
)
from commonground.platform.flow import update_policy
from commonground.platform.schemas import (
    ConversationCreate,
    ConversationCreated,
    ConversationPublic,
    Invitation,
    ParticipantCreate,
)

router = APIRouter(prefix="/api/admin/conversations", tags=["administrator"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create(
    _admin: AdminDep, platform: PlatformDep, session: SessionDep, body: ConversationCreate
) -> ConversationCreated:
    """Create a conversation with its AI mediator and an invitation link for each person."""
    return create_conversation(platform, session, body)


@router.get("")
def list_conversations(_admin: AdminDep, session: SessionDep) -> list[ConversationPublic]:
    """Every conversation, newest first."""
    rows = session.scalars(select(ConversationRow).order_by(ConversationRow.created_at.desc()))
    return [store.conversation_public(session, row) for row in rows]


@router.get("/{conversation_id}")
def read(conversation: AdminConversationDep, session: SessionDep) -> ConversationPublic:
    """One conversation with its participants and policy."""
    return store.conversation_public(session, conversation)


@router.post("/{conversation_id}/participants", status_code=status.HTTP_201_CREATED)
def invite(
    conversation: AdminConversationDep, platform: PlatformDep, session: SessionDep, body: ParticipantCreate
) -> Invitation:
    """Add a person to the conversation and return their invitation link."""
    row = add_participant(session, conversation.id, body)
    session.commit()
    return invitation(platform, row)


@router.post("/{conversation_id}/participants/{participant_id}/invitation")
def reissue(participant: AdminParticipantDep, platform: PlatformDep, session: SessionDep) -> Invitation:
    """A new invitation link for an existing participant; every earlier link of theirs stops working
    (401), their open live feeds close."""
    return reinvite(platform, session, participant)


@router.delete(
    "/{conversation_id}/participants/{participant_id}/invitation", status_code=status.HTTP_204_NO_CONTENT
)
def revoke_links(participant: AdminParticipantDep, platform: PlatformDep, session: SessionDep) -> Response:
    """Revoke the participant's links (a leaked one, say) without giving a new one."""
    revoke(platform, session, participant)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{conversation_id}/participants/{participant_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_participant(
    participant: AdminParticipantDep, platform: PlatformDep, session: SessionDep
) -> Response:
    """Remove a person from the conversation: their links stop working (403), their messages stay."""
    remove(platform, session, participant)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{conversation_id}/policy")
def put_policy(
    conversation: AdminConversationDep,
    platform: PlatformDep,
    session: SessionDep,
    policy: dict[str, Any] = Body(description="A policy object (see commonground.policy.Policy)."),  # noqa: B008
) -> ConversationPublic:
    """Replace the conversation's policy; a bad field is a 422 naming it."""
    update_policy(platform, session, conversation, policy)
    return store.conversation_public(session, conversation)
