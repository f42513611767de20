"""Fixtures of the page tests: one headless Chromium per module, the platform with the scripted model, the
camera dispute on it, and each test on a phone and a desktop viewport."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.platform.browser import ARGS, CHROMIUM, VIEWPORTS, Dispute, Served, dispute, serve
from tests.platform.conftest import ScriptedModel


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"no {CHROMIUM}: run `apt-get install -y chromium` (make system-packages)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The platform with the scripted model and its worker."""
    with serve(tmp_path, ScriptedModel()) as running:
        yield running


@pytest.fixture
def camera(served: Served) -> Dispute:
    """The camera dispute on `served`, with its first two messages."""
    return dispute(served.base)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param
