"""Fixtures for the task tests: the example disputes and models that really fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.conversation import Conversation
from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel

DISPUTES = ("camera", "leak", "snow", "loan", "seeds")


@pytest.fixture(scope="session")
def disputes() -> dict[str, Conversation]:
    return {name: read_transcript(EXAMPLES_DIR / f"{name}.jsonl") for name in DISPUTES}


@pytest.fixture(scope="session")
def camera(disputes: dict[str, Conversation]) -> Conversation:
    return disputes["camera"]


@pytest.fixture(scope="session")
def timing_out_model(small_model_path: Path) -> LocalModel:
    """A real model whose time limit is too short for any answer: every call raises ModelTimeout."""
    return LocalModel(small_model_path, name="smollm2-135m", n_ctx=2048, timeout_s=0.001)


@pytest.fixture(scope="session")
def unreachable_model() -> OpenAIModel:
    """An endpoint nobody listens on (loopback port 9): every call raises ModelUnavailable at once."""
    return OpenAIModel(model="none", base_url="http://127.0.0.1:9/v1", timeout_s=2, max_retries=0)
