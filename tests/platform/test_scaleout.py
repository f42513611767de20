"""Scale-out: two real server processes on one database share live delivery, triggers and rate limits
through a real Redis server; a starting process leaves alone the jobs another one is running."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, ADMIN_KEY, PEOPLE, ScriptedModel, create_room, make_settings
from tests.platform.services import RedisServer, free_port, launch_platform, wait_until_ready
from websockets.sync.client import connect

from commonground.platform.app import create_app
from commonground.platform.db.models import JobRow
from commonground.platform.worker import Worker

RATE = 20


@pytest.fixture(scope="module")
def servers(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two server processes sharing one SQLite file and one Redis; the model backend is unreachable."""
    env = os.environ | {
        "COMMONGROUND_DATA_DIR": str(tmp_path_factory.mktemp("scaleout")),
        "COMMONGROUND_PLATFORM__REDIS_URL": redis_server.url,
        "COMMONGROUND_PLATFORM__ADMIN_KEY": ADMIN_KEY,
        "COMMONGROUND_PLATFORM__RATE_LIMIT_PER_MINUTE": str(RATE),
        "COMMONGROUND_PLATFORM__WORKER_POLL_S": "0.2",
        "COMMONGROUND_LLM__BACKEND": "openai",
        "COMMONGROUND_LLM__BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "COMMONGROUND_LLM__MODEL": "x",
        "COMMONGROUND_LLM__MAX_RETRIES": "0",
    }
    started = [launch_platform(env) for _ in range(2)]
    try:
        for process, base in started:
            wait_until_ready(process, base)
        yield [base for _, base in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=60)


def _room(base: str, **policy: object) -> tuple[str, dict[str, dict[str, str]]]:
    body = {"kind": "dispute", "title": "Camera", "languages": ["en"], "participants": PEOPLE}
    created = httpx.post(f"{base}/api/admin/conversations", json=body, headers=ADMIN).json()
    room = created["conversation"]
    if policy:
        url = f"{base}/api/admin/conversations/{room['id']}/policy"
        httpx.put(url, json=room["policy"] | policy, headers=ADMIN).raise_for_status()
    tokens = {i["participant"]["name"]: i["token"] for i in created["invitations"]}
    return room["id"], {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}


def test_message_posted_to_one_process_arrives_once_on_a_socket_of_the_other(servers: list[str]) -> None:
    a, b = servers
    cid, auth = _room(a)
    token = auth["Jane"]["Authorization"].removeprefix("Bearer ")
    with connect(f"{b.replace('http', 'ws')}/api/conversations/{cid}/ws?token={token}") as socket:
        posted = []
        for i in range(3):
            body = {"client_id": f"m{i}", "text": f"It arrived broken ({i})."}
            response = httpx.post(f"{a}/api/conversations/{cid}/messages", json=body, headers=auth["John"])
            posted.append(response.json()["id"])
        httpx.post(f"{a}/api/conversations/{cid}/messages", json=body, headers=auth["John"])  # a retry
        frames = []
        try:
            while True:
                frames.append(json.loads(socket.recv(timeout=1.5)))
        except TimeoutError:
            pass
    received = [f["payload"]["id"] for f in frames if f.get("kind") == "message"]
    assert received == posted


def test_an_inactivity_trigger_fires_once_across_processes(servers: list[str]) -> None:
    a, b = servers
    cid, auth = _room(a, triggers={"inactivity_s": 0.5})
    body = {"client_id": "m", "text": "Are you there?"}
    httpx.post(f"{b}/api/conversations/{cid}/messages", json=body, headers=auth["John"]).raise_for_status()
    time.sleep(3)
    audit = httpx.get(f"{a}/api/admin/conversations/{cid}/audit", headers=ADMIN).json()
    assert [d["event"] for d in audit].count("tick") == 1


def test_rate_limit_is_shared_by_the_processes(servers: list[str]) -> None:
    cid, auth = _room(servers[0])
    statuses = [
        httpx.post(
            f"{servers[i % 2]}/api/conversations/{cid}/check", json={"text": "Hello."}, headers=auth["Jane"]
        ).status_code
        for i in range(RATE + 1)
    ]
    assert statuses == [200] * RATE + [429]


def test_start_up_resumes_only_the_jobs_no_live_process_holds(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, redis_url=redis_server.url)
    with TestClient(create_app(settings, model=ScriptedModel(), worker=False)) as client:
        room = create_room(client)
        platform = client.app.state.platform  # type: ignore[attr-defined]
        with platform.session() as session:
            held, orphan = (JobRow(conversation_id=room.id, kind="tick", status="running") for _ in range(2))
            session.add_all([held, orphan])
            session.commit()
        worker = Worker(platform)
        assert worker.leases is not None and worker.leases.take(held.id)
        worker.start()
        worker.stop()
        with platform.session() as session:
            assert session.get(JobRow, held.id).status == "running"
            assert session.get(JobRow, orphan.id).status != "running"
        worker.leases.release(held.id)
