"""Links that can be revoked, participants added to, removed from and re-invited to a conversation, and
input refused in words."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.platform.conftest import ADMIN, Room

PEOPLE = "/api/admin/conversations/{cid}/participants"


def _refused(client: TestClient, room: Room, token: str) -> tuple[int, int, int]:
    """What the API, the invitation page and the live feed answer an old token."""
    api = client.get(f"/api/conversations/{room.id}/messages", headers={"Authorization": f"Bearer {token}"})
    page = client.get(f"/join/{token}", follow_redirects=False)
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        client.websocket_connect(f"/api/conversations/{room.id}/ws?token={token}") as socket,
    ):
        socket.receive_json()
    return api.status_code, page.status_code, closed.value.code


def test_a_new_link_revokes_the_old_one(client: TestClient, room: Room) -> None:
    old = room.tokens["Jane"]
    url = f"{PEOPLE.format(cid=room.id)}/{room.ids['Jane']}/invitation"
    new = client.post(url, headers=ADMIN).json()["token"]
    assert _refused(client, room, old) == (401, 401, 1008)
    assert (
        client.get(f"/api/conversations/{room.id}/me", headers={"Authorization": f"Bearer {new}"}).json()[
            "name"
        ]
        == "Jane"
    )
    assert client.get(f"/join/{new}", follow_redirects=False).status_code == 303


def test_an_explicit_revoke_closes_the_open_feed_and_refuses_the_link(client: TestClient, room: Room) -> None:
    with client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}") as socket:
        revoked = client.delete(f"{PEOPLE.format(cid=room.id)}/{room.ids['Jane']}/invitation", headers=ADMIN)
        assert revoked.status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                socket.receive_json()
    assert closed.value.code == 1008
    assert _refused(client, room, room.tokens["Jane"]) == (401, 401, 1008)


def test_removal_refuses_access_and_keeps_the_messages(client: TestClient, room: Room) -> None:
    body = {"client_id": "1", "text": "It worked when I sent it."}
    client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("Jane"))
    removed = client.delete(f"{PEOPLE.format(cid=room.id)}/{room.ids['Jane']}", headers=ADMIN)
    assert removed.status_code == 204
    assert _refused(client, room, room.tokens["Jane"]) == (403, 403, 1008)
    messages = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("John")).json()
    assert [(m["author"], m["text"]) for m in messages] == [("Jane", "It worked when I sent it.")]
    people = client.get(f"/api/admin/conversations/{room.id}", headers=ADMIN).json()["participants"]
    assert "Jane" not in {p["name"] for p in people}
    again = client.post(f"{PEOPLE.format(cid=room.id)}/{room.ids['Jane']}/invitation", headers=ADMIN)
    assert again.status_code == 404  # a removed participant is invited again as a new one


def test_admin_adds_a_participant_to_an_existing_conversation(client: TestClient, room: Room) -> None:
    added = client.post(
        PEOPLE.format(cid=room.id), json={"name": "Pat", "email": "pat@example.org"}, headers=ADMIN
    )
    assert added.status_code == 201
    token = added.json()["token"]
    assert client.get(f"/join/{token}", follow_redirects=False).status_code == 303
    bad = client.post(PEOPLE.format(cid=room.id), json={"name": "Pat", "role": "boss"}, headers=ADMIN)
    assert bad.status_code == 422
    assert bad.json()["detail"] == "role: Input should be 'party', 'mediator', 'administrator' or 'observer'"
    unreachable = client.post(
        PEOPLE.format(cid=room.id), json={"name": "Pat", "email": "nowhere"}, headers=ADMIN
    )
    assert unreachable.status_code == 422 and unreachable.json()["detail"].startswith("email: ")


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_a_blank_message_is_refused_in_words(client: TestClient, room: Room, text: str) -> None:
    for path, body in (
        ("messages", {"client_id": "blank", "text": text}),
        ("check", {"text": text}),
        ("interventions", {"client_id": "blank", "text": text}),
    ):
        name = "Mia" if path == "interventions" else "John"
        response = client.post(f"/api/conversations/{room.id}/{path}", json=body, headers=room.auth(name))
        assert response.status_code == 422
        assert response.json()["detail"] == "The message is empty: write something before sending."
    assert client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("John")).json() == []


def test_a_message_past_the_limit_says_how_long_it_may_be(client: TestClient, room: Room) -> None:
    body = {"client_id": "long", "text": "x" * 4001}
    response = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
    assert response.status_code == 413 and response.json()["limit"] == 4000
    assert response.json()["detail"] == (
        "The message is 4,001 characters long; the limit is 4,000. Shorten it or send it in parts."
    )
