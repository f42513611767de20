"""Private drafts stay private: an authorization matrix over every endpoint and the live feed, per role.

The author checks two uncivil drafts: one they abandon, one whose calmer rephrasing they send. Neither
draft's text may reach anyone but its author, by any route; the author sees the original they replaced,
in the message list and live.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.platform.conftest import ADMIN, Room, create_room, wait_for

ABANDONED = "You are a scammer and an idiot. I want my money back."
REPLACED = "I am upset, you stupid thief, and I want my money back."  # the scripted model rewrites it
SECRETS = ("scammer", "thief")
ROLES = {"author": "John", "other party": "Jane", "mediator": "Mia", "observer": "Olga"}


def _credentials(room: Room, role: str) -> dict[str, str]:
    if role == "admin":
        return ADMIN
    return room.auth(ROLES[role]) if role in ROLES else {}


def _endpoints(room: Room, suggestions: list[str]) -> list[str]:
    base = f"/api/conversations/{room.id}"
    admin = f"/api/admin/conversations/{room.id}"
    return [
        base,
        f"{base}/me",
        f"{base}/messages",
        f"{base}/translations",
        f"{base}/events",
        f"{base}/suggestions",
        f"{base}/signals",
        *(f"{base}/suggestions/{s}" for s in suggestions),
        f"/c/{room.id}",
        "/api/admin/conversations",
        admin,
        f"{admin}/audit",
        f"{admin}/export",
        f"{admin}/export?format=convokit",
        "/api/admin/usage",
        f"/admin/c/{room.id}",
    ]


def _body(response) -> str:
    if response.headers.get("content-type") == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    return response.text


def _feed(client: TestClient, room: Room, role: str) -> str:
    """Every frame the role's live feed replays, up to the closing message."""
    token = room.tokens[ROLES[role]] if role in ROLES else None
    url = f"/api/conversations/{room.id}/ws" + (f"?token={token}" if token else "")
    frames = []
    try:
        with client.websocket_connect(url) as socket:
            while True:
                frames.append(socket.receive_text())
                if "The end." in frames[-1]:
                    break
    except WebSocketDisconnect as closed:
        assert token is None and closed.code == 1008
    return "".join(frames)


@pytest.fixture
def scene(client: TestClient) -> tuple[Room, list[str]]:
    room = create_room(client)
    base = f"/api/conversations/{room.id}"
    checks = [
        client.post(f"{base}/check", json={"text": text}, headers=room.auth("John")).json()
        for text in (ABANDONED, REPLACED)
    ]
    ids = [check["suggestion"]["id"] for check in checks]
    for suggestion_id in ids:
        wait_for(client, room, "John", suggestion_id, timeout=300)
    sent = {"client_id": "m1", "text": "ignored", "choice": "suggestion", "suggestion_id": ids[1]}
    assert client.post(f"{base}/messages", json=sent, headers=room.auth("John")).status_code == 201
    for job in ("drafts", "summary"):
        queued = client.post(f"{base}/{job}", json={}, headers=room.auth("Mia")).json()
        wait_for(client, room, "Mia", queued["id"], timeout=300)
    closing = {"client_id": "end", "text": "The end."}
    assert client.post(f"{base}/messages", json=closing, headers=room.auth("Jane")).status_code == 201
    return room, ids


@pytest.mark.parametrize("role", ["author", "other party", "mediator", "observer", "admin", "none"])
def test_no_one_but_the_author_receives_a_private_draft(
    client: TestClient, scene: tuple[Room, list[str]], role: str
) -> None:
    room, suggestions = scene
    seen = {
        url: _body(client.get(url, headers=_credentials(room, role))) for url in _endpoints(room, suggestions)
    }
    if role != "admin":
        seen["live feed"] = _feed(client, room, role)
    leaks = [(url, word) for url, body in seen.items() for word in SECRETS if word in body]
    if role == "author":
        assert {url for url, word in leaks if word == "thief"} >= {
            f"/api/conversations/{room.id}/messages",
            "live feed",
        }
        assert all(word == "thief" for _, word in leaks)  # the abandoned draft is not kept anywhere
    else:
        assert leaks == []
