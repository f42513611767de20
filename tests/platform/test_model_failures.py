"""A model that does not answer: people are told so in a plain sentence, the technical cause is kept in
the usage record only, and an intervention that produced nothing does not use up the cool-down."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from tests.llm.servers import free_port
from tests.platform.conftest import ADMIN, Room, create_room

from commonground.core.settings import Settings
from commonground.platform.app import create_app
from commonground.platform.verdicts import NO_ANSWER

HEATED = ("You are a liar and an idiot, you stupid fraud.", "You idiot, you are a liar and a thief.")


def _audit_until(client: TestClient, room: Room, done, timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        audit = client.get(f"/api/admin/conversations/{room.id}/audit", headers=ADMIN).json()
        if done(audit):
            return audit
        time.sleep(0.2)
    raise AssertionError(f"the audit log did not get there: {audit}")


def test_a_failed_draft_is_said_plainly_and_leaves_the_cool_down(settings: Settings) -> None:
    down = {"backend": "openai", "base_url": f"http://127.0.0.1:{free_port()}/v1", "model": "x"}
    llm = settings.llm.model_copy(update=down | {"max_retries": 0, "timeout_s": 2})
    with TestClient(create_app(settings.model_copy(update={"llm": llm}))) as client:
        room = create_room(client, policy={"autonomy": "draft_for_mediator"})
        drafts = []
        for number, text in enumerate(HEATED):
            body = {"client_id": str(number), "text": text}
            client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
            audit = _audit_until(
                client,
                room,
                lambda audit, count=number + 1: (
                    [d["outcome"] for d in audit if d["action"] == "draft_for_mediator"].count("not_posted")
                    == count
                ),
            )
            drafts = [d for d in audit if d["action"] == "draft_for_mediator"]
        assert len(drafts) == 2 and not any("cooldown" in d["reason"] for d in audit)
        panel = client.get(f"/api/conversations/{room.id}/suggestions", headers=room.auth("Mia")).json()
        assert panel and all(
            (s["status"], s["reason"], s["verdict"]) == ("unavailable", NO_ANSWER, "unavailable")
            for s in panel
        )
        errors = client.get("/api/admin/usage", headers=ADMIN).json()["errors"]
        assert errors and all(e["task"] == "draft" and e["error"] and e["error"] != NO_ANSWER for e in errors)
