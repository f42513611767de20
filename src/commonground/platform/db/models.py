"""The platform's tables: conversations, participants, messages, translations, events, suggestions, audit,
jobs, calls."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ROLES = ("party", "mediator", "administrator", "observer")
SUGGESTION_STATUSES = ("pending", "proposed", "accepted", "edited", "rejected", "unavailable")
TRANSLATION_STATUSES = ("pending", "translated", "unverified", "unavailable")


def new_id() -> str:
    """A random identifier for any row."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current time, time-zone aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A time-zone aware timestamp, read back as UTC even from SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Base(DeclarativeBase):
    """Declarative base; JSON columns map from dict/list, timestamps stay time-zone aware."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: UTCDateTime,
    }


class ConversationRow(Base):
    """A dispute or deliberation; `last_seq` numbers its events."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    languages: Mapped[list[Any]] = mapped_column(JSON)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParticipantRow(Base):
    """A member of one conversation; the AI mediator is one too, with `is_ai` set.

    `token_version` is the version of the only invitation link that still works (a new link or a revocation
    raises it); a removed participant (`removed_at`) has no working link and keeps their messages.
    `seen_seq` is the last event of the feed delivered to them, `notified_seq` the last one they were told of
    while away (at `email`).
    """

    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    is_ai: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    removed_at: Mapped[datetime | None] = mapped_column(default=None)
    seen_seq: Mapped[int] = mapped_column(Integer, default=0)
    notified_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageRow(Base):
    """A posted message; `original` is the author's private draft when a rephrasing was sent instead."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("participant_id", "client_id", name="uq_messages_client_id"),
        Index("ix_messages_conversation_seq", "conversation_id", "seq", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    original: Mapped[str | None] = mapped_column(Text, default=None)
    choice: Mapped[str] = mapped_column(String(16), default="original")
    lang: Mapped[str | None] = mapped_column(String(8), default=None)
    incivility: Mapped[float | None] = mapped_column(Float, default=None)
    derailment_risk: Mapped[float | None] = mapped_column(Float, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranslationRow(Base):
    """A message's public text in one reader's language: the cache the worker fills once per pair.

    `unverified`: the model answered but no translation passed the task's checks (kept);
    `unavailable`: the model was down or too slow (tried again later).
    """

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("message_id", "lang", name="uq_translations_message_lang"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"))
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    text: Mapped[str | None] = mapped_column(Text, default=None)
    fidelity: Mapped[float | None] = mapped_column(Float, default=None)
    checks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventRow(Base):
    """One numbered item of a conversation's live feed, with who may see it."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("conversation_id", "seq", name="uq_events_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    audience: Mapped[str] = mapped_column(String(40), default="all")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRow(Base):
    """A model output offered to a person: a rephrasing, a draft, an intervention or a summary."""

    __tablename__ = "suggestions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participants.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    source: Mapped[str] = mapped_column(Text, default="")
    instruction: Mapped[str | None] = mapped_column(Text, default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    method: Mapped[str | None] = mapped_column(String(16), default=None)
    checks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    decision_id: Mapped[str | None] = mapped_column(String(32), default=None)
    message_id: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DecisionRow(Base):
    """The audit log: every policy decision with the signals it saw.

    A pre-send decision keeps the SHA-256 and the length of the private draft it was about, never its text.
    `outcome` says what became of an intervention: `posted`, `not_posted` (the model gave nothing to post,
    so it does not count toward the cool-down or the limits), or None while it is pending.
    """

    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    at: Mapped[datetime] = mapped_column()
    event: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(24))
    rule: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(String(16), default=None)
    message_id: Mapped[str | None] = mapped_column(String(32), default=None)
    signals: Mapped[list[Any]] = mapped_column(JSON, default=list)
    draft_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    draft_chars: Mapped[int | None] = mapped_column(Integer, default=None)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)


class JobRow(Base):
    """Persisted background work (model calls, inactivity ticks); survives a restart."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_conversation_kind_status", "conversation_id", "kind", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CallRow(Base):
    """One language-model call, for the usage view; a failed call keeps its technical `error` here only."""

    __tablename__ = "llm_calls"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    task: Mapped[str] = mapped_column(String(32))
    backend: Mapped[str] = mapped_column(String(16))
    model: Mapped[str] = mapped_column(String(200))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_s: Mapped[float] = mapped_column(Float, default=0.0)
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime] = mapped_column()
