"""WebSocket delivery: live messages, visibility, typing, and reconnecting without loss or duplicates."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from tests.platform.conftest import Room, create_room


def _post(client: TestClient, room: Room, name: str, text: str, client_id: str) -> dict:
    body = {"client_id": client_id, "text": text}
    response = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth(name))
    assert response.status_code in (200, 201), response.text
    return response.json()


def _messages(socket, count: int) -> list[dict]:
    """Read frames until `count` message events arrived; every event frame is returned in order."""
    frames, seen = [], 0
    while seen < count:
        frame = socket.receive_json()
        if frame["type"] == "event":
            frames.append(frame)
            seen += frame["kind"] == "message"
    return frames


def test_new_messages_arrive_live(client: TestClient, room: Room) -> None:
    with client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}") as socket:
        _post(client, room, "John", "It arrived broken.", "a")
        (frame,) = _messages(socket, 1)
    assert frame["payload"]["text"] == "It arrived broken." and frame["payload"]["author"] == "John"


def test_reconnect_receives_what_was_missed_without_loss_or_duplicates(
    client: TestClient, room: Room
) -> None:
    url = f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}"
    with client.websocket_connect(url) as socket:
        for i in range(3):
            _post(client, room, "John", f"first {i}", f"f{i}")
        first = _messages(socket, 3)
    last_seen = first[-1]["seq"]
    for i in range(4):
        _post(client, room, "John", f"second {i}", f"s{i}")
    _post(client, room, "John", "second 0", "s0")  # a retried post is not a new message
    with client.websocket_connect(f"{url}&after={last_seen}") as socket:
        second = _messages(socket, 4)
        _post(client, room, "John", "live again", "l")
        third = _messages(socket, 1)
    texts = [f["payload"]["text"] for f in first + second + third if f["kind"] == "message"]
    assert texts == [*(f"first {i}" for i in range(3)), *(f"second {i}" for i in range(4)), "live again"]
    seqs = [f["seq"] for f in first + second + third]
    assert seqs == sorted(set(seqs))


def test_parties_do_not_receive_mediator_events(client: TestClient, room: Room) -> None:
    with (
        client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}") as party,
        client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['Mia']}") as mediator,
    ):
        _post(client, room, "John", "hello", "a")
        _post(client, room, "John", "again", "b")
        party_kinds = {f["kind"] for f in _messages(party, 2)}
        mediator_kinds = {f["kind"] for f in _messages(mediator, 2)}
    assert party_kinds == {"message"}
    assert "signals" in mediator_kinds


def test_typing_reaches_the_others(client: TestClient, room: Room) -> None:
    with (
        client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['John']}") as john,
        client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}") as jane,
    ):
        john.send_json({"type": "typing"})
        frame = jane.receive_json()
    assert frame == {"type": "typing", "participant_id": room.ids["John"], "name": "John"}


def test_socket_refuses_strangers(client: TestClient, room: Room) -> None:
    other = create_room(client, title="Other")
    for url in (
        f"/api/conversations/{other.id}/ws?token={room.tokens['John']}",
        f"/api/conversations/{room.id}/ws",
    ):
        try:
            with client.websocket_connect(url) as socket:
                socket.receive_json()
        except WebSocketDisconnect as closed:
            assert closed.code == 1008
        else:
            raise AssertionError("the socket should have been refused")
