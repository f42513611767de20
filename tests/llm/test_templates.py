"""Prompt templates: versioned files rendered into prompts that remember where they came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.errors import ConfigError
from commonground.examples import EXAMPLES_DIR
from commonground.llm.templates import PromptTemplate


def test_render_carries_name_version_and_options() -> None:
    prompt = PromptTemplate.load(EXAMPLES_DIR / "demo_mediator.toml").render(
        transcript='A: {"json": "stays"}'
    )
    assert (prompt.template, prompt.template_version, prompt.max_tokens) == ("demo-mediator", "1", 160)
    assert [m.role for m in prompt.messages] == ["system", "user"]
    assert 'A: {"json": "stays"}' in prompt.messages[1].content


def test_missing_value_is_an_error() -> None:
    with pytest.raises(ConfigError, match="needs a value for 'transcript'"):
        PromptTemplate.load(EXAMPLES_DIR / "demo_mediator.toml").render()


def test_unreadable_template(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('name = "t"\n')
    with pytest.raises(ConfigError, match="unreadable"):
        PromptTemplate.load(path)
