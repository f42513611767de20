"""Dependencies of the routers, as `Annotated` aliases: the platform, a session, who is calling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from commonground.platform.db.models import ConversationRow, ParticipantRow
from commonground.platform.errors import Forbidden, Unauthenticated
from commonground.platform.runtime import Platform
from commonground.platform.security import same_key
from commonground.platform.store import STAFF_ROLES, conversation

ADMIN_COOKIE = "cg_admin"
ADMIN_HEADER = "x-admin-key"


def token_cookie(conversation_id: str) -> str:
    """The cookie that holds a participant's token for one conversation."""
    return f"cg_{conversation_id}"


def get_platform(connection: HTTPConnection) -> Platform:
    return connection.app.state.platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_session(platform: PlatformDep) -> Iterator[Session]:
    with platform.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
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
    grant = platform.tokens.verify(token)
    if grant.conversation_id != conversation_id:
        raise Forbidden("you are not a participant of this conversation")
    participant = session.get(ParticipantRow, grant.participant_id)
    if participant is None or participant.conversation_id != conversation_id:
        raise Forbidden("you are not a participant of this conversation")
    return participant


ParticipantDep = Annotated[ParticipantRow, Depends(current_participant)]


def current_mediator(participant: ParticipantDep) -> ParticipantRow:
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
    return conversation(session, conversation_id)


AdminConversationDep = Annotated[ConversationRow, Depends(admin_conversation)]
