"""End to end in headless Chromium: the camera dispute with two parties and a mediator in three contexts."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from tests.platform.conftest import ADMIN, ADMIN_KEY, ScriptedModel, make_settings
from tests.platform.test_faults import _free_port

from commonground.platform.app import create_app

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
RUDE = "So you're calling me a liar? You are a scammer and an idiot. I want my money back."

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    app = create_app(make_settings(tmp_path, port=port), model=ScriptedModel())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _links(base: str) -> tuple[str, dict[str, str]]:
    people = [{"name": "John"}, {"name": "Jane"}, {"name": "Mia", "role": "mediator"}]
    with httpx.Client(base_url=base) as http:
        created = http.post(
            "/api/admin/conversations", json={"title": "Used camera", "participants": people}, headers=ADMIN
        ).json()
        links = {i["participant"]["name"]: i["url"] for i in created["invitations"]}
        tokens = {i["participant"]["name"]: i["token"] for i in created["invitations"]}
        cid = created["conversation"]["id"]
        for number, (name, text) in enumerate(
            [
                ("John", "I bought your used camera for 350 dollars and it arrived with a cracked lens."),
                (
                    "Jane",
                    "The camera worked perfectly when I shipped it. I tested it the morning I packed it.",
                ),
            ]
        ):
            http.post(
                f"/api/conversations/{cid}/messages",
                json={"client_id": f"seed{number}", "text": text},
                headers={"Authorization": f"Bearer {tokens[name]}"},
            )
    return cid, links


def test_camera_dispute_in_three_browsers(server: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    cid, links = _links(server)
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        phone = {"viewport": {"width": 390, "height": 760}}
        pages = {name: browser.new_context(**(phone if name != "Mia" else {})).new_page() for name in links}
        for name, page in pages.items():
            page.goto(links[name])
            page.wait_for_selector(".message")
        john, jane, mia = pages["John"], pages["Jane"], pages["Mia"]

        john.fill("#draft", RUDE)
        john.click("#send")
        john.wait_for_selector("#presend:not([hidden])")
        assert "idiot" in john.inner_text("#feedback")
        john.wait_for_selector("#send-suggestion:not([disabled])", timeout=60_000)
        suggestion = john.inner_text("#suggestion")
        assert suggestion and "idiot" not in suggestion
        john.screenshot(path=SHOTS / "party-presend.png", full_page=True)
        john.click("#send-suggestion")
        jane.wait_for_selector(f".message:has-text({suggestion!r})")
        assert "idiot" not in jane.inner_text("#messages")

        mia.wait_for_selector(".badge")
        mia.fill("#instruction", "ask about the packaging")
        mia.click("#draft-intervention")
        mia.wait_for_function("document.getElementById('intervention').value.length > 0", timeout=60_000)
        mia.fill("#intervention", mia.input_value("#intervention") + " Thank you both.")
        mia.screenshot(path=SHOTS / "mediator-panel.png", full_page=True)
        mia.click("#send-intervention")
        jane.wait_for_selector(".message.mediator:has-text('Thank you both.')")
        jane.screenshot(path=SHOTS / "party-live.png", full_page=True)

        admin = browser.new_context().new_page()
        admin.goto(f"{server}/admin?key={ADMIN_KEY}")
        admin.wait_for_selector("#conversations li")
        admin.screenshot(path=SHOTS / "admin-home.png", full_page=True)
        admin.goto(f"{server}/admin/c/{cid}")
        admin.wait_for_selector("#audit tr td")
        admin.screenshot(path=SHOTS / "admin-conversation.png", full_page=True)
        browser.close()
