"""Faults: the model backend down, a server restarted mid-conversation, and a real server on loopback."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, ADMIN_KEY, ScriptedModel, create_room, make_settings, wait_for
from websockets.sync.client import connect

from commonground.core.settings import load_settings
from commonground.platform.app import create_app

RUDE = "You are a scammer and an idiot. I want my money back."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_model_backend_down_message_posted_and_suggestion_unavailable(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        llm={
            "backend": "openai",
            "base_url": f"http://127.0.0.1:{_free_port()}/v1",
            "model": "x",
            "max_retries": 0,
            "timeout_s": 2,
        },
        platform={"admin_key": ADMIN_KEY, "worker_poll_s": 0.2},
    )
    with TestClient(create_app(settings)) as client:
        room = create_room(client)
        check = client.post(
            f"/api/conversations/{room.id}/check", json={"text": RUDE}, headers=room.auth("John")
        )
        assert check.status_code == 200 and check.json()["feedback"]
        body = {"client_id": "a", "text": RUDE}
        posted = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
        assert posted.status_code == 201
        suggestion = wait_for(client, room, "John", check.json()["suggestion"]["id"])
        assert suggestion["status"] == "unavailable"
        assert suggestion["reason"] == "The language model did not answer; try again."
        draft = client.post(f"/api/conversations/{room.id}/drafts", json={}, headers=room.auth("Mia")).json()
        assert wait_for(client, room, "Mia", draft["id"])["status"] == "unavailable"


def test_restart_mid_conversation_loses_nothing_acknowledged(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    acknowledged = []
    with TestClient(create_app(settings, model=ScriptedModel(), worker=False)) as client:
        room = create_room(client)
        for i in range(5):
            body = {"client_id": f"c{i}", "text": f"message {i}"}
            response = client.post(
                f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John")
            )
            acknowledged.append(response.json()["id"])
        pending = client.post(
            f"/api/conversations/{room.id}/check", json={"text": RUDE}, headers=room.auth("John")
        )
    with TestClient(create_app(settings, model=ScriptedModel())) as client:
        messages = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Jane")).json()
        assert [m["id"] for m in messages] == acknowledged
        retried = client.post(
            f"/api/conversations/{room.id}/messages",
            json={"client_id": "c4", "text": "message 4"},
            headers=room.auth("John"),
        )
        assert retried.status_code == 200 and retried.json()["id"] == acknowledged[-1]
        assert wait_for(client, room, "John", pending.json()["suggestion"]["id"])["status"] == "proposed"


def test_real_server_on_loopback(tmp_path: Path) -> None:
    port = _free_port()
    app = create_app(make_settings(tmp_path), model=ScriptedModel())
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with httpx.Client(base_url=base) as http:
            body = {"title": "Camera", "participants": [{"name": "John"}, {"name": "Jane"}]}
            created = http.post("/api/admin/conversations", json=body, headers=ADMIN).json()
            cid = created["conversation"]["id"]
            john, jane = (i["token"] for i in created["invitations"])
            with connect(f"ws://127.0.0.1:{port}/api/conversations/{cid}/ws?token={jane}") as socket_:
                http.post(
                    f"/api/conversations/{cid}/messages",
                    json={"client_id": "1", "text": "It arrived broken."},
                    headers={"Authorization": f"Bearer {john}"},
                )
                frame = json.loads(socket_.recv(timeout=10))
            assert frame["kind"] == "message" and frame["payload"]["text"] == "It arrived broken."
            analyzed = http.post(
                "/v1alpha1/comments:analyze",
                json={"comment": {"text": "you idiot"}, "requestedAttributes": {"TOXICITY": {}}},
            )
            assert analyzed.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5
    finally:
        server.should_exit = True
        thread.join(timeout=10)
