"""One WebSocket per participant and conversation: the feed from `after`, then live, plus typing notices.

Frames sent: `{"type": "event", "seq", "kind", "payload"}` in sequence order, each once per socket, and
`{"type": "typing", "participant_id", "name"}`. Frames received: `{"type": "typing"}`. A client that
reconnects with the last `seq` it saw as `after` receives exactly what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from commonground.core.errors import CommongroundError
from commonground.platform import store
from commonground.platform.db.models import ParticipantRow
from commonground.platform.deps import current_participant, get_platform
from commonground.platform.errors import status_of
from commonground.platform.hub import READ_LIMIT, Subscriber
from commonground.platform.runtime import Platform

log = logging.getLogger(__name__)
router = APIRouter()
_POLICY_VIOLATION = 1008
SEND_TIMEOUT_S = 10.0
"""How long one frame may wait for a client that stopped reading before the socket is dropped."""


class SlowClient(Exception):
    """The client stopped reading its socket."""


def _authenticate(websocket: WebSocket, platform: Platform, conversation_id: str) -> ParticipantRow:
    with platform.session() as session:
        return current_participant(websocket, platform, session, conversation_id)


async def _send(websocket: WebSocket, text: str) -> None:
    """Send one frame; a client that has not taken it within SEND_TIMEOUT_S is dropped (SlowClient)."""
    try:
        await asyncio.wait_for(websocket.send_text(text), SEND_TIMEOUT_S)
    except TimeoutError:
        raise SlowClient(f"a frame waited more than {SEND_TIMEOUT_S:g} s to be sent") from None


async def _receive(websocket: WebSocket, platform: Platform, viewer: ParticipantRow) -> None:
    while True:
        frame = await websocket.receive_json()
        if isinstance(frame, dict) and frame.get("type") == "typing":
            notice = {"type": "typing", "participant_id": viewer.id, "name": viewer.name}
            platform.hub.notice(viewer.conversation_id, notice, sender=viewer.id)


async def _deliver(
    websocket: WebSocket, platform: Platform, viewer: ParticipantRow, subscriber: Subscriber, after: int
) -> None:
    """Send the events after `after` that `viewer` may see, then each new one as the feed grows."""
    hub, conversation_id, seen = platform.hub, viewer.conversation_id, store.audiences(viewer)
    while True:
        frames = hub.since(conversation_id, after)
        behind = frames is None
        if frames is None:
            frames = await hub.read(conversation_id, after)
        for seq, audience, text in frames:
            if audience in seen:
                await _send(websocket, text)
            after = seq
        if behind and len(frames) == READ_LIMIT:
            continue
        if behind:
            hub.caught_up(conversation_id, after)
        while subscriber.notices:
            await _send(websocket, json.dumps(subscriber.notices.popleft(), separators=(",", ":")))
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
            if (error := task.exception()) is not None and not isinstance(error, WebSocketDisconnect):
                log.warning("websocket closed: %s", error)
    finally:
        platform.hub.unsubscribe(conversation_id, subscriber)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
