"""Mediators: drafts, edit-and-send, summaries, signals, autonomy; the AI mediator stepping in on its own."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room, wait_for


def _post(client: TestClient, room: Room, name: str, text: str, client_id: str) -> dict:
    body = {"client_id": client_id, "text": text}
    return client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth(name)).json()


def test_draft_with_instruction_then_edit_and_send(client: TestClient, room: Room) -> None:
    _post(client, room, "John", "The camera arrived with a cracked lens.", "1")
    queued = client.post(
        f"/api/conversations/{room.id}/drafts",
        json={"instruction": "ask about the packaging"},
        headers=room.auth("Mia"),
    )
    assert queued.status_code == 202 and queued.json()["instruction"] == "ask about the packaging"
    draft = wait_for(client, room, "Mia", queued.json()["id"])
    assert draft["status"] == "proposed" and draft["text"]
    # the scripted draft does not follow the instruction, so the mediator gets the template, and is told
    assert (draft["verdict"], draft["checked"]) == ("template", []) and "template" in draft["verdict_text"]
    assert (
        client.get(
            f"/api/conversations/{room.id}/suggestions/{draft['id']}", headers=room.auth("John")
        ).status_code
        == 404
    )
    assert "suggestion" not in {
        e["kind"]
        for e in client.get(f"/api/conversations/{room.id}/events", headers=room.auth("John")).json()
    }
    body = {"client_id": "i1", "text": draft["text"] + " Thank you.", "suggestion_id": draft["id"]}
    sent = client.post(f"/api/conversations/{room.id}/interventions", json=body, headers=room.auth("Mia"))
    assert sent.status_code == 201 and sent.json()["author"] == "Mia"
    listed = client.get(f"/api/conversations/{room.id}/suggestions", headers=room.auth("Mia")).json()
    assert listed[0]["status"] == "edited"
    seen = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Jane")).json()
    assert seen[-1]["text"].endswith("Thank you.")


def test_summary_cites_messages(client: TestClient, room: Room) -> None:
    _post(client, room, "John", "I want a full refund.", "1")
    queued = client.post(f"/api/conversations/{room.id}/summary", headers=room.auth("Mia"))
    summary = wait_for(client, room, "Mia", queued.json()["id"])
    assert summary["status"] == "proposed" and "statements" in summary["detail"]


def test_signals_trend_per_message(client: TestClient, room: Room) -> None:
    _post(client, room, "John", "It arrived broken.", "1")
    _post(client, room, "Jane", "You are a liar and an idiot.", "2")
    signals = client.get(f"/api/conversations/{room.id}/signals", headers=room.auth("Mia")).json()
    assert len(signals) == 2 and signals[1]["incivility"] > signals[0]["incivility"]
    assert all(0 <= s["derailment_risk"] <= 1 for s in signals)


def test_autonomy_the_policy_does_not_allow_is_refused_in_words(client: TestClient, room: Room) -> None:
    before = client.get(f"/api/conversations/{room.id}", headers=room.auth("Mia")).json()["policy"]
    refused = client.put(
        f"/api/conversations/{room.id}/autonomy", json={"autonomy": "autonomous"}, headers=room.auth("Mia")
    )
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("The AI mediator cannot step in on its own here")
    assert client.get(f"/api/conversations/{room.id}", headers=room.auth("Mia")).json()["policy"] == before


def test_autonomy_switch_lets_the_ai_mediator_intervene_labelled(client: TestClient, room: Room) -> None:
    policy = client.get(f"/api/conversations/{room.id}", headers=room.auth("Mia")).json()["policy"]
    client.put(
        f"/api/admin/conversations/{room.id}/policy",
        json=policy | {"actions": {"autonomous_intervention": True}},
        headers=ADMIN,
    )
    switched = client.put(
        f"/api/conversations/{room.id}/autonomy", json={"autonomy": "autonomous"}, headers=room.auth("Mia")
    )
    assert switched.json()["policy"]["autonomy"] == "autonomous"
    _post(client, room, "John", "The camera arrived broken.", "1")
    client.post(
        f"/api/conversations/{room.id}/requests", json={"note": "please help"}, headers=room.auth("Jane")
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        messages = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("John")).json()
        if any(m["is_ai"] for m in messages):
            break
        time.sleep(0.2)
    ai = [m for m in messages if m["is_ai"]]
    assert ai and ai[0]["author"] == "AI mediator" and ai[0]["text"].startswith("[AI mediator]")
    audit = client.get(f"/api/admin/conversations/{room.id}/audit", headers=ADMIN).json()
    cause = [d for d in audit if d["action"] == "intervene"]
    assert cause and cause[0]["message_id"] == ai[0]["id"] and cause[0]["purpose"] == "requested"


def test_invalid_autonomy_is_422(client: TestClient, room: Room) -> None:
    response = client.put(
        f"/api/conversations/{room.id}/autonomy", json={"autonomy": "max"}, headers=room.auth("Mia")
    )
    assert response.status_code == 422 and "autonomy" in response.json()["detail"]
