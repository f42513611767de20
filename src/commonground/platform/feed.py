"""The live feed as one participant receives it: the events they may see, their own private originals
filled in, and how far they have read (for "seen" and for telling them of what they missed while away).

A message event is stored once for everyone, with no private original; the author's copy gets the
original from the message itself, so the author sees it live and nobody else ever does.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.models import EventRow, MessageRow, ParticipantRow
from commonground.platform.hub import Frame, event_frame
from commonground.platform.schemas import EventPublic

REVOKED = "revoked"
"""The notice that tells a participant's open sockets their link was revoked (never sent on)."""


def _originals(
    session: Session, events: list[EventRow], *, author: str | None = None
) -> dict[str, tuple[str, str]]:
    """The private originals among the message `events` (of `author`'s alone if given), by message id,
    with their author."""
    ids = [
        e.payload.get("id")
        for e in events
        if e.kind == "message" and (author is None or e.payload.get("participant_id") == author)
    ]
    if not ids:
        return {}
    statement = select(MessageRow.id, MessageRow.participant_id, MessageRow.original).where(
        MessageRow.id.in_(ids), MessageRow.original.is_not(None)
    )
    if author is not None:
        statement = statement.where(MessageRow.participant_id == author)
    return {message_id: (writer, original) for message_id, writer, original in session.execute(statement)}


def _payload(event: EventRow, originals: dict[str, tuple[str, str]]) -> dict:
    own = originals.get(event.payload.get("id", "")) if event.kind == "message" else None
    return event.payload | {"original": own[1]} if own is not None else event.payload


def frames_of(session: Session, events: list[EventRow]) -> list[Frame]:
    """The live feed's frames of `events`, each encoded once, with the author's own copy where it differs."""
    originals = _originals(session, events)
    frames = []
    for e in events:
        frame = Frame(e.seq, e.audience, event_frame(e.seq, e.kind, e.payload))
        own = originals.get(e.payload.get("id", "")) if e.kind == "message" else None
        if own is not None:
            frame = frame._replace(
                author_id=own[0], author_text=event_frame(e.seq, e.kind, _payload(e, originals))
            )
        frames.append(frame)
    return frames


def feed_for(session: Session, viewer: ParticipantRow, *, after: int) -> list[EventPublic]:
    """The events after `after` that `viewer` may see, in order, and mark them seen."""
    events = store.visible_events(session, viewer, after=after)
    originals = _originals(session, events, author=viewer.id)
    public = [EventPublic(seq=e.seq, kind=e.kind, payload=_payload(e, originals)) for e in events]
    if public:
        saw(session, {viewer.id: public[-1].seq})
    return public


def saw(session: Session, marks: Mapping[str, int]) -> None:
    """Record that each participant id in `marks` has the feed up to its sequence number (never moving one
    back), in one statement."""
    table = ParticipantRow.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("participant"), table.c.seen_seq < bindparam("seq"))
        .values(seen_seq=bindparam("seq"))
    )
    session.execute(statement, [{"participant": p, "seq": seq} for p, seq in marks.items()])
    session.commit()
