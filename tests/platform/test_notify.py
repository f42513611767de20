"""Participants who are away are told by e-mail, through a real SMTP server on loopback (aiosmtpd), with a
link that opens the conversation; one who is reading is not."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.llm.servers import free_port
from tests.platform.conftest import ADMIN, Room, ScriptedModel, create_room

from commonground.core.settings import MailSettings, Settings
from commonground.platform.app import create_app
from commonground.platform.db.models import JobRow


class Inbox(MessageHandler):
    """Every mail the server accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.mails: list[Message] = []

    def handle_message(self, message: Message) -> None:
        self.mails.append(message_from_bytes(message.as_bytes()))


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def client(smtp: tuple[Controller, Inbox], settings: Settings) -> Iterator[TestClient]:
    """The platform (on SQLite and PostgreSQL) mailing through the loopback SMTP server."""
    mail = MailSettings(
        host="127.0.0.1", port=smtp[0].port, sender="mediation@example.org", notify_after_s=0.5
    )
    platform = settings.platform.model_copy(
        update={"mail": mail, "public_url": "http://mediation.example.org"}
    )
    with TestClient(
        create_app(settings.model_copy(update={"platform": platform}), model=ScriptedModel())
    ) as test_client:
        yield test_client


def _with_paula(client: TestClient) -> tuple[Room, str]:
    """A conversation, and the token of Paula, invited to it with an e-mail address."""
    room = create_room(client)
    body = {"name": "Paula", "email": "paula@example.org"}
    response = client.post(f"/api/admin/conversations/{room.id}/participants", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return room, response.json()["token"]


def _notifications_done(client: TestClient, count: int, timeout: float = 60) -> None:
    platform = client.app.state.platform
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with platform.session() as session:
            statuses = list(session.scalars(select(JobRow.status).where(JobRow.kind == "notify")))
        if len(statuses) == count and all(status in ("done", "failed") for status in statuses):
            assert set(statuses) == {"done"}
            return
        time.sleep(0.1)
    raise AssertionError(f"notification jobs not done: {statuses}")


def test_a_participant_away_gets_a_mail_with_a_link_that_opens_the_conversation(
    client: TestClient, smtp: tuple[Controller, Inbox]
) -> None:
    room, paula = _with_paula(client)
    for number in range(2):
        body = {"client_id": str(number), "text": f"The lens arrived cracked ({number})."}
        client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
    _notifications_done(client, 2)
    [mail] = smtp[1].mails  # one mail per absence, not one per message
    assert mail["To"] == "paula@example.org" and mail["From"] == "mediation@example.org"
    assert mail["Subject"] == 'John wrote in "Camera"'
    text = mail.get_payload(decode=True).decode()
    assert "lens" not in text
    link = next(line for line in text.splitlines() if line.startswith("http://mediation.example.org/join/"))
    opened = client.get(link.removeprefix("http://mediation.example.org"), follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/c/{room.id}"
    assert client.get(opened.headers["location"]).status_code == 200
    still = client.get(f"/api/conversations/{room.id}/me", headers={"Authorization": f"Bearer {paula}"})
    assert still.status_code == 200  # the mailed link is a copy: the first one keeps working


def test_a_participant_reading_the_feed_is_not_mailed(
    client: TestClient, smtp: tuple[Controller, Inbox]
) -> None:
    room, paula = _with_paula(client)
    with client.websocket_connect(f"/api/conversations/{room.id}/ws?token={paula}") as socket:
        body = {"client_id": "1", "text": "The lens arrived cracked."}
        client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
        while socket.receive_json().get("kind") != "message":
            pass
        _notifications_done(client, 1)
    assert smtp[1].mails == []


def test_everyone_hears_that_a_party_asked_for_the_mediator_and_only_mediators_read_the_note(
    client: TestClient,
) -> None:
    room = create_room(client)
    with client.websocket_connect(f"/api/conversations/{room.id}/ws?token={room.tokens['John']}") as socket:
        asked = client.post(
            f"/api/conversations/{room.id}/requests", json={"note": "he lies"}, headers=room.auth("Jane")
        )
        assert asked.status_code == 202
        frame = socket.receive_json()
    assert frame["kind"] == "mediator_requested" and frame["payload"]["name"] == "Jane"
    assert "he lies" not in str(frame)
    mediator = client.get(f"/api/conversations/{room.id}/events", headers=room.auth("Mia")).json()
    assert {"request", "mediator_requested"} <= {e["kind"] for e in mediator}
