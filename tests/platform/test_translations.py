"""The multilingual view: each participant picks a language; others' messages in another language come
translated (cached per message and language, off the request path), never from a private original."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room, ScriptedModel, create_room, wait_for
from tests.platform.services import free_port

from commonground.core.settings import Settings
from commonground.llm.types import Chunk, Prompt
from commonground.platform.app import create_app
from commonground.platform.translations import message_language

RUDE = "You are a scammer and an idiot. I want my money back."
CALM = "I am upset, and I want my money back."
CALM_FR = "Je suis contrarié et je veux être remboursé."
BOTH = ("en", "fr")
BOTH_DATABASES = pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)


class TranslatingModel(ScriptedModel):
    """The scripted model, which also translates the calm rephrasing into French; keeps every prompt."""

    ANSWERS: ClassVar = ScriptedModel.ANSWERS | {"translate": {"translation": CALM_FR}}

    def __init__(self) -> None:
        super().__init__()
        self.prompts: list[Prompt] = []

    def _generate(self, prompt: Prompt, *, stream: bool) -> Iterator[Chunk]:
        self.prompts.append(prompt)
        return super()._generate(prompt, stream=stream)


@pytest.fixture
def model() -> TranslatingModel:
    return TranslatingModel()


@pytest.fixture
def client(settings: Settings, model: TranslatingModel) -> Iterator[TestClient]:
    with TestClient(create_app(settings, model=model)) as test_client:
        yield test_client


def _get(client: TestClient, room: Room, name: str, path: str) -> list[dict]:
    response = client.get(f"/api/conversations/{room.id}{path}", headers=room.auth(name))
    assert response.status_code == 200, response.text
    return response.json()


def _pick(client: TestClient, room: Room, name: str, lang: str) -> dict:
    response = client.put(f"/api/conversations/{room.id}/me", json={"lang": lang}, headers=room.auth(name))
    assert response.status_code == 200, response.text
    return response.json()


def _post(client: TestClient, room: Room, name: str, text: str, **choice: str) -> dict:
    body = {"client_id": f"{name}-{len(text)}", "text": text} | choice
    response = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth(name))
    assert response.status_code == 201, response.text
    return response.json()


def _translations_done(client: TestClient, room: Room, name: str, timeout: float = 120) -> list[dict]:
    """The reader's translations once none is pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _get(client, room, name, "/translations")
        if found and all(t["status"] != "pending" for t in found):
            return found
        time.sleep(0.2)
    raise AssertionError(f"translations for {name} still pending after {timeout} s")


def _translate_calls(client: TestClient, room: Room) -> int:
    usage = client.get("/api/admin/usage", params={"conversation_id": room.id}, headers=ADMIN).json()
    return sum(line["calls"] for line in usage["lines"] if line["task"] == "translate")


def test_message_language_is_detected_and_a_short_text_counts_as_the_author_s() -> None:
    assert message_language("Bonjour, je voudrais être remboursé pour cet appareil cassé.", "en") == "fr"
    assert message_language("I paid 350 dollars and the lens arrived cracked.", "fr") == "en"
    assert message_language("Merci, à demain.", "en") == "en"  # too short to tell
    assert message_language("OK merci", "fr") == "fr"
    assert message_language("350 $ !!!", "de") == "de"


def test_language_picker_persists_and_offers_only_the_conversation_s_languages(client: TestClient) -> None:
    room = create_room(client, languages=BOTH)
    assert _pick(client, room, "Jane", "fr-FR")["lang"] == "fr"
    assert client.get(f"/api/conversations/{room.id}/me", headers=room.auth("Jane")).json()["lang"] == "fr"
    people = client.get(f"/api/conversations/{room.id}", headers=room.auth("Olga")).json()["participants"]
    assert {p["name"]: p["lang"] for p in people}["Jane"] == "fr"
    refused = client.put(f"/api/conversations/{room.id}/me", json={"lang": "de"}, headers=room.auth("Jane"))
    assert refused.status_code == 422
    assert refused.json()["detail"] == "lang: 'de' is not one of this conversation's languages (en, fr)"
    assert client.put(f"/api/conversations/{room.id}/me", json={"lang": "fr"}).status_code == 401
    page = client.get(f"/c/{room.id}", headers=room.auth("Jane")).text
    assert '<select id="lang">' in page and '<option value="fr" selected>' in page


def test_a_reader_gets_the_public_text_translated_never_a_private_original(
    client: TestClient, model: TranslatingModel
) -> None:
    room = create_room(client, languages=BOTH)
    _pick(client, room, "Jane", "fr")
    check = client.post(f"/api/conversations/{room.id}/check", json={"text": RUDE}, headers=room.auth("John"))
    suggestion = wait_for(client, room, "John", check.json()["suggestion"]["id"])
    sent = _post(client, room, "John", CALM, choice="edited", suggestion_id=suggestion["id"])
    assert sent["original"] == RUDE and sent["lang"] == "en"

    [translation] = _translations_done(client, room, "Jane")
    assert translation["message_id"] == sent["id"] and translation["lang"] == "fr"
    assert translation["status"] == "translated" and translation["text"] == CALM_FR
    assert translation["verdict"] == "translated" and set(translation["checked"]) == {
        "language",
        "figures_kept",
    }
    assert "meaning was not checked" in translation["verdict_text"] and "fidelity" not in translation
    events = _get(client, room, "Jane", "/events")
    assert [e["payload"] for e in events if e["kind"] == "translation"] == [translation]
    assert "idiot" not in json.dumps(events) + json.dumps(_get(client, room, "Jane", "/translations"))
    translated = [p.messages[-1].content for p in model.prompts if p.template == "translate"]
    assert translated and all(CALM in text and "idiot" not in text for text in translated)
    assert not [e for e in _get(client, room, "John", "/events") if e["kind"] == "translation"]
    assert _get(client, room, "Mia", "/translations") == []  # the message is in Mia's language


@BOTH_DATABASES
def test_backend_down_message_delivered_and_translation_unavailable(settings: Settings) -> None:
    down = {"backend": "openai", "base_url": f"http://127.0.0.1:{free_port()}/v1", "model": "x"}
    llm = settings.llm.model_copy(update=down | {"max_retries": 0, "timeout_s": 2})
    with TestClient(create_app(settings.model_copy(update={"llm": llm}))) as client:
        room = create_room(client, languages=BOTH)
        _pick(client, room, "Jane", "fr")
        sent = _post(client, room, "John", "The lens arrived cracked, and I want a refund.")
        assert [m["id"] for m in _get(client, room, "Jane", "/messages")] == [sent["id"]]
        [translation] = _translations_done(client, room, "Jane")
        assert translation["status"] == "unavailable" and translation["text"] is None
        assert translation["reason"] == "The language model did not answer; try again."
        assert translation["verdict"] == "unavailable"
        assert _get(client, room, "Jane", "/translations") == [translation]  # not retried at once


def test_translation_cached_per_message_and_language(client: TestClient) -> None:
    room = create_room(client, languages=BOTH)
    _pick(client, room, "Jane", "fr")
    _post(client, room, "John", CALM)
    [first] = _translations_done(client, room, "Jane")
    assert first["status"] == "translated" and _translate_calls(client, room) == 1
    _pick(client, room, "Olga", "fr")
    assert _get(client, room, "Olga", "/translations") == [first]
    assert _get(client, room, "Jane", "/translations") == [first]
    assert _translate_calls(client, room) == 1
