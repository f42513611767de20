"""axe-core (vendored from npm, injected by Playwright) finds no serious or critical violation on the chat
of a party and of a mediator (in English and French), the administrator's pages and an error page."""

from __future__ import annotations

from typing import Any

from tests.platform.browser import Dispute, Served, joined, open_page, send, serious_violations, shot
from tests.platform.conftest import ADMIN_KEY


def test_chat_pages_have_no_serious_accessibility_violation(
    camera: Dispute, browser: Any, viewport: str
) -> None:
    john, mia = (
        joined(browser, camera.links["John"], viewport),
        joined(browser, camera.links["Mia"], viewport),
    )
    send(john, "You are an idiot and a scammer.")
    john.wait_for_selector("#presend:not([hidden])")
    mia.wait_for_selector("#trend circle")
    assert serious_violations(john) == []
    assert serious_violations(mia) == []


def test_admin_and_error_pages_have_no_serious_accessibility_violation(
    served: Served, camera: Dispute, browser: Any, viewport: str
) -> None:
    admin = open_page(browser, f"{served.base}/admin?key={ADMIN_KEY}", viewport)
    admin.wait_for_selector("#conversations li")
    assert serious_violations(admin) == []
    admin.goto(f"{served.base}/admin/c/{camera.id}")
    admin.wait_for_selector("#audit tr")
    assert serious_violations(admin) == []
    shot(admin, f"admin-conversation-{viewport}")
    trouble = open_page(browser, f"{served.base}/c/{camera.id}", viewport)
    assert serious_violations(trouble) == []
