"""Live delivery: each conversation's new events read once for every socket of this process.

The feed itself is the events table, so a wake-up only says *that* something happened. The hub then
reads the conversation's new events once (on its own reader threads, never waiting behind requests),
keeps the newest of them as frames encoded once, and wakes the conversation's sockets, which send what
their participant may see. A socket further behind than the kept frames reads the table itself. `notify`
may be called from any thread. Typing notices are ephemeral and go straight through. With a relay
(Redis), both go through it so that every server process hears them; while Redis is unreachable they
reach this process's sockets directly, and the others' once the relay resubscribes.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from commonground.platform.relay import RedisRelay

log = logging.getLogger(__name__)


class Frame(NamedTuple):
    """An event as sent: its sequence number, its audience, and the WebSocket frame as JSON text; a message
    whose author replaced their original has a second text, for the author alone, that carries it."""

    seq: int
    audience: str
    text: str
    author_id: str | None = None
    author_text: str | None = None

    def text_for(self, participant_id: str) -> str:
        """The frame as `participant_id` receives it."""
        own = self.author_text is not None and participant_id == self.author_id
        return self.author_text if own and self.author_text is not None else self.text


Reader = Callable[[str, int, int], list[Frame]]
"""Blocking read of a conversation's frames after a sequence number, every audience, in order, at most
as many as the third argument."""
READ_LIMIT = 500
FRAMES_KEPT = 512
"""Frames kept per conversation with sockets in this process."""
NOTICES_KEPT = 64
"""Typing notices queued per socket; older ones are dropped (they are only hints)."""


def event_frame(seq: int, kind: str, payload: dict[str, Any]) -> str:
    """The WebSocket frame of one event, as JSON text."""
    frame = {"type": "event", "seq": seq, "kind": kind, "payload": payload}
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


@dataclass(eq=False)
class Subscriber:
    """One socket's wake-up flag and its queue of ephemeral notices."""

    participant_id: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    notices: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=NOTICES_KEPT))


@dataclass(eq=False)
class Feed:
    """One conversation's newest frames: every event with `base` < seq <= `last`, once `base` is known."""

    subscribers: set[Subscriber] = field(default_factory=set)
    frames: deque[Frame] = field(default_factory=deque)
    base: int | None = None
    reading: bool = False
    stale: bool = False

    @property
    def last(self) -> int:
        return self.frames[-1][0] if self.frames else self.base or 0

    def extend(self, frames: list[Frame]) -> None:
        self.frames.extend(frames)
        while len(self.frames) > FRAMES_KEPT:
            self.base = self.frames.popleft()[0]

    def since(self, after: int) -> list[Frame] | None:
        """The frames after `after`, or None when the feed does not reach back that far."""
        if self.base is None or after < self.base:
            return None
        newer: list[Frame] = []
        for frame in reversed(self.frames):
            if frame[0] <= after:
                break
            newer.append(frame)
        return newer[::-1]


class Hub:
    """Feeds and subscribers per conversation, woken through the event loop they live on."""

    def __init__(self, read: Reader, relay: RedisRelay | None = None, *, readers: int = 4) -> None:
        self.relay = relay
        self._read = read
        self._loop: asyncio.AbstractEventLoop | None = None
        self._feeds: dict[str, Feed] = {}
        self._reading: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="feed")
        self._publisher = ThreadPoolExecutor(1, thread_name_prefix="relay")  # notices in order, off the loop

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind to the server's event loop (at start-up)."""
        self._loop = loop

    def close(self) -> None:
        self._readers.shutdown(wait=False, cancel_futures=True)
        self._publisher.shutdown(wait=False, cancel_futures=True)

    async def read(self, conversation_id: str, after: int) -> list[Frame]:
        """The conversation's frames after `after` from the database (bounded), on the reader threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._read, conversation_id, after, READ_LIMIT)

    def subscribe(self, conversation_id: str, participant_id: str) -> Subscriber:
        subscriber = Subscriber(participant_id)
        self._feeds.setdefault(conversation_id, Feed()).subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, conversation_id: str, subscriber: Subscriber) -> None:
        feed = self._feeds.get(conversation_id)
        if feed is not None:
            feed.subscribers.discard(subscriber)
            if not feed.subscribers:
                del self._feeds[conversation_id]

    def since(self, conversation_id: str, after: int) -> list[Frame] | None:
        """The kept frames after `after`, or None when a socket must read the table itself."""
        feed = self._feeds.get(conversation_id)
        return feed.since(after) if feed is not None else None

    def caught_up(self, conversation_id: str, seq: int) -> None:
        """A socket read the table through `seq`: the feed starts there if it has not started yet."""
        feed = self._feeds.get(conversation_id)
        if feed is not None and feed.base is None:
            feed.base = seq
            if feed.stale:
                self._refresh(conversation_id, feed)

    def notify(self, conversation_id: str) -> None:
        """Tell the conversation's sockets that its feed grew (thread-safe); when the relay cannot take it,
        this process's sockets still hear it."""
        if self.relay is None or not self.relay.publish(conversation_id):
            self._on_loop(conversation_id, None, None)

    def notice(self, conversation_id: str, payload: dict[str, Any], *, sender: str) -> None:
        """Pass an ephemeral notice (typing) to everyone else in the conversation (thread-safe; the loop
        never waits for Redis); when the relay cannot take it, to those in this process."""
        if self.relay is None:
            self._on_loop(conversation_id, payload, sender)
        else:
            self._publisher.submit(self._relay_notice, conversation_id, payload, sender)

    def _relay_notice(self, conversation_id: str, payload: dict[str, Any], sender: str) -> None:
        assert self.relay is not None
        if not self.relay.publish(conversation_id, payload, sender=sender):
            self._on_loop(conversation_id, payload, sender)

    def _on_loop(self, conversation_id: str, payload: dict[str, Any] | None, sender: str | None) -> None:
        """`wake` on the event loop, from whichever thread (directly before the server's loop is bound)."""
        if self._loop is None:
            self.wake(conversation_id, payload, sender)
        elif not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.wake, conversation_id, payload, sender)

    def wake_all(self) -> None:
        """Read every feed of this process anew (on the loop)."""
        for conversation_id in list(self._feeds):
            self.wake(conversation_id, None, None)

    def wake(self, conversation_id: str, payload: dict[str, Any] | None, sender: str | None) -> None:
        """Queue `payload` for the conversation's sockets but `sender`'s, or read its new events."""
        feed = self._feeds.get(conversation_id)
        if feed is None:
            return
        if payload is None:
            self._refresh(conversation_id, feed)
            return
        for subscriber in feed.subscribers:
            if subscriber.participant_id != sender:
                subscriber.notices.append(payload)
                subscriber.wake.set()

    def _refresh(self, conversation_id: str, feed: Feed) -> None:
        if feed.reading or feed.base is None:
            feed.stale = True
            return
        feed.reading = True
        task = asyncio.get_running_loop().create_task(self._read_new(conversation_id, feed))
        self._reading.add(task)
        task.add_done_callback(self._reading.discard)

    async def _read_new(self, conversation_id: str, feed: Feed) -> None:
        """Read until nothing new is left (wake-ups during a read ask for one more), waking the sockets."""
        try:
            while True:
                feed.stale = False
                frames = await self.read(conversation_id, feed.last)
                feed.extend(frames)
                for subscriber in feed.subscribers:
                    subscriber.wake.set()
                if len(frames) < READ_LIMIT and not feed.stale:
                    return
        except Exception:  # the database is unreachable: the next wake-up reads again
            log.exception("reading the feed of conversation %s failed", conversation_id)
            feed.stale = True
        finally:
            feed.reading = False
