"""Helpers of the browser tests: the platform under uvicorn on loopback, Debian's Chromium through
Playwright, screenshots kept under artifacts/, axe-core's accessibility audit, and a page-width check."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from tests.platform.conftest import ADMIN, make_settings
from tests.platform.services import free_port

from commonground.llm.base import Model
from commonground.platform.app import create_app

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
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SEED = [
    ("John", "I bought your used camera for 350 dollars and it arrived with a cracked lens."),
    ("Jane", "The camera worked perfectly when I shipped it. I tested it the morning I packed it."),
]


@dataclass
class Served:
    base: str
    app: FastAPI


@contextlib.contextmanager
def serve(
    tmp_path: Path,
    model: Model | None,
    *,
    worker: bool = True,
    llm: dict[str, Any] | None = None,
    **platform: Any,
) -> Iterator[Served]:
    """The platform with `model` (or the one `llm` configures) under uvicorn on a free loopback port."""
    port = free_port()
    settings = make_settings(tmp_path, llm=llm, port=port, **platform)
    app = create_app(settings, model=model, worker=worker)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", app)
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@dataclass
class Dispute:
    id: str
    links: dict[str, str]
    tokens: dict[str, str]
    ids: dict[str, str]


def dispute(
    base: str, *, languages: tuple[str, ...] = ("en",), langs: dict[str, str] | None = None, seed: bool = True
) -> Dispute:
    """The camera dispute (John, Jane, mediator Mia), with its first two messages unless `seed` is off."""
    langs = langs or {}
    people = [
        {"name": "John", "lang": langs.get("John", "en")},
        {"name": "Jane", "lang": langs.get("Jane", "en")},
        {"name": "Mia", "role": "mediator", "lang": langs.get("Mia", "en")},
    ]
    body = {"title": "Used camera", "participants": people, "languages": list(languages)}
    with httpx.Client(base_url=base) as http:
        created = http.post("/api/admin/conversations", json=body, headers=ADMIN).json()
        invitations = {i["participant"]["name"]: i for i in created["invitations"]}
        found = Dispute(
            id=created["conversation"]["id"],
            links={name: i["url"] for name, i in invitations.items()},
            tokens={name: i["token"] for name, i in invitations.items()},
            ids={name: i["participant"]["id"] for name, i in invitations.items()},
        )
        for number, (name, text) in enumerate(SEED if seed else []):
            http.post(
                f"/api/conversations/{found.id}/messages",
                json={"client_id": f"seed{number}", "text": text},
                headers={"Authorization": f"Bearer {found.tokens[name]}"},
            )
    return found


def shot(page: Any, name: str) -> None:
    """Keep a full-page screenshot under artifacts/screenshots."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def overflow(page: Any) -> int:
    """How many pixels the page is wider than its viewport (0 when nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter((v) => ["serious", "critical"].includes(v.impact))
            .map((v) => `${v.impact} ${v.id}: ${v.help} @ ${v.nodes.map((n) => n.target.join(" "))}`)"""
    )
    return list(found)


def open_page(browser: Any, url: str, viewport: str = "desktop", **options: Any) -> Any:
    page = browser.new_context(viewport=VIEWPORTS[viewport], **options).new_page()
    page.goto(url)
    return page


def joined(browser: Any, url: str, viewport: str = "desktop") -> Any:
    """A participant's chat page once its feed has arrived."""
    page = open_page(browser, url, viewport)
    page.wait_for_selector("#messages .message")
    return page


def send(page: Any, message: str) -> None:
    """Type a message and press Enter, as a person would."""
    page.locator("#draft").fill(message)
    page.locator("#draft").press("Enter")
