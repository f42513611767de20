"""Hundreds of people at once, each on a connection of their own, on a real server: every request is
answered, and no request's wait for a thread holds up the others (a request that kept its database
connection while waiting for a thread could leave every thread waiting for a connection)."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from tests.platform.conftest import ScriptedModel, create_room, make_settings
from tests.platform.services import serve_in_thread

from commonground.platform.app import create_app

PEOPLE_AT_ONCE = 240
"""Several times the server's threads (40) and connections kept (48)."""
ANSWER_WITHIN_S = 20.0
"""Well inside the database pool's 30 s wait, so a stall fails the test instead of ending in 500s."""


async def _everyone_checks_at_once(base: str, path: str, headers: dict[str, str]) -> list[int]:
    tls = ssl.create_default_context()
    clients = [
        httpx.AsyncClient(base_url=base, timeout=ANSWER_WITHIN_S, verify=tls) for _ in range(PEOPLE_AT_ONCE)
    ]
    try:
        responses = await asyncio.gather(
            *(
                client.post(path, json={"text": f"Draft {i}: the lens was cracked."}, headers=headers)
                for i, client in enumerate(clients)
            )
        )
        return [response.status_code for response in responses]
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def test_hundreds_of_simultaneous_checks_are_all_answered(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, rate_limit_per_minute=100_000)
    app = create_app(settings, model=ScriptedModel(), worker=False)
    with serve_in_thread(app) as base, TestClient(app, base_url=base) as client:
        room = create_room(client)
        path = f"/api/conversations/{room.id}/check"
        statuses = asyncio.run(_everyone_checks_at_once(base, path, room.auth("John")))
    assert statuses == [200] * PEOPLE_AT_ONCE
