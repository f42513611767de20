"""One WebSocket per participant and conversation: the feed from `after`, then live, plus notices.

Frames sent: `{"type": "event", "seq", "kind", "payload"}` in sequence order, each once per socket, and
notices from the others, `{"type", "participant_id", "name", ...}`, of these types, which are also the frames
received: `typing`; `here` (a page opened; `reply: true` when answering one); `seen` with the `seq` of the
last message the page showed; `away` (also sent for a participant when their socket closes). A client that
reconnects with the last `seq` it saw as `after` receives exactly what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from commonground.core.errors import CommongroundError
from commonground.platform.db.models import ParticipantRow
from commonground.platform.deps import current_participant, get_platform, still_admitted
from commonground.platform.errors import status_of
from commonground.platform.feed import feed_for
from commonground.platform.hub import Subscriber
from commonground.platform.runtime import Platform

log = logging.getLogger(__name__)
router = APIRouter()
_POLICY_VIOLATION = 1008
NOTICES = frozenset({"typing", "here", "seen", "away"})


def _authenticate(websocket: WebSocket, platform: Platform, conversation_id: str) -> ParticipantRow:
    with platform.session() as session:
        return current_participant(websocket, platform, session, conversation_id)


async def _send_new(websocket: WebSocket, platform: Platform, viewer: ParticipantRow, after: int) -> int:
    def fetch() -> list[tuple[int, str, dict]]:
        with platform.session() as session:
            still_admitted(session, viewer)
            return [(e.seq, e.kind, e.payload) for e in feed_for(session, viewer, after=after)]

    for seq, kind, payload in await run_in_threadpool(fetch):
        await websocket.send_json({"type": "event", "seq": seq, "kind": kind, "payload": payload})
        after = seq
    return after


def notice_of(frame: object, viewer: ParticipantRow) -> dict | None:
    """The notice a received frame passes on to the others, stamped with who sent it; None if not one."""
    if not isinstance(frame, dict) or frame.get("type") not in NOTICES:
        return None
    notice = {"type": frame["type"], "participant_id": viewer.id, "name": viewer.name}
    if frame["type"] == "here":
        notice["reply"] = frame.get("reply") is True
    if frame["type"] == "seen":
        seq = frame.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            return None
        notice["seq"] = seq
    return notice


async def _receive(websocket: WebSocket, platform: Platform, viewer: ParticipantRow) -> None:
    while True:
        notice = notice_of(await websocket.receive_json(), viewer)
        if notice is not None:
            platform.hub.notice(viewer.conversation_id, notice, sender=viewer.id)


async def _deliver(
    websocket: WebSocket, platform: Platform, viewer: ParticipantRow, subscriber: Subscriber, after: int
) -> None:
    while True:
        after = await _send_new(websocket, platform, viewer, after)
        while subscriber.notices:
            await websocket.send_json(subscriber.notices.pop(0))
        await subscriber.wake.wait()
        subscriber.wake.clear()


@router.websocket("/api/conversations/{conversation_id}/ws")
async def feed(websocket: WebSocket, conversation_id: str, after: int = Query(0, ge=0)) -> None:
    """The live feed of one conversation for one participant (token as cookie, Bearer or `token` query)."""
    platform = get_platform(websocket)
    try:
        viewer = await run_in_threadpool(_authenticate, websocket, platform, conversation_id)
    except CommongroundError as error:
        await websocket.close(code=_POLICY_VIOLATION, reason=f"{status_of(error)}: {error}"[:120])
        return
    await websocket.accept()
    subscriber = platform.hub.subscribe(conversation_id, viewer.id)
    tasks = [
        asyncio.create_task(_deliver(websocket, platform, viewer, subscriber, after)),
        asyncio.create_task(_receive(websocket, platform, viewer)),
    ]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if isinstance(error := task.exception(), CommongroundError):  # the link was revoked meanwhile
                await websocket.close(code=_POLICY_VIOLATION, reason=f"{status_of(error)}: {error}"[:120])
            elif error is not None and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket closed: %s", error)
    finally:
        platform.hub.unsubscribe(conversation_id, subscriber)
        away = {"type": "away", "participant_id": viewer.id, "name": viewer.name}
        platform.hub.notice(conversation_id, away, sender=viewer.id)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
