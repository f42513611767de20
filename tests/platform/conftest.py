"""A real platform on a temporary SQLite or PostgreSQL database; a scripted model answers model calls."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.platform.services import PostgresServer, RedisServer

from commonground.core.errors import ModelResponseError
from commonground.core.settings import Settings, load_settings
from commonground.llm.base import Model
from commonground.llm.types import Chunk, Prompt, Usage
from commonground.platform.app import create_app

ADMIN_KEY = "test-admin-key"
ADMIN = {"X-Admin-Key": ADMIN_KEY}


def make_settings(data_dir: Path, *, llm: dict[str, Any] | None = None, **platform: Any) -> Settings:
    """Settings for a test platform in `data_dir`; `llm` and `platform` override those settings."""
    return load_settings(
        data_dir=data_dir,
        llm={"model": "smollm2-135m", "n_ctx": 2048} | (llm or {}),
        platform={"admin_key": ADMIN_KEY, "rate_limit_per_minute": 1000, "worker_poll_s": 0.2} | platform,
    )


@dataclass
class Room:
    """A created conversation and the tokens of its people."""

    id: str
    tokens: dict[str, str]
    ids: dict[str, str]

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


PEOPLE = [
    {"name": "John", "role": "party"},
    {"name": "Jane", "role": "party"},
    {"name": "Mia", "role": "mediator"},
    {"name": "Olga", "role": "observer"},
]


def create_room(
    client: httpx.Client,
    *,
    policy: dict[str, Any] | None = None,
    title: str = "Camera",
    languages: tuple[str, ...] = ("en",),
) -> Room:
    body: dict[str, Any] = {
        "kind": "dispute",
        "title": title,
        "languages": list(languages),
        "participants": PEOPLE,
    }
    if policy is not None:
        body["policy"] = policy
    response = client.post("/api/admin/conversations", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    data = response.json()
    invitations = {i["participant"]["name"]: i for i in data["invitations"]}
    return Room(
        id=data["conversation"]["id"],
        tokens={name: i["token"] for name, i in invitations.items()},
        ids={name: i["participant"]["id"] for name, i in invitations.items()},
    )


def wait_for(client: httpx.Client, room: Room, name: str, suggestion_id: str, timeout: float = 60) -> dict:
    """Poll a suggestion until the worker has filled it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(
            f"/api/conversations/{room.id}/suggestions/{suggestion_id}", headers=room.auth(name)
        )
        assert response.status_code == 200, response.text
        if response.json()["status"] != "pending":
            return response.json()
        time.sleep(0.2)
    raise AssertionError(f"suggestion {suggestion_id} still pending after {timeout} s")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session, stopped and removed afterwards."""
    server = PostgresServer()
    try:
        server.init()
        server.start()
        yield server
        server.stop("immediate")
    finally:
        server.remove()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real Redis server for the whole session."""
    server = RedisServer()
    yield server
    server.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that goes through `client` runs on SQLite and on PostgreSQL."""
    if "client" in metafunc.fixturenames:
        metafunc.parametrize("database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """The kind of database under test: SQLite unless parametrized."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def settings(database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a fresh database: a SQLite file, or a new database on the PostgreSQL server."""
    if database == "sqlite":
        return make_settings(tmp_path)
    return make_settings(tmp_path, database_url=request.getfixturevalue("postgres").new_database())


class ScriptedModel(Model):
    """Answers each task's prompt with a fixed, plausible output at once; fails on any other prompt."""

    backend = "scripted"
    ANSWERS: ClassVar[dict[str, dict[str, Any]]] = {
        "rephrase": {"rephrased": "I am upset, and I want my money back."},
        "draft": {
            "acknowledge": "John and Jane, I hear that this matters to both of you.",
            "question": "Could each of you share photos of the packaging?",
            "option": "One option is to file a claim with the post office together.",
        },
        "summarize": {
            "statements": [
                {"kind": "position", "party": "John", "text": "John wants a full refund.", "cites": ["1"]},
            ]
        },
    }

    def __init__(self) -> None:
        super().__init__(name="scripted", timeout_s=10, max_concurrency=4)

    def _generate(self, prompt: Prompt, *, stream: bool) -> Iterator[Chunk]:
        answer = self.ANSWERS.get("draft" if prompt.template == "intervene" else prompt.template)
        if answer is None:
            raise ModelResponseError(f"scripted model has no answer for template {prompt.template!r}")
        yield Chunk(json.dumps(answer), usage=Usage(prompt_tokens=100, completion_tokens=20))


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, model=ScriptedModel())) as test_client:
        yield test_client


@pytest.fixture
def room(client: TestClient) -> Room:
    return create_room(client)
