"""Fixtures for the task tests: the example disputes and a model that always times out."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.conversation import Conversation
from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.llm.local import LocalModel

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
