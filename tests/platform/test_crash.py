"""A server process killed (SIGKILL) in the middle of a paced load, then restarted on the same database:
every acknowledged message is stored exactly once and reaches a reconnecting socket, and clients that
send everything again with the same `client_id`s make no duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from tests.platform.conftest import ADMIN, ADMIN_KEY, PEOPLE
from tests.platform.services import free_port, launch_platform, wait_until_ready
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

KILL_AFTER = 15
"""Acknowledged posts before the kill."""
PLANNED = 60
PACE_S = 0.03


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = os.environ | {
        "COMMONGROUND_DATA_DIR": str(data_dir),
        "COMMONGROUND_PLATFORM__ADMIN_KEY": ADMIN_KEY,
        "COMMONGROUND_PLATFORM__RATE_LIMIT_PER_MINUTE": "100000",
        "COMMONGROUND_LLM__BACKEND": "openai",
        "COMMONGROUND_LLM__BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "COMMONGROUND_LLM__MODEL": "x",
        "COMMONGROUND_LLM__MAX_RETRIES": "0",
    }
    if database_url is not None:
        env["COMMONGROUND_PLATFORM__DATABASE_URL"] = database_url
    return env


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    process, base = launch_platform(env)
    wait_until_ready(process, base, timeout_s=180)
    return process, base


def _post_until_killed(base: str, room: str, auth: dict[str, str], acknowledged: dict[str, str]) -> None:
    """Post PLANNED messages at a steady pace; record the id of each acknowledged one by client id."""
    with httpx.Client(base_url=base, timeout=10) as http:
        for i in range(PLANNED):
            body = {"client_id": f"c{i}", "text": f"message number {i}"}
            try:
                response = http.post(f"/api/conversations/{room}/messages", json=body, headers=auth)
            except httpx.TransportError:
                return
            if response.status_code in (200, 201):
                acknowledged[body["client_id"]] = response.json()["id"]
            time.sleep(PACE_S)


def _frames(url: str, seen: list[dict], *, until: int | None = None, within_s: float = 60) -> None:
    """Message frames from a socket into `seen` until `until` of them arrived or the socket drops."""
    deadline = time.monotonic() + within_s
    try:
        with connect(url) as socket:
            while time.monotonic() < deadline and (until is None or len(seen) < until):
                frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
                if frame.get("type") == "event" and frame["kind"] == "message":
                    seen.append(frame)
    except (OSError, TimeoutError, ConnectionClosed):  # the server was killed under the socket
        return


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_kill_9_mid_load_loses_and_duplicates_nothing(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("postgres").new_database() if database == "postgresql" else None
    env = _environment(tmp_path, url)
    process, base = _start(env)
    body = {"kind": "dispute", "title": "Camera", "languages": ["en"], "participants": PEOPLE}
    created = httpx.post(f"{base}/api/admin/conversations", json=body, headers=ADMIN, timeout=30).json()
    room = created["conversation"]["id"]
    tokens = {i["participant"]["name"]: i["token"] for i in created["invitations"]}
    john = {"Authorization": f"Bearer {tokens['John']}"}
    acknowledged: dict[str, str] = {}
    before: list[dict] = []
    feed = f"{base.replace('http', 'ws')}/api/conversations/{room}/ws?token={tokens['Jane']}"
    listener = threading.Thread(target=_frames, args=(feed, before))
    listener.start()
    poster = threading.Thread(target=_post_until_killed, args=(base, room, john, acknowledged))
    poster.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < KILL_AFTER and poster.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    process.kill()
    process.wait(timeout=30)
    poster.join(timeout=30)
    listener.join(timeout=30)
    assert KILL_AFTER <= len(acknowledged) < PLANNED, "the kill did not land mid-load"

    process, base = _start(env)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            for i in range(PLANNED):  # every client sends everything again, same client ids
                again = {"client_id": f"c{i}", "text": f"message number {i}"}
                response = http.post(f"/api/conversations/{room}/messages", json=again, headers=john)
                assert response.status_code in (200, 201), response.text
                if f"c{i}" in acknowledged:
                    assert response.status_code == 200 and response.json()["id"] == acknowledged[f"c{i}"]
            stored = http.get(f"/api/conversations/{room}/messages", headers=john).json()
        texts = Counter(m["text"] for m in stored)
        assert len(stored) == PLANNED and set(texts.values()) == {1}
        assert set(acknowledged.values()) <= {m["id"] for m in stored}
        last_seen = before[-1]["seq"] if before else 0
        after: list[dict] = []
        missed = sum(1 for m in stored if m["seq"] > last_seen)
        feed = f"{base.replace('http', 'ws')}/api/conversations/{room}/ws?token={tokens['Jane']}"
        _frames(f"{feed}&after={last_seen}", after, until=missed)
        delivered = Counter(f["payload"]["id"] for f in before + after)
        assert set(delivered) == {m["id"] for m in stored} and set(delivered.values()) == {1}
    finally:
        process.terminate()
        process.wait(timeout=60)
