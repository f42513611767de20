"""Fuzzing every endpoint on a real server on loopback: bodies, query, path and headers, valid or not.

Never a server error, never a dropped connection: every refusal is a 4xx with a one-line JSON `detail`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from tests.platform.conftest import ADMIN_KEY, Room, ScriptedModel, create_room, make_settings
from tests.platform.services import serve_in_thread

from commonground.platform.app import create_app

EXAMPLES = 300
LATIN_1 = st.from_regex(r"[!-~\xa1-\xff][ -~\xa1-\xff]{0,39}", fullmatch=True)
"""Header values a client can send: Latin-1, no leading space."""
SURROGATE_BODIES = (
    b'{"text": "\\ud800"}',
    b'{"client_id": "a", "text": "\\udfff"}',
    b'{"comment": {"text": "\\ud83d"}, "requestedAttributes": {"TOXICITY": {}}}',
    b'{"title": "\\ud800", "participants": [{"name": "\\udc00"}]}',
    b'{"text": "ok\\ud800ok", "note": "\\ud800", "lang": "\\ud800", "instruction": "\\ud800"}',
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Room]]:
    """A platform under uvicorn on loopback, with one conversation to aim at."""
    settings_ = make_settings(tmp_path_factory.mktemp("fuzz"), rate_limit_per_minute=1_000_000)
    app = create_app(settings_, model=ScriptedModel(), worker=False)
    with serve_in_thread(app) as base, TestClient(app, base_url=base) as client:
        yield base, create_room(client)


def _clear_refusal(status: int, body: bytes, what: str) -> None:
    """Below 500, and a refusal says why in a one-line JSON `detail`."""
    assert status < 500, f"{what}: {status} {body[:300]!r}"
    if status >= 400:
        detail = json.loads(body).get("detail")
        assert isinstance(detail, str) and detail, f"{what}: {status} without a detail"


CALLERS = st.sampled_from(["Mia", "John", "Olga", "admin", "nobody", "forged"])
NOISE = st.dictionaries(
    st.sampled_from(["authorization", "cookie", "x-admin-key", "accept", "content-type", "x-forwarded-for"]),
    LATIN_1,
    max_size=2,
)


def _headers(room: Room, caller: str) -> dict[str, str]:
    if caller in room.tokens:
        return room.auth(caller)
    if caller == "admin":
        return {"x-admin-key": ADMIN_KEY}
    return (
        {"Authorization": "Bearer forged.token.value", "x-admin-key": "wrong"} if caller == "forged" else {}
    )


def test_no_endpoint_answers_a_server_error(server: tuple[str, Room]) -> None:
    """Cases from the OpenAPI schema, valid and invalid, from callers of every kind, with noisy headers."""
    base, room = server
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    cases = schema.as_strategy(GenerationMode.POSITIVE) | schema.as_strategy(GenerationMode.NEGATIVE)

    @given(case=cases, caller=CALLERS, aimed=st.booleans(), noise=NOISE)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def one(case: schemathesis.Case, caller: str, aimed: bool, noise: dict[str, str]) -> None:
        if aimed and "conversation_id" in (case.path_parameters or {}):
            case.path_parameters["conversation_id"] = room.id
        response = case.call(base_url=base, headers=_headers(room, caller) | noise, timeout=30)
        _clear_refusal(response.status_code, response.content, f"{case.method} {case.formatted_path}")

    one()


def _json_operations(tmp_path: Path) -> list[tuple[str, str]]:
    schema = create_app(make_settings(tmp_path), worker=False).openapi()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]


JSON_TEXT = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=8,
).map(json.dumps)
RAW_BODIES = (
    st.sampled_from(SURROGATE_BODIES)
    | st.binary(max_size=120)
    | JSON_TEXT.map(lambda text: text.encode())
    | st.sampled_from([b"", b"{", b"[]", b"null", b'{"text": 1e999}', b'{"text": "a\\u0000b"}', b"\xff\xfe"])
)


def test_raw_bodies_never_break_an_endpoint(server: tuple[str, Room], tmp_path: Path) -> None:
    """Lone surrogates, broken JSON, non-UTF-8 bytes, NaN-ish numbers into every endpoint with a body."""
    base, room = server
    operations = _json_operations(tmp_path)
    with httpx.Client(base_url=base, timeout=30) as http:

        @given(index=st.integers(0, len(operations) - 1), body=RAW_BODIES, caller=CALLERS)
        @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def one(index: int, body: bytes, caller: str) -> None:
            method, path = operations[index]
            url = (
                path.replace("{conversation_id}", room.id)
                .replace("{batch_id}", "b")
                .replace("{item_id}", "i")
            )
            headers = {"content-type": "application/json"} | _headers(room, caller)
            response = http.request(method, url, content=body, headers=headers)
            _clear_refusal(response.status_code, response.content, f"{method} {path} {body!r}")

        one()


@pytest.mark.parametrize("endpoint", ["messages", "check"])
def test_lone_surrogate_is_a_clear_422(server: tuple[str, Room], endpoint: str) -> None:
    base, room = server
    body = b'{"client_id": "s", "text": "\\ud800"}'
    headers = room.auth("John") | {"content-type": "application/json"}
    response = httpx.post(f"{base}/api/conversations/{room.id}/{endpoint}", content=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "text"]
    assert "unicode" in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ["messages", "translations", "events"])
def test_a_cursor_past_any_stored_number_is_a_clear_422(server: tuple[str, Room], endpoint: str) -> None:
    base, room = server
    url = f"{base}/api/conversations/{room.id}/{endpoint}"
    response = httpx.get(url, params={"after": 2**63}, headers=room.auth("John"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "after"]
    assert httpx.get(url, params={"after": 2**63 - 1}, headers=room.auth("John")).json() == []
