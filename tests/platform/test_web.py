"""The pages' side of the server: a page that cannot be shown is a page in words in the browser's language
while the API keeps answering JSON; everyone hears that a party asked for the mediator (the note stays with
the mediators); presence and "seen" notices pass between sockets, stamped with who sent them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room

from commonground.platform.db.models import ParticipantRow
from commonground.platform.realtime import notice_of


def test_pages_answer_in_words_and_the_api_in_json(client: TestClient, room: Room) -> None:
    page = client.get(f"/c/{room.id}", headers={"Accept-Language": "de-AT, de;q=0.9"})
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="de">' in page.text and "Dieser Link kann nicht verwendet werden" in page.text
    assert "detail" not in page.text
    api = client.get(f"/api/conversations/{room.id}/messages")
    assert api.status_code == 401 and api.json()["detail"] == "an invitation token is required"
    assert client.get("/nowhere").headers["content-type"].startswith("text/html")
    assert client.get("/api/nowhere").json() == {"detail": "Not Found"}
    assert client.get("/admin/c/unknown", headers=ADMIN).status_code == 404


def test_the_chat_page_speaks_the_participants_language(client: TestClient, room: Room) -> None:
    client.put(f"/api/conversations/{room.id}/me", json={"lang": "en"}, headers=room.auth("Jane"))
    english = client.get(f"/c/{room.id}", headers=room.auth("Jane") | {"Accept-Language": "fr"})
    assert '<html lang="en">' in english.text and "Ask the mediator" in english.text


def test_everyone_hears_that_a_party_asked_for_the_mediator(client: TestClient, room: Room) -> None:
    client.post(
        f"/api/conversations/{room.id}/requests", json={"note": "please help"}, headers=room.auth("Jane")
    )

    def events(name: str) -> dict[str, dict[str, Any]]:
        feed = client.get(f"/api/conversations/{room.id}/events", headers=room.auth(name)).json()
        return {e["kind"]: e["payload"] for e in feed}

    for name in ("John", "Olga", "Mia"):
        asked = events(name)["mediator_requested"]
        assert asked["name"] == "Jane" and asked["participant_id"] == room.ids["Jane"] and "note" not in asked
    assert events("Mia")["request"]["note"] == "please help"
    assert "request" not in events("John")


def test_presence_and_seen_pass_between_sockets(client: TestClient, room: Room) -> None:
    ws = f"/api/conversations/{room.id}/ws?token="
    with client.websocket_connect(ws + room.tokens["Jane"]) as jane:
        with client.websocket_connect(ws + room.tokens["John"]) as john:
            john.send_json({"type": "here", "name": "Mallory"})
            assert jane.receive_json() == {
                "type": "here",
                "participant_id": room.ids["John"],
                "name": "John",
                "reply": False,
            }
            john.send_json({"type": "seen", "seq": "all"})  # refused: not a sequence number
            john.send_json({"type": "seen", "seq": 7})
            assert jane.receive_json()["seq"] == 7
        assert jane.receive_json() == {"type": "away", "participant_id": room.ids["John"], "name": "John"}


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ({"type": "typing"}, {"type": "typing"}),
        ({"type": "here", "reply": True}, {"type": "here", "reply": True}),
        ({"type": "here", "reply": "yes"}, {"type": "here", "reply": False}),
        ({"type": "seen", "seq": 3}, {"type": "seen", "seq": 3}),
        ({"type": "seen", "seq": -1}, None),
        ({"type": "seen", "seq": True}, None),
        ({"type": "away"}, {"type": "away"}),
        ({"type": "shout"}, None),
        (["here"], None),
    ],
)
def test_a_received_frame_becomes_a_notice_stamped_with_its_sender(
    frame: object, expected: dict | None
) -> None:
    viewer = ParticipantRow(id="p1", conversation_id="c1", name="John", role="party", lang="en")
    stamped = None if expected is None else {"participant_id": "p1", "name": "John"} | expected
    assert notice_of(frame, viewer) == stamped
