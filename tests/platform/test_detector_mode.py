"""The platform's detector mode: its own calibrated thresholds in new policies, and languages it cannot read
held, never passed as civil."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, ScriptedModel, create_room, make_settings

from commonground.platform.app import create_app
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.incivility import IncivilityDetector


@pytest.fixture
def fast_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(tmp_path, detector="fast"), model=ScriptedModel(), worker=False)
    with TestClient(app) as client:
        yield client


def _threshold(client: TestClient, room_id: str, signal: str = "incivility") -> float:
    conversation = client.get(f"/api/admin/conversations/{room_id}", headers=ADMIN).json()
    return conversation["policy"]["thresholds"][signal]


def test_new_policies_take_the_fast_detectors_thresholds(fast_client: TestClient) -> None:
    room = create_room(fast_client)
    fast = IncivilityDetector.load("fast")
    forecaster = DerailmentForecaster.load(detector=fast)
    assert _threshold(fast_client, room.id) == fast.threshold
    assert _threshold(fast_client, room.id, "derailment_risk") == forecaster.threshold
    assert forecaster.threshold != DerailmentForecaster.load().threshold  # the accurate mode's differs
    explicit = create_room(fast_client, policy={"thresholds": {"incivility": 0.9}})
    assert _threshold(fast_client, explicit.id) == 0.9
    assert _threshold(fast_client, explicit.id, "derailment_risk") == forecaster.threshold
    path = f"/api/admin/conversations/{room.id}/policy"
    assert fast_client.put(path, json={"autonomy": "off"}, headers=ADMIN).status_code == 200
    assert _threshold(fast_client, room.id) == fast.threshold


def test_fast_mode_flags_and_holds_what_it_cannot_read(fast_client: TestClient) -> None:
    room = create_room(fast_client, languages=("en", "ru"))
    url = f"/api/conversations/{room.id}/check"
    rude = fast_client.post(url, json={"text": "You are a pathetic idiot."}, headers=room.auth("John")).json()
    assert rude["flagged"] and rude["incivility"] >= rude["threshold"]
    me = f"/api/conversations/{room.id}/me"
    assert fast_client.put(me, json={"lang": "ru"}, headers=room.auth("John")).status_code == 200
    russian = "Спасибо, я согласен с вашим предложением."
    held = fast_client.post(url, json={"text": russian}, headers=room.auth("John")).json()
    assert (held["incivility"], held["unscored"], held["flagged"]) == (None, "hold", True)
