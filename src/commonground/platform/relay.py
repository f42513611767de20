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
        self.client = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30
        )

    def publish(
        self, conversation_id: str, payload: dict[str, Any] | None = None, *, sender: str | None = None
    ) -> bool:
        """Tell every process that the conversation's feed grew, or pass a notice on; whether Redis took it.

        A Redis failure is logged, not raised: what was stored stays stored, and sockets catch up on the
        wake-up that follows resubscribing.
        """
        message = {"conversation_id": conversation_id, "payload": payload, "sender": sender}
        try:
            self.client.publish(CHANNEL, json.dumps(message))
        except redis.RedisError as error:
            log.warning("redis publish failed: %s", error)
            return False
        return True

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


class JobLeases:
    """Which jobs some live process is running: a Redis key per job, renewed while it runs.

    A process starting up sends back to pending only the running jobs nobody holds (their process died),
    never those another process is busy with.
    """

    def __init__(self, client: redis.Redis, *, ttl_s: int = 30) -> None:
        self._redis = client
        self.ttl_s = ttl_s

    @staticmethod
    def _key(job_id: str) -> str:
        return f"commonground:job:{job_id}"

    def take(self, job_id: str) -> bool:
        """Hold the job unless someone else does."""
        return bool(self._redis.set(self._key(job_id), 1, nx=True, ex=self.ttl_s))

    def renew(self, job_id: str) -> None:
        """Hold the job for another `ttl_s`, taking the lease again if Redis lost it (a restart)."""
        self._redis.set(self._key(job_id), 1, ex=self.ttl_s)

    def release(self, job_id: str) -> None:
        self._redis.delete(self._key(job_id))

    def held(self, job_ids: list[str]) -> set[str]:
        """Those of `job_ids` some process holds."""
        pipe = self._redis.pipeline()
        for job_id in job_ids:
            pipe.exists(self._key(job_id))
        return {job_id for job_id, exists in zip(job_ids, pipe.execute(), strict=True) if exists}
