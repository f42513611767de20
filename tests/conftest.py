"""Shared fixtures: real embedded models, loaded once per test session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.llm.servers import LlamaServer, start_llama_server

from commonground.core.settings import Settings, load_settings
from commonground.llm import MemoryRecorder
from commonground.llm.embedded import EMBEDDED, SMOLLM2_135M
from commonground.llm.local import LocalModel

TEST_DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def test_data() -> Path:
    """Small attributed samples of the development data sets, in their layout (tests/data/README.md)."""
    return TEST_DATA


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with a private data directory; the model cache stays shared so models assemble once."""
    monkeypatch.delenv("COMMONGROUND_CONFIG", raising=False)
    monkeypatch.setenv("COMMONGROUND_DATA_DIR", str(tmp_path / "data"))
    return load_settings()


@pytest.fixture(scope="session")
def small_model_path() -> Path:
    return SMOLLM2_135M.path(Path("/nonexistent"))


@pytest.fixture(scope="session")
def llama_server(small_model_path: Path) -> Iterator[LlamaServer]:
    """llama.cpp's OpenAI-compatible server on loopback, serving the small model (the `openai` backend)."""
    server = start_llama_server(small_model_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def small_model(small_model_path: Path) -> LocalModel:
    """SmolLM2-135M: fast and weak; for testing the interface, not output quality."""
    return LocalModel(small_model_path, name=SMOLLM2_135M.name, n_ctx=2048, timeout_s=120)


@pytest.fixture(scope="session")
def default_model() -> LocalModel:
    """The embedded default model (Qwen2.5-Coder-1.5B): for tests of task quality."""
    embedded = EMBEDDED["qwen2.5-coder-1.5b"]
    path = embedded.path(load_settings().cache_dir)
    return LocalModel(path, name=embedded.name, n_ctx=4096, timeout_s=300)


@pytest.fixture
def recorder() -> MemoryRecorder:
    return MemoryRecorder()


def pytest_configure(config: pytest.Config) -> None:
    """CPython before 3.11.8 can crash pytest's long tracebacks ("AST constructor recursion depth mismatch",
    CPython gh-106905), ending the whole run while it reports one failure; native tracebacks avoid it."""
    if sys.version_info[:3] < (3, 11, 8) and config.option.tbstyle == "auto":
        config.option.tbstyle = "native"
