"""The model backend hanging (it accepts connections and never answers), then coming back: the pre-send
check and posting never wait for it, what it left unanswered is said plainly, and the jobs queued behind
the hanging calls all end once it answers again."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from sqlalchemy import select
from tests.llm.servers import serve_faulty
from tests.platform.conftest import ADMIN, Room, ScriptedModel, create_room, make_settings, wait_for
from tests.platform.services import serve_in_thread

from commonground.platform.app import create_app
from commonground.platform.db.models import JobRow
from commonground.platform.runtime import Platform
from commonground.platform.verdicts import NO_ANSWER

RUDE = "You are a scammer and an idiot. I want my money back."
CALMER = "You did not send what I paid for. I want my money back."
"""The backend's rephrasing once it is back: one that passes the rephrase task's checks."""
LLM_TIMEOUT_S = 2.0
CHECK_BOUND_S = LLM_TIMEOUT_S / 2
"""A check answers well before a model call could have timed out: it never waits for the model."""
DRAFTS = 4
TERMINAL = {"proposed", "unavailable"}


def _post(http: httpx.Client, room: Room, name: str, client_id: str, text: str) -> str:
    body = {"client_id": client_id, "text": text}
    response = http.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth(name))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _suggestions_of_jobs(platform: Platform, *statuses: str) -> set[str]:
    """The suggestions whose jobs are in one of `statuses` (pending: no worker has taken them yet)."""
    with platform.session() as session:
        jobs = session.scalars(select(JobRow).where(JobRow.status.in_(statuses)))
        return {job.payload["suggestion_id"] for job in jobs if "suggestion_id" in job.payload}


def test_a_hanging_backend_delays_no_one_and_every_queued_job_ends_once_it_is_back(tmp_path: Path) -> None:
    with serve_faulty() as backend:
        answers = {"Rephrasing": {"rephrased": CALMER}, "DraftReply": ScriptedModel.ANSWERS["draft"]}
        backend.contents = {name: json.dumps(answer) for name, answer in answers.items()}
        backend.hang()
        llm = {"backend": "openai", "base_url": backend.base_url, "model": "x"}
        settings = make_settings(tmp_path, llm=llm | {"max_retries": 0, "timeout_s": LLM_TIMEOUT_S})
        app = create_app(settings)
        platform: Platform = app.state.platform
        with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=30) as http:
            room = create_room(http)
            check_url = f"/api/conversations/{room.id}/check"
            started = time.monotonic()
            check = http.post(check_url, json={"text": RUDE}, headers=room.auth("John"))
            took_s = time.monotonic() - started
            assert check.status_code == 200 and check.json()["feedback"], check.text
            assert took_s < CHECK_BOUND_S, f"the check took {took_s:.2f} s"
            rephrasing = check.json()["suggestion"]
            assert rephrasing["status"] == "pending"
            posted = [_post(http, room, "John", "rude", RUDE)]
            drafts_url = f"/api/conversations/{room.id}/drafts"
            drafts = [http.post(drafts_url, json={}, headers=room.auth("Mia")) for _ in range(DRAFTS)]
            assert [d.status_code for d in drafts] == [202] * DRAFTS
            posted += [
                _post(http, room, "Jane", f"j{i}", f"It worked when I shipped it ({i}).") for i in range(3)
            ]

            unavailable = wait_for(http, room, "John", rephrasing["id"])
            assert (unavailable["status"], unavailable["reason"]) == ("unavailable", NO_ANSWER)
            assert backend.unanswered >= 1, "the backend did not get to hang a call"
            errors = http.get("/api/admin/usage", headers=ADMIN).json()["errors"]
            assert any(f"did not answer within {LLM_TIMEOUT_S:g} s" in e["error"] for e in errors), errors

            backend.answer()
            queued = _suggestions_of_jobs(platform, "pending")  # taken only after the backend came back
            assert queued, "no draft was left queued behind the hanging calls"
            assert queued <= {d.json()["id"] for d in drafts}
            after = http.post(check_url, json={"text": RUDE}, headers=room.auth("John")).json()
            recovered = wait_for(http, room, "John", after["suggestion"]["id"])
            assert (recovered["status"], recovered["verdict"], recovered["text"]) == (
                "proposed",
                "checked",
                CALMER,
            )
            ended = {d.json()["id"]: wait_for(http, room, "Mia", d.json()["id"])["status"] for d in drafts}
            assert set(ended.values()) <= TERMINAL and all(ended[d] == "proposed" for d in queued), ended
            assert not _suggestions_of_jobs(platform, "pending", "running")
            posted.append(_post(http, room, "John", "calm", "Could we look at the photos together?"))
            stored = http.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Olga")).json()
            assert [m["id"] for m in stored] == posted
