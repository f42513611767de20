"""Reads and writes shared by the routers and the worker: numbered events, public views, history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from commonground.core.conversation import Conversation, Message
from commonground.platform.db.models import ConversationRow, EventRow, MessageRow, ParticipantRow
from commonground.platform.errors import NotFound
from commonground.platform.schemas import ConversationPublic, MessagePublic, ParticipantPublic

MEDIATORS = "mediators"
STAFF_ROLES = frozenset({"mediator", "administrator"})


def next_seq(session: Session, conversation_id: str, *, count: int = 1) -> int:
    """Reserve the conversation's next `count` sequence numbers (row-locked until the transaction ends);
    the first of them."""
    statement = (
        update(ConversationRow)
        .where(ConversationRow.id == conversation_id)
        .values(last_seq=ConversationRow.last_seq + count)
        .returning(ConversationRow.last_seq)
        .execution_options(synchronize_session=False)  # no loaded row reads last_seq before the commit
    )
    return session.execute(statement).scalar_one() - count + 1


def append_event(
    session: Session,
    conversation_id: str,
    kind: str,
    payload: dict[str, Any],
    *,
    audience: str = "all",
    seq: int | None = None,
) -> int:
    """Add an event to the live feed, at `seq` if one was reserved for it; `audience` is 'all',
    'mediators', one participant id or the readers of one language."""
    seq = next_seq(session, conversation_id) if seq is None else seq
    session.add(
        EventRow(conversation_id=conversation_id, seq=seq, kind=kind, audience=audience, payload=payload)
    )
    return seq


def readers_of(lang: str) -> str:
    """The audience of everyone who reads language `lang`."""
    return f"lang:{lang}"


def audiences(viewer: ParticipantRow) -> frozenset[str]:
    """The audiences whose events `viewer` may see."""
    seen = {"all", viewer.id, readers_of(viewer.lang)}
    return frozenset(seen | {MEDIATORS} if viewer.role in STAFF_ROLES else seen)


def visible_events(
    session: Session, viewer: ParticipantRow, *, after: int, limit: int = 500
) -> list[EventRow]:
    """The events after `after` that `viewer` may see, in order."""
    statement = (
        select(EventRow)
        .where(EventRow.conversation_id == viewer.conversation_id, EventRow.seq > after)
        .where(EventRow.audience.in_(audiences(viewer)))
        .order_by(EventRow.seq)
        .limit(limit)
    )
    return list(session.scalars(statement))


def events_after(session: Session, conversation_id: str, *, after: int, limit: int) -> list[EventRow]:
    """The conversation's events after `after` for every audience, in order."""
    statement = (
        select(EventRow)
        .where(EventRow.conversation_id == conversation_id, EventRow.seq > after)
        .order_by(EventRow.seq)
        .limit(limit)
    )
    return list(session.scalars(statement))


def conversation(session: Session, conversation_id: str) -> ConversationRow:
    """The conversation, or NotFound."""
    row = session.get(ConversationRow, conversation_id)
    if row is None:
        raise NotFound(f"no conversation {conversation_id}")
    return row


def participants(session: Session, conversation_id: str) -> list[ParticipantRow]:
    """Members in the order they joined (not those removed)."""
    statement = (
        select(ParticipantRow)
        .where(ParticipantRow.conversation_id == conversation_id, ParticipantRow.removed_at.is_(None))
        .order_by(ParticipantRow.created_at, ParticipantRow.id)
    )
    return list(session.scalars(statement))


def ai_participant(session: Session, conversation_id: str) -> ParticipantRow:
    """The conversation's AI mediator."""
    statement = select(ParticipantRow).where(
        ParticipantRow.conversation_id == conversation_id, ParticipantRow.is_ai.is_(True)
    )
    return session.scalars(statement).one()


def participant_public(row: ParticipantRow) -> ParticipantPublic:
    return ParticipantPublic(id=row.id, name=row.name, role=row.role, lang=row.lang, is_ai=row.is_ai)  # type: ignore[arg-type]


def conversation_public(session: Session, row: ConversationRow) -> ConversationPublic:
    return ConversationPublic(
        id=row.id,
        kind=row.kind,
        title=row.title,
        languages=row.languages,
        policy=row.policy,
        last_seq=row.last_seq,
        created_at=row.created_at,
        participants=[participant_public(p) for p in participants(session, row.id)],
    )


def message_public(row: MessageRow, author: ParticipantRow, *, viewer_id: str | None) -> MessagePublic:
    """A message as `viewer_id` may see it: the private original only for its author."""
    return MessagePublic(
        id=row.id,
        seq=row.seq,
        participant_id=author.id,
        author=author.name,
        role=author.role,  # type: ignore[arg-type]
        is_ai=author.is_ai,
        text=row.text,
        lang=row.lang,
        created_at=row.created_at,
        original=row.original if viewer_id == author.id else None,
    )


def messages(
    session: Session, conversation_id: str, *, after: int = 0
) -> list[tuple[MessageRow, ParticipantRow]]:
    """Messages with their authors, in order."""
    statement = (
        select(MessageRow, ParticipantRow)
        .join(ParticipantRow, MessageRow.participant_id == ParticipantRow.id)
        .where(MessageRow.conversation_id == conversation_id, MessageRow.seq > after)
        .order_by(MessageRow.seq)
    )
    return [(m, p) for m, p in session.execute(statement)]


DETECTED_HISTORY = 50
"""Messages the detectors see before a new one: the forecaster reads the last ten, deadlock compares each
speaker's recent messages with their earlier ones among these."""


def history(session: Session, row: ConversationRow, *, last: int | None = None) -> Conversation:
    """The conversation as the detectors and tasks see it (public texts only); with `last`, only its last
    messages, and `meta["earlier"]` counts the ones left out."""
    columns = (MessageRow.id, ParticipantRow.name, MessageRow.text, MessageRow.created_at, MessageRow.lang)
    statement = (
        select(*columns)
        .join(ParticipantRow, MessageRow.participant_id == ParticipantRow.id)
        .where(MessageRow.conversation_id == row.id)
        .order_by(MessageRow.seq.desc())
        .limit(last)
    )
    rows = list(session.execute(statement))[::-1]
    earlier = 0
    if last is not None and len(rows) == last:
        count = select(func.count()).select_from(MessageRow).where(MessageRow.conversation_id == row.id)
        earlier = session.execute(count).scalar_one() - last
    return Conversation(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        title=row.title,
        messages=[
            Message(id=id_, speaker=name, text=text, timestamp=at, lang=lang)
            for id_, name, text, at, lang in rows
        ],
        meta={} if last is None else {"earlier": earlier},
    )
