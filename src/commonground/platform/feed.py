"""The live feed as one participant receives it: the events they may see, their own private originals
filled in, and how far they have read (for "seen" and for telling them of what they missed while away).

A message event is stored once for everyone, with no private original; the author's copy gets the
original from the message itself, so the author sees it live and nobody else ever does.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.models import EventRow, MessageRow, ParticipantRow
from commonground.platform.schemas import EventPublic


def _originals(session: Session, viewer: ParticipantRow, events: list[EventRow]) -> dict[str, str]:
    """The private originals of the viewer's own messages among `events`."""
    own = [
        e.payload.get("id")
        for e in events
        if e.kind == "message" and e.payload.get("participant_id") == viewer.id
    ]
    if not own:
        return {}
    statement = select(MessageRow.id, MessageRow.original).where(
        MessageRow.id.in_(own), MessageRow.participant_id == viewer.id, MessageRow.original.is_not(None)
    )
    return {message_id: original for message_id, original in session.execute(statement)}


def _payload(event: EventRow, originals: dict[str, str]) -> dict:
    original = originals.get(event.payload.get("id", "")) if event.kind == "message" else None
    return event.payload | {"original": original} if original is not None else event.payload


def feed_for(session: Session, viewer: ParticipantRow, *, after: int) -> list[EventPublic]:
    """The events after `after` that `viewer` may see, in order, and mark them seen."""
    events = store.visible_events(session, viewer, after=after)
    originals = _originals(session, viewer, events)
    public = [EventPublic(seq=e.seq, kind=e.kind, payload=_payload(e, originals)) for e in events]
    if public:
        saw(session, viewer, public[-1].seq)
    return public


def saw(session: Session, viewer: ParticipantRow, seq: int) -> None:
    """Record that `viewer` has the feed up to `seq` (never moving back)."""
    session.execute(
        update(ParticipantRow)
        .where(ParticipantRow.id == viewer.id, ParticipantRow.seen_seq < seq)
        .values(seen_seq=seq)
    )
    session.commit()
