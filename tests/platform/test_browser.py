"""End to end in headless Chromium: the camera dispute with two parties and a mediator in three contexts;
a French-speaking party reading it translated by the default model."""

from __future__ import annotations

import contextlib
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

from commonground.llm.base import Model
from commonground.llm.local import LocalModel
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


@contextlib.contextmanager
def _serve(tmp_path: Path, model: Model) -> Iterator[str]:
    """The platform with `model` under uvicorn on a free loopback port; its base URL."""
    port = _free_port()
    app = create_app(make_settings(tmp_path, port=port), model=model)
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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with _serve(tmp_path, ScriptedModel()) as base:
        yield base


def _links(base: str, languages: tuple[str, ...] = ("en",)) -> tuple[str, dict[str, str]]:
    people = [{"name": "John"}, {"name": "Jane"}, {"name": "Mia", "role": "mediator"}]
    body = {"title": "Used camera", "participants": people, "languages": list(languages)}
    with httpx.Client(base_url=base) as http:
        created = http.post("/api/admin/conversations", json=body, headers=ADMIN).json()
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


def test_french_reader_sees_english_translated_with_the_original_a_click_away(
    tmp_path: Path, default_model: LocalModel
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with _serve(tmp_path, default_model) as base, playwright.sync_playwright() as driver:
        _, links = _links(base, languages=("en", "fr"))
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        jane = browser.new_context(viewport={"width": 390, "height": 760}).new_page()
        jane.goto(links["Jane"])
        john_said = "I bought your used camera for 350 dollars and it arrived with a cracked lens."
        message = jane.locator("#" + jane.locator(f".message:has-text({john_said!r})").get_attribute("id"))
        jane.select_option("#lang", "fr")
        note = message.locator(".translation")
        note.locator(".toggle").or_(message.locator(".translation.unavailable")).wait_for(timeout=180_000)
        playwright.expect(note).to_contain_text("translated from English")
        translated = message.locator(".text").inner_text()
        assert translated != john_said and "350" in translated
        jane.screenshot(path=SHOTS / "party-translated.png", full_page=True)
        note.locator(".toggle").click()
        playwright.expect(message.locator(".text")).to_have_text(john_said)
        playwright.expect(note.locator(".toggle")).to_have_text("show translation")
        jane.screenshot(path=SHOTS / "party-translation-original.png", full_page=True)
        jane.reload()  # from the cache this time
        playwright.expect(message.locator(".text")).to_have_text(translated)
        browser.close()
