"""How far each participant has the live feed: noted as the sockets deliver, written for all at once, never
moved back, and written when a socket closes (on a real SQLite or PostgreSQL database)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from tests.platform.conftest import Room

from commonground.platform.db.models import ParticipantRow
from commonground.platform.seen import WRITE_EVERY_S, SeenMarks

CLOSE_WRITTEN_WITHIN_S = WRITE_EVERY_S * 0.8


def _seen(client: TestClient, participant_id: str) -> int:
    with client.app.state.platform.session() as session:
        return session.get(ParticipantRow, participant_id).seen_seq


def test_noted_marks_are_written_at_once_and_never_move_back(client: TestClient, room: Room) -> None:
    marks = SeenMarks(client.app.state.platform.session)
    john, jane = room.ids["John"], room.ids["Jane"]
    marks.mark(john, 7)
    marks.mark(john, 5)  # an older delivery noted late
    marks.mark(jane, 3)
    assert (_seen(client, john), _seen(client, jane)) == (0, 0)  # noted, not yet written
    marks.write()
    assert (_seen(client, john), _seen(client, jane)) == (7, 3)
    marks.mark(john, 4)
    marks.write()
    assert _seen(client, john) == 7


def test_a_closed_socket_has_written_how_far_it_got(client: TestClient, room: Room) -> None:
    with client.websocket_connect(f"/api/conversations/{room.id}/ws", headers=room.auth("Jane")) as socket:
        for number in range(3):
            body = {"client_id": str(number), "text": f"The lens arrived cracked ({number})."}
            client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
        received = [socket.receive_json() for _ in range(3)]
    assert [frame["kind"] for frame in received] == ["message"] * 3
    # Through the last message at least (the mediators' signals after it are passed over, not shown), soon
    # after the close: the server writes it as the socket's handler ends, before the periodic write.
    deadline = time.monotonic() + CLOSE_WRITTEN_WITHIN_S
    while _seen(client, room.ids["Jane"]) < received[-1]["seq"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _seen(client, room.ids["Jane"]) >= received[-1]["seq"]
