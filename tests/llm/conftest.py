"""Fixtures starting real HTTP peers on loopback for the `openai` backend tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.llm.servers import FaultyServer, serve_faulty


@pytest.fixture
def faulty_server() -> Iterator[FaultyServer]:
    with serve_faulty() as server:
        yield server
