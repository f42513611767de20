"""`commonground serve --demo`: the camera dispute is seeded once; every run prints links that work."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from commonground.platform.db.models import ConversationRow, MessageRow
from commonground.platform.demo import DEMO_TITLE, SEEDED_MESSAGES, seed_demo


def test_demo_is_seeded_once_and_its_links_open(client: TestClient) -> None:
    platform = client.app.state.platform  # type: ignore[attr-defined]
    first, second = seed_demo(platform), seed_demo(platform)
    assert set(first) == set(second) == {"John", "Jane", "Mediator", "Administrator"}
    with platform.session() as session:
        titles = session.scalars(select(ConversationRow.title)).all()
        assert titles == [DEMO_TITLE]
        assert session.scalar(select(func.count()).select_from(MessageRow)) == SEEDED_MESSAGES
    for name in ("John", "Mediator"):
        page = client.get(urlsplit(second[name]).path)
        assert page.status_code == 200 and "Used camera" in page.text
        assert '<select id="lang">' in page.text  # English or French
