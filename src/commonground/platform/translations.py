"""Messages in each reader's language: the language a message is in, translations queued off the request
path, the cache the worker fills once per (message, language), and what a reader gets from it.

Only a message's public text is ever translated: the private original of a rephrased message never
reaches the model, the cache or a reader.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commonground.core.errors import InputError
from commonground.platform import store, verdicts
from commonground.platform.db.models import (
    ConversationRow,
    MessageRow,
    ParticipantRow,
    TranslationRow,
    new_id,
    utcnow,
)
from commonground.platform.decisions import enqueue, wake_worker
from commonground.platform.mediation import Outcome
from commonground.platform.runtime import Platform
from commonground.platform.schemas import TranslationPublic
from commonground.signals.language import SHORT_TEXT_WORDS, detect_language, normalize_code, reads_as

RETRY_AFTER_S = 60.0
"""A translation the model was unavailable for is tried again on a read this long after."""


def message_language(text: str, declared: str) -> str:
    """The language `text` is written in: the author's own, unless the text clearly reads as another one
    (a text of a few words is too short to tell)."""
    if len(text.split()) < SHORT_TEXT_WORDS or reads_as(text, declared) is not False:
        return declared
    return detect_language(text).lang or declared


def choose_language(
    session: Session, reader: ParticipantRow, conversation: ConversationRow, lang: str
) -> None:
    """Set the language `reader` reads in; InputError (422) unless it is one of the conversation's."""
    code, offered = normalize_code(lang), [normalize_code(code) for code in conversation.languages]
    if code not in offered:
        raise InputError(f"lang: {lang!r} is not one of this conversation's languages ({', '.join(offered)})")
    reader.lang = code
    session.commit()


def translation_public(row: TranslationRow) -> TranslationPublic:
    """A translation as a reader gets it: the verdict in words instead of the check scores."""
    verdict, sentence = verdicts.of_translation(row.status, row.checks or [])
    return TranslationPublic(
        message_id=row.message_id,
        lang=row.lang,
        status=row.status,  # type: ignore[arg-type]
        text=row.text,
        verdict=verdict,
        checked=[
            name for name in verdicts.passed(row.checks or []) if name not in verdicts.MEANING_BY_SIMILARITY
        ],
        verdict_text=sentence,
        reason=None if row.status in ("pending", "translated") else sentence,
    )


def _queue(session: Session, message: MessageRow, lang: str) -> TranslationRow:
    row = TranslationRow(id=new_id(), message_id=message.id, lang=lang)
    session.add(row)
    enqueue(session, message.conversation_id, "translate", {"translation_id": row.id})
    return row


def queue_for_readers(session: Session, message: MessageRow) -> None:
    """Queue a just-posted message's translation into every language its other readers read."""
    statement = select(ParticipantRow.lang).where(
        ParticipantRow.conversation_id == message.conversation_id,
        ParticipantRow.id != message.participant_id,
        ParticipantRow.is_ai.is_(False),
        ParticipantRow.lang != message.lang,
    )
    for lang in sorted(set(session.scalars(statement))):
        _queue(session, message, lang)


def for_reader(
    platform: Platform, session: Session, reader: ParticipantRow, *, after: int = 0
) -> list[TranslationPublic]:
    """Translations into the reader's language of others' messages after `after`, in message order.

    Missing ones are queued and come back pending, as do ones the model was unavailable for a while ago;
    the worker announces each on the feed.
    """
    wanted = [
        message
        for message, author in store.messages(session, reader.conversation_id, after=after)
        if author.id != reader.id and message.lang not in (None, reader.lang)
    ]
    cached = {
        row.message_id: row
        for row in session.scalars(
            select(TranslationRow).where(
                TranslationRow.lang == reader.lang,
                TranslationRow.message_id.in_([m.id for m in wanted]),
            )
        )
    }
    stale = utcnow() - timedelta(seconds=RETRY_AFTER_S)
    rows = []
    try:
        for message in wanted:
            row = cached.get(message.id)
            if row is None:
                row = _queue(session, message, reader.lang)
            elif row.status == "unavailable" and row.updated_at < stale and _reopen(session, row):
                enqueue(session, message.conversation_id, "translate", {"translation_id": row.id})
            rows.append(row)
        session.commit()
    except IntegrityError:  # a concurrent read queued the same pair first: theirs stands
        session.rollback()
        return for_reader(platform, session, reader, after=after)
    wake_worker(session, platform.jobs_ready)
    return [translation_public(row) for row in rows]


def _reopen(session: Session, row: TranslationRow) -> bool:
    """Back to pending, unless another read did it first."""
    reopened = session.execute(
        update(TranslationRow)
        .where(TranslationRow.id == row.id, TranslationRow.status == "unavailable")
        .values(status="pending", updated_at=utcnow())
    )
    session.refresh(row)
    return reopened.rowcount == 1  # type: ignore[attr-defined]


def fill(row: TranslationRow, outcome: Outcome) -> None:
    """Store the task's outcome: translated, unverified (no candidate passed the checks) or unavailable."""
    row.updated_at = utcnow()
    if not outcome.available:
        row.status, row.text, row.fidelity, row.checks = "unavailable", None, None, []
        row.reason = outcome.reason
    elif outcome.method == "fallback":  # the fallback is the untranslated text: nothing to show
        row.status, row.text, row.fidelity, row.checks = "unverified", None, None, []
        row.reason = outcome.detail.get("fallback_reason")
    else:
        row.status, row.text, row.checks, row.reason = "translated", outcome.text, outcome.checks, None
        row.fidelity = next((c["score"] for c in outcome.checks if c["name"] == "fidelity"), None)
