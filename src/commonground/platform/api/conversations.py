"""Participants: their conversation, themselves (the language they read), its messages, translations of
them, and its live feed (as a catch-up)."""

from __future__ import annotations

from fastapi import APIRouter

from commonground.platform import store, translations
from commonground.platform.deps import After, ConversationDep, ParticipantDep, PlatformDep, SessionDep
from commonground.platform.feed import feed_for
from commonground.platform.schemas import (
    ConversationPublic,
    EventPublic,
    MessagePublic,
    ParticipantPublic,
    ParticipantUpdate,
    TranslationPublic,
)

router = APIRouter(prefix="/api/conversations/{conversation_id}", tags=["participant"])


@router.get("")
def read(conversation: ConversationDep, session: SessionDep) -> ConversationPublic:
    """The caller's conversation with its participants and policy."""
    return store.conversation_public(session, conversation)


@router.get("/me")
def me(participant: ParticipantDep) -> ParticipantPublic:
    """Who the token belongs to."""
    return store.participant_public(participant)


@router.put("/me")
def choose(
    participant: ParticipantDep, conversation: ConversationDep, session: SessionDep, body: ParticipantUpdate
) -> ParticipantPublic:
    """Pick the language to read the conversation in (one of its languages); then read `…/translations`."""
    translations.choose_language(session, participant, conversation, body.lang)
    return store.participant_public(participant)


@router.get("/messages")
def messages(participant: ParticipantDep, session: SessionDep, after: After = 0) -> list[MessagePublic]:
    """Messages after sequence number `after`; the caller's own private originals included."""
    return [
        store.message_public(message, author, viewer_id=participant.id)
        for message, author in store.messages(session, participant.conversation_id, after=after)
    ]


@router.get("/translations")
def translated(
    participant: ParticipantDep, platform: PlatformDep, session: SessionDep, after: After = 0
) -> list[TranslationPublic]:
    """Others' messages after `after` that are in another language, in the caller's: cached translations,
    and pending ones, queued now, that arrive on the live feed as `translation` events."""
    return translations.for_reader(platform, session, participant, after=after)


@router.get("/events")
def events(participant: ParticipantDep, session: SessionDep, after: After = 0) -> list[EventPublic]:
    """The live feed after `after` as the caller may see it (what the WebSocket sends); marks it seen."""
    return feed_for(session, participant, after=after)
