"""Live delivery: wakes the WebSockets of a conversation when its feed grows.

The feed itself is the events table, so a socket only needs to know *that* something happened; it then
reads what it has not sent yet. `notify` may be called from any thread. Typing indicators are ephemeral
and go straight through. With a relay (Redis), both go through it so that every server process hears them.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from commonground.platform.relay import RedisRelay


@dataclass(eq=False)
class Subscriber:
    """One socket's wake-up flag and its queue of ephemeral notices."""

    participant_id: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    notices: list[dict[str, Any]] = field(default_factory=list)


class Hub:
    """Subscribers per conversation, woken through the event loop they live on."""

    def __init__(self, relay: RedisRelay | None = None) -> None:
        self.relay = relay
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: dict[str, set[Subscriber]] = defaultdict(set)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind to the server's event loop (at start-up)."""
        self._loop = loop

    def subscribe(self, conversation_id: str, participant_id: str) -> Subscriber:
        subscriber = Subscriber(participant_id)
        self._subscribers[conversation_id].add(subscriber)
        return subscriber

    def unsubscribe(self, conversation_id: str, subscriber: Subscriber) -> None:
        self._subscribers[conversation_id].discard(subscriber)

    def notify(self, conversation_id: str) -> None:
        """Tell the conversation's sockets that its feed grew (thread-safe)."""
        if self.relay is not None:
            self.relay.publish(conversation_id)
        elif self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self.wake, conversation_id, None, None)

    def notice(self, conversation_id: str, payload: dict[str, Any], *, sender: str) -> None:
        """Pass an ephemeral notice (typing) to everyone else in the conversation (on the loop)."""
        if self.relay is not None:
            self.relay.publish(conversation_id, payload, sender=sender)
        else:
            self.wake(conversation_id, payload, sender)

    def wake_all(self) -> None:
        """Wake every socket of this process (on the loop)."""
        for conversation_id in list(self._subscribers):
            self.wake(conversation_id, None, None)

    def wake(self, conversation_id: str, payload: dict[str, Any] | None, sender: str | None) -> None:
        """Wake the conversation's sockets in this process, queueing `payload` for all but `sender`."""
        for subscriber in self._subscribers.get(conversation_id, ()):
            if payload is not None:
                if subscriber.participant_id == sender:
                    continue
                subscriber.notices.append(payload)
            subscriber.wake.set()
