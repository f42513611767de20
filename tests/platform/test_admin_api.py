"""Administrator endpoints and the administrator key."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room


def test_create_conversation_makes_a_visible_ai_mediator_and_links(client: TestClient, room: Room) -> None:
    data = client.get(f"/api/admin/conversations/{room.id}", headers=ADMIN).json()
    ai = [p for p in data["participants"] if p["is_ai"]]
    assert [p["name"] for p in ai] == ["AI mediator"] and ai[0]["role"] == "mediator"
    assert {"John", "Jane", "Mia", "Olga"} <= {p["name"] for p in data["participants"]}
    assert data["policy"]["autonomy"] == "suggest_to_author"
    listed = client.get("/api/admin/conversations", headers=ADMIN).json()
    assert room.id in [c["id"] for c in listed]


def test_invitation_links_point_at_join(client: TestClient) -> None:
    body = {"title": "Loan", "participants": [{"name": "Ann"}]}
    invitation = client.post("/api/admin/conversations", json=body, headers=ADMIN).json()["invitations"][0]
    assert invitation["url"].endswith(f"/join/{invitation['token']}")


def test_admin_key_missing_is_401_and_wrong_is_403(client: TestClient) -> None:
    assert client.get("/api/admin/conversations").status_code == 401
    assert client.get("/api/admin/conversations", headers={"X-Admin-Key": "guess"}).status_code == 403


def test_a_participant_token_is_not_an_admin_key(client: TestClient, room: Room) -> None:
    response = client.get(f"/api/admin/conversations/{room.id}/audit", headers=room.auth("Mia"))
    assert response.status_code == 401


def test_unknown_conversation_is_404(client: TestClient) -> None:
    assert client.get("/api/admin/conversations/nope", headers=ADMIN).status_code == 404
    assert client.get("/api/admin/conversations/nope/audit", headers=ADMIN).status_code == 404


def test_add_participant_and_reissue_link(client: TestClient, room: Room) -> None:
    added = client.post(
        f"/api/admin/conversations/{room.id}/participants",
        json={"name": "Pat", "role": "observer"},
        headers=ADMIN,
    )
    assert added.status_code == 201
    pid = added.json()["participant"]["id"]
    again = client.post(f"/api/admin/conversations/{room.id}/participants/{pid}/invitation", headers=ADMIN)
    me = client.get(
        f"/api/conversations/{room.id}/me", headers={"Authorization": f"Bearer {again.json()['token']}"}
    )
    assert me.json()["name"] == "Pat"
    missing = client.post(f"/api/admin/conversations/{room.id}/participants/nope/invitation", headers=ADMIN)
    assert missing.status_code == 404


def test_policy_edit_validates_and_names_the_bad_field(client: TestClient, room: Room) -> None:
    ok = client.put(
        f"/api/admin/conversations/{room.id}/policy", json={"autonomy": "autonomous"}, headers=ADMIN
    )
    assert ok.status_code == 200 and ok.json()["policy"]["autonomy"] == "autonomous"
    bad = client.put(
        f"/api/admin/conversations/{room.id}/policy", json={"thresholds": {"incivility": 3}}, headers=ADMIN
    )
    assert bad.status_code == 422 and "thresholds.incivility" in bad.json()["detail"]


def test_audit_log_records_every_decision_without_the_private_drafts(client: TestClient, room: Room) -> None:
    draft = "You are a scammer and an idiot. I want my money back."
    client.post(f"/api/conversations/{room.id}/check", json={"text": draft}, headers=room.auth("John"))
    client.post(
        f"/api/conversations/{room.id}/messages",
        json={"client_id": "m1", "text": "Hello."},
        headers=room.auth("Jane"),
    )
    audit = client.get(f"/api/admin/conversations/{room.id}/audit", headers=ADMIN).json()
    assert [d["event"] for d in audit].count("draft") == 2  # feedback and rephrasing
    assert {d["action"] for d in audit} >= {"presend_feedback", "suggest_rephrase"}
    digest = hashlib.sha256(draft.encode()).hexdigest()
    assert all(
        (d["draft_sha256"], d["draft_chars"]) == (digest, len(draft)) for d in audit if d["event"] == "draft"
    )
    assert "scammer" not in json.dumps(audit)
    assert any(d["event"] == "message" and d["signals"] for d in audit)


def test_export_jsonl_and_convokit(client: TestClient, room: Room) -> None:
    for number, (name, text) in enumerate([("John", "It arrived broken."), ("Jane", "It worked when sent.")]):
        client.post(
            f"/api/conversations/{room.id}/messages",
            json={"client_id": str(number), "text": text},
            headers=room.auth(name),
        )
    lines = client.get(f"/api/admin/conversations/{room.id}/export", headers=ADMIN).text.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["text"] for r in rows] == ["It arrived broken.", "It worked when sent."]
    assert rows[1]["reply_to"] == rows[0]["id"]
    archive = client.get(f"/api/admin/conversations/{room.id}/export?format=convokit", headers=ADMIN)
    assert archive.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        names = {name.split("/")[-1] for name in zipped.namelist()}
        assert names == {
            "utterances.jsonl",
            "speakers.json",
            "conversations.json",
            "corpus.json",
            "index.json",
        }
        speakers = json.loads(zipped.read(f"commonground-{room.id}/speakers.json"))
    assert rows[0]["speaker"] in speakers
    assert (
        client.get(f"/api/admin/conversations/{room.id}/export?format=csv", headers=ADMIN).status_code == 422
    )


def test_usage_is_admin_only_and_summarises(client: TestClient) -> None:
    assert client.get("/api/admin/usage").status_code == 401
    usage = client.get("/api/admin/usage", headers=ADMIN).json()
    assert usage == {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "lines": [], "errors": []}


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/admin/conversations",
        "/api/admin/conversations/{conversation_id}/policy",
        "/api/admin/conversations/{conversation_id}/audit",
        "/api/admin/conversations/{conversation_id}/export",
        "/api/admin/usage",
        "/api/conversations/{conversation_id}/messages",
        "/api/conversations/{conversation_id}/check",
        "/api/conversations/{conversation_id}/drafts",
        "/api/conversations/{conversation_id}/interventions",
        "/api/conversations/{conversation_id}/summary",
        "/api/conversations/{conversation_id}/autonomy",
        "/v1alpha1/comments:analyze",
    ):
        assert path in paths
