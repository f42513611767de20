"""Dependencies of the routers, as `Annotated` aliases: the platform, a session, who is calling and in
which role, and the rows a route works on once the caller may see them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Query
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from commonground.platform.db.models import ConversationRow, ParticipantRow, SuggestionRow
from commonground.platform.errors import Forbidden, NotFound, Unauthenticated
from commonground.platform.runtime import Platform
from commonground.platform.security import same_key
from commonground.platform.store import STAFF_ROLES, conversation

MAX_SEQ = 2**63 - 1
"""The largest sequence number a database stores (a signed 64-bit integer)."""
After = Annotated[
    int, Query(ge=0, le=MAX_SEQ, description="Only what came after this sequence number (0: everything).")
]
"""A feed cursor from the query string; larger than any stored number is a clear 422."""

T = TypeVar("T")
ADMIN_COOKIE = "cg_admin"
ADMIN_HEADER = "x-admin-key"


def token_cookie(conversation_id: str) -> str:
    """The cookie that holds a participant's token for one conversation."""
    return f"cg_{conversation_id}"


def get_platform(connection: HTTPConnection) -> Platform:
    return connection.app.state.platform


async def _platform(connection: HTTPConnection) -> Platform:
    return get_platform(connection)


# Dependencies that do no I/O are async: FastAPI runs them on the event loop instead of sending each to
# the thread pool (a turn there costs a thread switch, and under load a wait for a free thread).
PlatformDep = Annotated[Platform, Depends(_platform)]


async def get_session(platform: PlatformDep) -> AsyncIterator[Session]:
    """A session for the request; it connects on its first query, in the thread that makes it."""
    with platform.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def released(session: Session, found: T) -> T:
    """`found`, once the dependency's read is over and its connection back in the pool.

    Each sync dependency and the route run in separate turns of the thread pool. A request that kept its
    connection while waiting for its next turn could leave every thread waiting for a connection that
    such requests hold, stalling them all until the pool gave up (500s under a few hundred clients).
    Rows loaded stay readable (sessions keep them after commit); the route's next query reconnects.
    """
    session.commit()
    return found


ConversationId = Annotated[str, Path(description="The conversation's id.")]


def _bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def current_participant(
    connection: HTTPConnection, platform: PlatformDep, session: SessionDep, conversation_id: ConversationId
) -> ParticipantRow:
    """The caller, from a Bearer token, the conversation's cookie or a `token` query parameter.

    A valid token for another conversation is refused (403) whether or not this one exists.
    """
    token = (
        _bearer(connection)
        or connection.cookies.get(token_cookie(conversation_id))
        or connection.query_params.get("token")
    )
    if not token:
        raise Unauthenticated("an invitation token is required")
    participant = admitted(platform, session, token)
    if participant.conversation_id != conversation_id:
        raise Forbidden("you are not a participant of this conversation")
    return released(session, participant)


def admitted(platform: Platform, session: Session, token: str) -> ParticipantRow:
    """The participant an invitation token lets in: 401 when the link expired or was replaced or revoked,
    403 when it is forged or its participant was removed."""
    grant = platform.tokens.verify(token)
    participant = session.get(ParticipantRow, grant.participant_id)
    if participant is None or participant.conversation_id != grant.conversation_id:
        raise Forbidden("you are not a participant of this conversation")
    return _current(participant, version=grant.version)


def still_admitted(session: Session, viewer: ParticipantRow) -> None:
    """Unauthenticated/Forbidden when the viewer's link was revoked, or they were removed, since they
    came in."""
    _current(session.get(ParticipantRow, viewer.id), version=viewer.token_version)


def _current(participant: ParticipantRow | None, *, version: int) -> ParticipantRow:
    if participant is None or participant.removed_at is not None:
        raise Forbidden("you are no longer a participant of this conversation")
    if version != participant.token_version:
        raise Unauthenticated(
            "this invitation link was replaced or revoked; ask the administrator for a new one"
        )
    return participant


ParticipantDep = Annotated[ParticipantRow, Depends(current_participant)]


async def current_poster(participant: ParticipantDep) -> ParticipantRow:
    """The caller, who must be allowed to post (every role but observer)."""
    if participant.role == "observer":
        raise Forbidden("observers may read but not post")
    return participant


PosterDep = Annotated[ParticipantRow, Depends(current_poster)]


def participant_conversation(participant: ParticipantDep, session: SessionDep) -> ConversationRow:
    """The caller's conversation."""
    return released(session, conversation(session, participant.conversation_id))


ConversationDep = Annotated[ConversationRow, Depends(participant_conversation)]


def visible_suggestion(participant: ParticipantDep, session: SessionDep, suggestion_id: str) -> SuggestionRow:
    """A suggestion made for the caller; mediators also see drafts, summaries and interventions (404 else)."""
    row = session.get(SuggestionRow, suggestion_id)
    if row is None or row.conversation_id != participant.conversation_id:
        raise NotFound(f"no suggestion {suggestion_id}")
    staff_may_see = participant.role in STAFF_ROLES and row.kind != "rephrase"
    if row.participant_id != participant.id and not staff_may_see:
        raise NotFound(f"no suggestion {suggestion_id}")
    return released(session, row)


SuggestionDep = Annotated[SuggestionRow, Depends(visible_suggestion)]


async def current_mediator(participant: ParticipantDep) -> ParticipantRow:
    """The caller, who must be a mediator or an administrator of the conversation."""
    if participant.role not in STAFF_ROLES:
        raise Forbidden("only a mediator may do this")
    return participant


MediatorDep = Annotated[ParticipantRow, Depends(current_mediator)]


def require_admin(connection: HTTPConnection, platform: PlatformDep) -> None:
    """The administrator key, from the `X-Admin-Key` header or the admin cookie."""
    given = connection.headers.get(ADMIN_HEADER) or connection.cookies.get(ADMIN_COOKIE)
    if not given:
        raise Unauthenticated("the administrator key is required (header X-Admin-Key)")
    if not same_key(given, platform.admin_key):
        raise Forbidden("the administrator key is not valid")


AdminDep = Annotated[None, Depends(require_admin)]


def admin_conversation(
    _admin: AdminDep, session: SessionDep, conversation_id: ConversationId
) -> ConversationRow:
    """A conversation the administrator names (404 if unknown)."""
    return released(session, conversation(session, conversation_id))


AdminConversationDep = Annotated[ConversationRow, Depends(admin_conversation)]


def admin_participant(
    conversation: AdminConversationDep, session: SessionDep, participant_id: str
) -> ParticipantRow:
    """A person of a conversation the administrator names (404 if unknown, removed, or the AI mediator)."""
    row = session.get(ParticipantRow, participant_id)
    if row is None or row.conversation_id != conversation.id or row.is_ai or row.removed_at is not None:
        raise NotFound(f"no participant {participant_id} in conversation {conversation.id}")
    return released(session, row)


AdminParticipantDep = Annotated[ParticipantRow, Depends(admin_participant)]
