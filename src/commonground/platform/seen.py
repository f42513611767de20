"""How far each participant has the live feed: noted in memory as the sockets deliver, written for everyone
at once every few seconds (one short transaction, instead of one per socket competing with the posts)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from commonground.platform.feed import saw

log = logging.getLogger(__name__)

WRITE_EVERY_S = 5.0
"""How long, at most, a delivery stays unwritten (the away notifications read what is written)."""


class SeenMarks:
    """The newest sequence number delivered to each participant, until it is written."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions
        self._pending: dict[str, int] = {}
        self._lock = threading.Lock()

    def mark(self, participant_id: str, seq: int) -> None:
        """Note that `participant_id` has the feed through `seq` (thread-safe, no I/O)."""
        with self._lock:
            if seq > self._pending.get(participant_id, 0):
                self._pending[participant_id] = seq

    def write(self) -> None:
        """Write the noted marks in one transaction, never moving one back (blocking); while the database is
        unreachable they are kept for the next write."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            with self._sessions() as session:
                saw(session, pending)
        except Exception:
            log.exception("writing how far %d participants have the feed failed", len(pending))
            for participant_id, seq in pending.items():
                self.mark(participant_id, seq)

    async def run(self) -> None:
        """Write every WRITE_EVERY_S until cancelled (on the server's loop; the writes on a thread)."""
        while True:
            await asyncio.sleep(WRITE_EVERY_S)
            await asyncio.to_thread(self.write)
