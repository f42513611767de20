"""Participants: reading, idempotent posting, the pre-send flow, and every security rule."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, PEOPLE, Room, create_room, make_settings, wait_for

from commonground.platform.app import create_app
from commonground.platform.security import Grant, Tokens

RUDE = "You are a scammer and an idiot. I want my money back."


def _post(client: TestClient, room: Room, name: str, text: str, client_id: str, **extra: object):
    body = {"client_id": client_id, "text": text, **extra}
    return client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth(name))


def test_read_conversation_and_messages(client: TestClient, room: Room) -> None:
    assert _post(client, room, "John", "It arrived broken.", "a").status_code == 201
    data = client.get(f"/api/conversations/{room.id}", headers=room.auth("Jane")).json()
    assert data["title"] == "Camera"
    messages = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Olga")).json()
    assert [(m["author"], m["text"]) for m in messages] == [("John", "It arrived broken.")]


def test_posting_is_idempotent_on_client_id(client: TestClient, room: Room) -> None:
    first = _post(client, room, "John", "Once.", "same")
    again = _post(client, room, "John", "Once.", "same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("John")).json()) == 1


def test_same_client_id_from_two_people_is_two_messages(client: TestClient, room: Room) -> None:
    _post(client, room, "John", "Mine.", "x")
    _post(client, room, "Jane", "Mine too.", "x")
    assert len(client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("John")).json()) == 2


def test_oversize_message_is_413_with_the_limit(client: TestClient, room: Room) -> None:
    response = _post(client, room, "John", "x" * 4001, "big")
    assert response.status_code == 413 and response.json()["limit"] == 4000
    check = client.post(
        f"/api/conversations/{room.id}/check", json={"text": "x" * 4001}, headers=room.auth("John")
    )
    assert check.status_code == 413


def test_malformed_json_is_422_saying_what_is_wrong(client: TestClient, room: Room) -> None:
    broken = client.post(
        f"/api/conversations/{room.id}/messages",
        content=b'{"client_id": "a", "text": ',
        headers=room.auth("John") | {"Content-Type": "application/json"},
    )
    assert broken.status_code == 422 and "JSON" in broken.json()["detail"]
    missing = client.post(
        f"/api/conversations/{room.id}/messages", json={"client_id": "a"}, headers=room.auth("John")
    )
    assert missing.status_code == 422 and missing.json()["detail"] == "text: Field required"


def test_unknown_suggestion_is_404(client: TestClient, room: Room) -> None:
    response = client.get(f"/api/conversations/{room.id}/suggestions/nope", headers=room.auth("John"))
    assert response.status_code == 404
    chosen = _post(client, room, "John", "x", "c", choice="suggestion", suggestion_id="nope")
    assert chosen.status_code == 404


def test_no_token_is_401_forged_403_expired_401(client: TestClient, room: Room, settings) -> None:
    url = f"/api/conversations/{room.id}/messages"
    assert client.get(url).status_code == 401
    forged = room.tokens["John"][:-3] + ("AAA" if not room.tokens["John"].endswith("AAA") else "BBB")
    assert client.get(url, headers={"Authorization": f"Bearer {forged}"}).status_code == 403
    other_key = Tokens("another-key", lifetime_s=60).issue(Grant(room.ids["John"], room.id))
    assert client.get(url, headers={"Authorization": f"Bearer {other_key}"}).status_code == 403
    assert client.get(url, headers=room.auth("John")).status_code == 200  # its signature now remembered
    platform = client.app.state.platform
    platform.tokens.lifetime_s = 1
    time.sleep(2.1)
    assert client.get(url, headers=room.auth("John")).status_code == 401  # its age is checked every time


def test_nobody_reads_or_posts_in_a_conversation_they_are_not_part_of(client: TestClient, room: Room) -> None:
    other = create_room(client, title="Other")
    stranger = room.auth("John")
    assert client.get(f"/api/conversations/{other.id}/messages", headers=stranger).status_code == 403
    body = {"client_id": "a", "text": "hi"}
    assert (
        client.post(f"/api/conversations/{other.id}/messages", json=body, headers=stranger).status_code == 403
    )
    assert client.get("/api/conversations/does-not-exist/messages", headers=stranger).status_code == 403


def test_nobody_posts_as_someone_else(client: TestClient, room: Room) -> None:
    body = {"client_id": "a", "text": "I admit it.", "participant_id": room.ids["Jane"]}
    response = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
    assert response.status_code == 422
    posted = _post(client, room, "John", "Mine.", "b").json()
    assert posted["participant_id"] == room.ids["John"]


def test_observers_read_but_do_not_post(client: TestClient, room: Room) -> None:
    assert _post(client, room, "Olga", "hello", "o").status_code == 403
    assert client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Olga")).status_code == 200


def test_presend_flow_send_suggestion_keeps_original_private(client: TestClient, room: Room) -> None:
    check = client.post(f"/api/conversations/{room.id}/check", json={"text": RUDE}, headers=room.auth("John"))
    result = check.json()
    assert result["flagged"] and "idiot" in result["feedback"] and result["suggestion"]["status"] == "pending"
    suggestion = wait_for(client, room, "John", result["suggestion"]["id"])
    assert suggestion["status"] == "proposed" and suggestion["text"]
    sent = _post(client, room, "John", "ignored", "s", choice="suggestion", suggestion_id=suggestion["id"])
    assert (
        sent.status_code == 201
        and sent.json()["text"] == suggestion["text"]
        and sent.json()["original"] == RUDE
    )
    for name in ("Jane", "Mia", "Olga"):
        seen = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth(name)).json()
        assert seen[0]["original"] is None
        events = client.get(f"/api/conversations/{room.id}/events", headers=room.auth(name)).json()
        assert RUDE not in str(events)
        other = client.get(
            f"/api/conversations/{room.id}/suggestions/{suggestion['id']}", headers=room.auth(name)
        )
        assert other.status_code == 404
    after = client.get(
        f"/api/conversations/{room.id}/suggestions/{suggestion['id']}", headers=room.auth("John")
    )
    assert after.json()["status"] == "accepted"


def test_edited_and_rejected_suggestions(client: TestClient, room: Room) -> None:
    ids = [
        client.post(
            f"/api/conversations/{room.id}/check", json={"text": RUDE}, headers=room.auth("John")
        ).json()["suggestion"]["id"]
        for _ in range(2)
    ]
    original = _post(client, room, "John", RUDE, "o", choice="original", suggestion_id=ids[1])
    assert original.json()["original"] is None
    early = _post(client, room, "John", "Calmer.", "early", choice="edited", suggestion_id=ids[0])
    assert early.status_code in (201, 409)  # 409 while the suggestion is still being written
    wait_for(client, room, "John", ids[0])
    edited = _post(
        client, room, "John", "I would like my money back.", "e", choice="edited", suggestion_id=ids[0]
    )
    assert edited.json()["text"] == "I would like my money back." and edited.json()["original"] == RUDE
    statuses = [
        client.get(f"/api/conversations/{room.id}/suggestions/{i}", headers=room.auth("John")).json()[
            "status"
        ]
        for i in ids
    ]
    assert statuses == ["edited", "rejected"]


def test_civil_draft_is_not_flagged(client: TestClient, room: Room) -> None:
    check = client.post(
        f"/api/conversations/{room.id}/check",
        json={"text": "Could you share the receipt?"},
        headers=room.auth("Jane"),
    )
    assert check.json()["flagged"] is False and check.json()["suggestion"] is None


def test_a_draft_the_detector_cannot_score_is_held_for_the_mediator(client: TestClient) -> None:
    people = [{**person, "lang": "qu"} for person in PEOPLE]
    body = {
        "kind": "dispute",
        "title": "Llama",
        "languages": ["qu"],
        "participants": people,
        "policy": {"languages": ["qu"], "unscored": "hold"},
    }
    created = client.post("/api/admin/conversations", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    invitations = {i["participant"]["name"]: i for i in created.json()["invitations"]}
    room = Room(
        id=created.json()["conversation"]["id"],
        tokens={name: i["token"] for name, i in invitations.items()},
        ids={name: i["participant"]["id"] for name, i in invitations.items()},
    )
    text = "Imaynallam kachkanki, wawqi?"
    check = client.post(f"/api/conversations/{room.id}/check", json={"text": text}, headers=room.auth("John"))
    body = check.json()
    assert check.status_code == 200, body
    assert (body["flagged"], body["incivility"], body["unscored"]) == (True, None, "hold")
    assert "could not be checked automatically" in body["feedback"]
    assert _post(client, room, "John", text, "q1").status_code == 201
    events = client.get(f"/api/conversations/{room.id}/events", headers=room.auth("Mia")).json()
    held = [e["payload"] for e in events if e["kind"] == "decision"]
    assert held and held[-1]["action"] == "hold_for_mediator"


def test_ask_the_mediator_notifies_mediators_only(client: TestClient, room: Room) -> None:
    response = client.post(
        f"/api/conversations/{room.id}/requests", json={"note": "help"}, headers=room.auth("Jane")
    )
    assert response.status_code == 202
    mediator_kinds = [
        e["kind"] for e in client.get(f"/api/conversations/{room.id}/events", headers=room.auth("Mia")).json()
    ]
    party_kinds = [
        e["kind"]
        for e in client.get(f"/api/conversations/{room.id}/events", headers=room.auth("John")).json()
    ]
    assert "request" in mediator_kinds and "request" not in party_kinds


def test_rate_limit_per_participant_is_429(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, rate_limit_per_minute=3))) as client:
        room = create_room(client)
        codes = [_post(client, room, "John", f"m{i}", f"c{i}").status_code for i in range(4)]
        assert codes == [201, 201, 201, 429]
        assert _post(client, room, "Jane", "mine", "j").status_code == 201
        retry = _post(client, room, "John", "m0", "c0")
        assert retry.status_code == 200  # a retry of an acknowledged post is not counted


@pytest.mark.parametrize("path", ["drafts", "summary", "suggestions", "signals", "interventions", "autonomy"])
def test_parties_cannot_use_mediator_endpoints(client: TestClient, room: Room, path: str) -> None:
    method = {"suggestions": "get", "signals": "get", "autonomy": "put"}.get(path, "post")
    body = {"autonomy": "off"} if path == "autonomy" else {"client_id": "x", "text": "hi"}
    response = client.request(
        method, f"/api/conversations/{room.id}/{path}", json=body, headers=room.auth("John")
    )
    assert response.status_code == 403
