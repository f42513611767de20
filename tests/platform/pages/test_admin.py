"""The administrator's pages in headless Chromium, on a phone and a desktop viewport: a form error is a
sentence (never a pydantic path), people are added and re-invited (and removed where the API can), and
their links open the chat."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from tests.platform.browser import Dispute, Served, open_page, shot
from tests.platform.conftest import ADMIN_KEY

ROLES = "party, mediator, administrator, observer"


def test_the_new_conversation_form_explains_what_is_wrong(
    served: Served, browser: Any, viewport: str
) -> None:
    admin = open_page(browser, f"{served.base}/admin?key={ADMIN_KEY}", viewport)
    admin.fill("textarea[name=people]", "John, party, en\nZoe, judge, en")
    admin.click("#create button[type=submit]")
    error = admin.locator("#create-error")
    expect(error).to_have_text(f"Line 2: the role must be one of: {ROLES}.")
    admin.fill("textarea[name=people]", "John, party, english")
    admin.click("#create button[type=submit]")
    expect(error).to_have_text("Line 1: the language must be a code such as en, fr, de or es.")
    admin.fill("input[name=title]", "   ")
    admin.fill("textarea[name=people]", "John, party, en")
    admin.click("#create button[type=submit]")
    expect(error).to_have_text("Some fields are not valid: Title.")  # the server's 422, in words
    shot(admin, f"admin-form-error-{viewport}")
    admin.fill("input[name=title]", "Noisy neighbours")
    admin.click("#create button[type=submit]")
    expect(admin.locator("#links li")).to_have_count(1)
    expect(error).to_be_hidden()
    expect(admin.locator("#conversations")).to_contain_text("Noisy neighbours")


def test_the_administrator_adds_reinvites_and_removes_people(
    served: Served, camera: Dispute, browser: Any, viewport: str
) -> None:
    admin = open_page(browser, f"{served.base}/admin?key={ADMIN_KEY}", viewport)
    admin.goto(f"{served.base}/admin/c/{camera.id}")
    admin.wait_for_selector("#audit tr")
    admin.click("#add-person button[type=submit]")
    expect(admin.locator("#add-error")).to_have_text("The name must be between 1 and 80 characters.")
    admin.fill("#add-person input[name=name]", "Paul")
    admin.select_option("#add-person select[name=role]", "observer")
    admin.click("#add-person button[type=submit]")
    paul = admin.locator("#people li", has_text="Paul")
    expect(paul.locator(".person")).to_have_text("Paul · observer · en")
    paul_link = paul.locator(".link").inner_text()
    john = admin.locator(f"#person-{camera.ids['John']}")
    john.locator(".reissue").click()
    expect(john.locator(".link")).to_contain_text("/join/")
    john_link = john.locator(".link").inner_text()
    assert john_link != camera.links["John"]
    shot(admin, f"admin-people-{viewport}")
    for link, who in ((paul_link, "Paul · observer"), (john_link, "John · party")):
        page = open_page(browser, link, viewport)
        expect(page.locator(".who")).to_have_text(who)
        page.context.close()
    remove = john.locator(".remove")
    if admin_can_remove(served):
        remove.click()
        expect(john).to_have_text("Removed.")
    else:  # this server's API cannot remove people: the page offers no button that would fail
        expect(remove).to_have_count(0)


def admin_can_remove(served: Served) -> bool:
    path = "/api/admin/conversations/{conversation_id}/participants/{participant_id}"
    return any(
        getattr(r, "path", "") == path and "DELETE" in getattr(r, "methods", ()) for r in served.app.routes
    )
