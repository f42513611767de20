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
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from commonground.core.errors import CommongroundError
from commonground.platform import store
from commonground.platform.db.models import ParticipantRow
from commonground.platform.deps import After, current_participant, get_platform, still_admitted
from commonground.platform.errors import status_of
from commonground.platform.feed import REVOKED
from commonground.platform.hub import READ_LIMIT, Subscriber
from commonground.platform.runtime import Platform

log = logging.getLogger(__name__)
router = APIRouter()
_POLICY_VIOLATION = 1008
NOTICES = frozenset({"typing", "here", "seen", "away"})
SEND_TIMEOUT_S = 10.0
"""How long one frame may wait for a client that stopped reading before the socket is dropped."""
CHECK_EVERY_S = 5.0
"""How often, at most, a socket that delivers checks that its participant's link still works."""


class SlowClient(Exception):
    """The client stopped reading its socket."""


def _authenticate(websocket: WebSocket, platform: Platform, conversation_id: str) -> ParticipantRow:
    with platform.session() as session:
        return current_participant(websocket, platform, session, conversation_id)


async def _send(websocket: WebSocket, text: str) -> None:
    """Send one frame; a client that has not taken it within SEND_TIMEOUT_S is dropped (SlowClient)."""
    try:
        async with asyncio.timeout(SEND_TIMEOUT_S):
            await websocket.send_text(text)
    except TimeoutError:
        raise SlowClient(f"a frame waited more than {SEND_TIMEOUT_S:g} s to be sent") from None


async def _check_link(platform: Platform, viewer: ParticipantRow) -> None:
    """Unauthenticated/Forbidden once `viewer`'s link was revoked or they were removed (a read only)."""

    def check() -> None:
        with platform.session() as session:
            still_admitted(session, viewer)

    await run_in_threadpool(check)


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
    """Send the events after `after` that `viewer` may see, then each new one as the feed grows, noting how
    far they have it; while it delivers, the link is checked at most every CHECK_EVERY_S, and the socket
    closes once it is revoked."""
    hub, conversation_id, seen = platform.hub, viewer.conversation_id, store.audiences(viewer)
    loop = asyncio.get_running_loop()
    checked_at = -CHECK_EVERY_S
    while True:
        frames = hub.since(conversation_id, after)
        behind = frames is None
        if frames is None:
            frames = await hub.read(conversation_id, after)
        texts = [frame.text_for(viewer.id) for frame in frames if frame.audience in seen]
        if frames:
            after = frames[-1].seq
            if loop.time() - checked_at >= CHECK_EVERY_S:
                await _check_link(platform, viewer)
                checked_at = loop.time()
            platform.seen.mark(viewer.id, after)  # before sending: a close may cancel the last send
        for text in texts:
            await _send(websocket, text)
        if behind and len(frames) == READ_LIMIT:
            continue
        if behind:
            hub.caught_up(conversation_id, after)
        while subscriber.notices:
            notice = subscriber.notices.popleft()
            if notice["type"] == REVOKED:
                if notice["participant_id"] == viewer.id:
                    await _check_link(platform, viewer)  # raises: the link is gone
                continue
            await _send(websocket, json.dumps(notice, separators=(",", ":")))
        await subscriber.wake.wait()
        subscriber.wake.clear()


@router.websocket("/api/conversations/{conversation_id}/ws")
async def feed(websocket: WebSocket, conversation_id: str, after: After = 0) -> None:
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
        # How far they got, now rather than at the next write; shielded, as a handler cancelled while
        # closing (server shutdown) would otherwise leave it to the next write.
        await asyncio.shield(asyncio.to_thread(platform.seen.write))
