"""Pages that cannot be shown say so in words, in the reader's language (no JSON, no exception, no pydantic
path), on a phone and a desktop viewport; a model that is down gives the mediator a plain sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import text
from tests.platform.browser import Dispute, Served, dispute, joined, open_page, overflow, serve, shot
from tests.platform.services import free_port


def test_pages_that_cannot_open_say_so_in_words(
    served: Served, camera: Dispute, browser: Any, viewport: str
) -> None:
    cases = {
        f"/c/{camera.id}": (401, "This link cannot be used"),
        "/join/not-a-real-token": (403, "This link is not valid"),
        "/nowhere": (404, "Page not found"),
        f"/c/{camera.id}/nowhere": (404, "Page not found"),
    }
    for path, (status, title) in cases.items():
        page = open_page(browser, served.base + path, viewport)
        expect(page.locator("#trouble")).to_have_attribute("data-status", str(status))
        expect(page.locator("h1")).to_have_text(title)
        assert "{" not in page.inner_text("body") and "detail" not in page.inner_text("body")
        assert overflow(page) == 0
        shot(page, f"error-{status}-{viewport}")
        page.context.close()
    french = open_page(browser, served.base + "/nowhere", viewport, locale="fr-FR")
    expect(french.locator("h1")).to_have_text("Page introuvable")
    with served.app.state.platform.engine.begin() as db:  # the database loses a table
        db.execute(text("ALTER TABLE participants RENAME TO participants_lost"))
    broken = open_page(browser, camera.links["John"], viewport)
    expect(broken.locator("#trouble")).to_have_attribute("data-status", "500")
    expect(broken.locator("h1")).to_have_text("Something went wrong")
    shot(broken, f"error-500-{viewport}")


def test_a_failed_model_call_is_a_plain_sentence_not_kept_after_reload(
    tmp_path: Path, browser: Any, viewport: str
) -> None:
    dead = {
        "backend": "openai",
        "base_url": f"http://127.0.0.1:{free_port()}/v1",
        "model": "x",
        "max_retries": 0,
    }
    with serve(tmp_path, None, llm=dead) as served:
        room = dispute(served.base)
        mia = joined(browser, room.links["Mia"], viewport)
        mia.click("#draft-intervention")
        status = mia.locator("#draft-status")
        expect(status).to_have_text(
            "The draft could not be written right now. Try again in a moment.", timeout=60_000
        )
        shot(mia, f"mediator-model-down-{viewport}")
        mia.reload()
        mia.wait_for_selector("#messages .message")
        expect(mia.locator("#trend circle")).to_have_count(2, timeout=20_000)
        expect(status).to_have_text("")
        assert "Error" not in mia.inner_text("body") and "setting" not in mia.inner_text("body")
