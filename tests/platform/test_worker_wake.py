"""The worker is woken for work due now, not after every message: a message that queues nothing (or only
later work, such as the inactivity tick) leaves it to its next poll."""

from __future__ import annotations

import threading
from datetime import timedelta

from fastapi.testclient import TestClient
from tests.platform.conftest import Room

from commonground.platform.db.models import utcnow
from commonground.platform.decisions import enqueue, wake_worker


def test_only_work_due_now_wakes_the_worker(client: TestClient, room: Room) -> None:
    ready = threading.Event()
    with client.app.state.platform.session() as session:
        enqueue(session, room.id, "tick", {}, due_at=utcnow() + timedelta(minutes=5))
        wake_worker(session, ready)
        assert not ready.is_set()
        enqueue(session, room.id, "summarize", {"suggestion_id": "none"})
        wake_worker(session, ready)
        assert ready.is_set()
        ready.clear()
        wake_worker(session, ready)  # once per queued work, not again
        assert not ready.is_set()
        session.rollback()
