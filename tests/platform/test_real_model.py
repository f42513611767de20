"""The platform with a real language model (the small embedded one): the pre-send flow end to end, and
every model call accounted for in the usage view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room, create_room, wait_for

from commonground.core.settings import Settings
from commonground.platform.app import create_app


@pytest.fixture
def real_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_presend_suggestion_from_a_real_model_is_verified_and_counted(real_client: TestClient) -> None:
    room: Room = create_room(real_client)
    rude = "You idiot, I paid 350 dollars and the lens was CRACKED!!!"
    check = real_client.post(
        f"/api/conversations/{room.id}/check", json={"text": rude}, headers=room.auth("John")
    )
    assert check.status_code == 200, check.text
    result = check.json()
    assert result["flagged"] and "idiot" in result["feedback"]
    suggestion = wait_for(real_client, room, "John", result["suggestion"]["id"], timeout=240)
    assert suggestion["status"] == "proposed", suggestion
    assert "350" in suggestion["text"] and "idiot" not in suggestion["text"].lower()
    assert suggestion["verdict"] in ("checked", "template") and "score" not in suggestion
    usage = real_client.get("/api/admin/usage", headers=ADMIN).json()
    assert usage["calls"] >= 1 and usage["prompt_tokens"] > 100 and usage["completion_tokens"] > 0
