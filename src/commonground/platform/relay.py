"""Scale-out through Redis: feed wake-ups and typing notices published once, received by every process.

Each process's Hub wakes its own sockets on what arrives here, so a message posted to one process reaches
sockets connected to any other. A wake-up carries no data: the socket reads the events table from its last
sequence number, so a repeated or late wake-up never duplicates nor loses an event.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

import redis
import redis.asyncio

if TYPE_CHECKING:
    from commonground.platform.hub import Hub

log = logging.getLogger(__name__)
CHANNEL = "commonground:feed"
RETRY_S = 1.0


class RedisRelay:
    """Publishes from any thread; `listen` runs on the server's event loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=5, health_check_interval=30)

    def publish(
        self, conversation_id: str, payload: dict[str, Any] | None = None, *, sender: str | None = None
    ) -> None:
        """Tell every process that the conversation's feed grew, or pass a notice on."""
        message = {"conversation_id": conversation_id, "payload": payload, "sender": sender}
        self.client.publish(CHANNEL, json.dumps(message))

    async def listen(self, hub: Hub) -> None:
        """Hand what every process publishes to `hub`, resubscribing after a lost connection."""
        while True:
            client = redis.asyncio.Redis.from_url(self.url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    hub.wake_all()  # wake-ups may have been missed while unsubscribed
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            data = json.loads(message["data"])
                            hub.wake(data["conversation_id"], data["payload"], data["sender"])
            except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
                log.warning("redis relay lost (%s); resubscribing in %.0f s", error, RETRY_S)
                await asyncio.sleep(RETRY_S)
            finally:
                await client.aclose()

    def close(self) -> None:
        self.client.close()
