"""Per-participant rate limits: a sliding minute counted in this process, or in Redis for all processes."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict, deque
from typing import Protocol

import redis

from commonground.platform.errors import RateLimited

log = logging.getLogger(__name__)
WINDOW_S = 60.0


class Limiter(Protocol):
    def hit(self, key: str) -> None:
        """Count one hit, or raise RateLimited when the minute is full."""


def _refuse(per_minute: int, oldest: float, now: float) -> RateLimited:
    wait = int(WINDOW_S - (now - oldest)) + 1
    return RateLimited(
        f"rate limit of {per_minute} per minute reached; retry in {wait} s", retry_after_s=wait
    )


class RateLimiter:
    """At most `per_minute` hits per key in any sliding minute (in this process)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one hit, or raise RateLimited when the minute is full."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            if len(hits) >= self.per_minute:
                raise _refuse(self.per_minute, hits[0], now)
            hits.append(now)


class RedisRateLimiter:
    """The same sliding minute kept in a Redis sorted set per key, shared by every server process.

    While Redis is unreachable every hit is let through (a warning says so, once per outage): the limit
    guards against floods, and refusing everyone's posts for want of a counter would be worse. Counting
    resumes when Redis is back.
    """

    def __init__(self, client: redis.Redis, per_minute: int) -> None:
        self.per_minute = per_minute
        self._redis = client
        self._unreachable = False

    def hit(self, key: str) -> None:
        """Count one hit, or raise RateLimited when the minute is full (a refused hit is not counted)."""
        try:
            refusal = self._count(key)
        except redis.RedisError as error:
            if not self._unreachable:
                log.warning("rate limits not counted while redis is unreachable: %s", error)
            self._unreachable = True
            return
        if self._unreachable:
            log.info("rate limits counted again")
            self._unreachable = False
        if refusal is not None:
            raise refusal

    def _count(self, key: str) -> RateLimited | None:
        now, name, member = time.time(), f"commonground:rate:{key}", uuid.uuid4().hex
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(name, 0, now - WINDOW_S)
        pipe.zadd(name, {member: now})
        pipe.zcard(name)
        pipe.zrange(name, 0, 0, withscores=True)
        pipe.expire(name, int(WINDOW_S) + 1)
        _, _, count, oldest, _ = pipe.execute()
        if count <= self.per_minute:
            return None
        self._redis.zrem(name, member)
        return _refuse(self.per_minute, oldest[0][1], now)
