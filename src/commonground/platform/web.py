"""Server-rendered pages: joining by link, the chat (party and mediator), the administrator's pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from commonground.core.errors import CommongroundError
from commonground.platform import store
from commonground.platform.deps import (
    ADMIN_COOKIE,
    AdminConversationDep,
    ConversationDep,
    ParticipantDep,
    PlatformDep,
    SessionDep,
    admitted,
    require_admin,
    token_cookie,
)
from commonground.platform.errors import status_of
from commonground.platform.pages import page, templates, trouble
from commonground.platform.store import STAFF_ROLES

__all__ = ["refused", "remember", "router", "templates"]
router = APIRouter(include_in_schema=False)
PARTICIPANT_ROUTE = "/api/admin/conversations/{conversation_id}/participants/{participant_id}"


def refused(request: Request, error: CommongroundError) -> HTMLResponse:
    """The page saying in words why a link or page cannot be opened, with the error's status."""
    return trouble(request, status_of(error))


def can_remove(request: Request) -> bool:
    """Whether this server's API lets the administrator remove a participant."""
    return any(
        getattr(route, "path", None) == PARTICIPANT_ROUTE and "DELETE" in getattr(route, "methods", ())
        for route in request.app.routes
    )


def remember(token: str, *, cookie: str, target: str, lifetime_s: float) -> RedirectResponse:
    """Go to `target`, keeping a link's token in `cookie` for as long as the token lives."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(cookie, token, max_age=int(lifetime_s), httponly=True, samesite="lax")
    return response


@router.get("/")
def home(request: Request) -> HTMLResponse:
    return page(request, "home.html")


@router.get("/join/{token}")
def join(request: Request, platform: PlatformDep, session: SessionDep, token: str) -> Response:
    """Check the invitation (not expired, replaced nor revoked), keep its token in a cookie for this
    conversation, open the chat."""
    try:
        cid = admitted(platform, session, token).conversation_id
    except CommongroundError as error:
        return refused(request, error)
    return remember(
        token, cookie=token_cookie(cid), target=f"/c/{cid}", lifetime_s=platform.tokens.lifetime_s
    )


@router.get("/c/{conversation_id}")
def chat(
    request: Request, participant: ParticipantDep, conversation: ConversationDep, session: SessionDep
) -> HTMLResponse:
    """The chat (with the language picker when the conversation has several); mediators also get the
    side panel."""
    context = {
        "conversation": conversation,
        "me": participant,
        "mediator": participant.role in STAFF_ROLES,
        "people": store.participants(session, conversation.id),
    }
    return page(request, "chat.html", context, lang=participant.lang)


@router.get("/admin")
def admin_home(request: Request, platform: PlatformDep, key: str | None = None) -> Response:
    """With `?key=`, remember the administrator key in a cookie; then list conversations."""
    if key is not None:
        response = RedirectResponse("/admin", status_code=303)
        response.set_cookie(ADMIN_COOKIE, key, httponly=True, samesite="strict")
        return response
    try:
        require_admin(request, platform)
    except CommongroundError as error:
        return refused(request, error)
    return page(request, "admin.html")


@router.get("/admin/c/{conversation_id}")
def admin_conversation(
    request: Request, conversation: AdminConversationDep, session: SessionDep
) -> HTMLResponse:
    """One conversation: its people (add, remove, new links), policy editor, audit log, export."""
    context = {
        "conversation": conversation,
        "people": store.participants(session, conversation.id),
        "can_remove": can_remove(request),
    }
    return page(request, "admin_conversation.html", context)
