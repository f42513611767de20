"""The `local` backend with the real small embedded model."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from commonground.core.errors import ContextOverflow, ModelTimeout, ModelUnavailable, StructuredOutputError
from commonground.llm import MemoryRecorder, Prompt
from commonground.llm.local import LocalModel


class Verdict(BaseModel):
    answer: Literal["yes", "no"]
    confidence: int = Field(ge=0, le=100)


class Impossible(BaseModel):
    """Satisfiable by the grammar, never by validation: the repair attempt must fail too."""

    code: str = Field(pattern=r"^NEVER-[0-9]{40}$")


def test_complete_records_exact_usage(small_model: LocalModel, monkeypatch: pytest.MonkeyPatch) -> None:
    records = MemoryRecorder()
    monkeypatch.setattr(small_model, "recorder", records)
    completion = small_model.complete(Prompt.of("Say hi", max_tokens=10))
    reference = small_model.llama.create_chat_completion(
        messages=[{"role": "user", "content": "Say hi"}], max_tokens=10, temperature=0.0
    )
    assert completion.text == reference["choices"][0]["message"]["content"]
    record = records.records[0]
    assert (record.prompt_tokens, record.completion_tokens) == (
        reference["usage"]["prompt_tokens"],
        reference["usage"]["completion_tokens"],
    )
    assert record.backend == "local" and record.outcome == "ok"
    assert record.first_token_s is not None and record.first_token_s <= record.latency_s


def test_stream_matches_complete(small_model: LocalModel) -> None:
    prompt = Prompt.of("List three fruits.", max_tokens=24)
    pieces = list(small_model.stream(prompt))
    assert len(pieces) > 3
    assert "".join(pieces) == small_model.complete(prompt).text


def test_structured_output_uses_the_schema_grammar(small_model: LocalModel) -> None:
    result = small_model.structured(Prompt.of("Is water wet? Answer as JSON.", max_tokens=40), Verdict)
    assert result.value.answer in {"yes", "no"}
    assert len(result.completions) == 1


def test_invalid_structured_output_is_retried_once_then_a_typed_error(
    small_model: LocalModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = MemoryRecorder()
    monkeypatch.setattr(small_model, "recorder", records)
    with pytest.raises(StructuredOutputError, match="Impossible") as raised:
        small_model.structured(Prompt.of("Give a code.", max_tokens=30), Impossible)
    assert len(raised.value.attempts) == 2
    assert [record.outcome for record in records.records] == ["invalid_output", "invalid_output"]


def test_prompt_longer_than_the_context_window(small_model_path: Path) -> None:
    model = LocalModel(small_model_path, n_ctx=256)
    with pytest.raises(ContextOverflow, match="COMMONGROUND_LLM__N_CTX"):
        model.complete(Prompt.of("word " * 600))


def test_every_call_has_a_time_limit(small_model_path: Path) -> None:
    records = MemoryRecorder()
    model = LocalModel(small_model_path, timeout_s=0.05, recorder=records)
    with pytest.raises(ModelTimeout, match=r"did not (finish|read the prompt) within"):
        model.complete(Prompt.of("Write a long story about a lighthouse.", max_tokens=500))
    assert records.records[0].outcome == "error"


def test_the_time_limit_covers_reading_a_long_prompt(small_model_path: Path) -> None:
    model = LocalModel(small_model_path, n_ctx=2048, timeout_s=0.05)
    with pytest.raises(ModelTimeout, match="did not read the prompt within"):
        model.complete(Prompt.of("word " * 1500, max_tokens=4))
    model.timeout_s = 120
    assert model.complete(Prompt.of("Say hi", max_tokens=4)).text, "the model recovers after an abort"


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"does not exist.*COMMONGROUND_LLM__MODEL"):
        LocalModel(tmp_path / "absent.gguf")


def test_file_that_is_not_gguf(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"<html>an error page saved as a model</html>")
    with pytest.raises(ModelUnavailable, match="not a GGUF model file"):
        LocalModel(path)


def test_truncated_gguf(tmp_path: Path, small_model_path: Path) -> None:
    path = tmp_path / "truncated.gguf"
    with small_model_path.open("rb") as source:
        path.write_bytes(source.read(1 << 20))
    with pytest.raises(ModelUnavailable, match="cannot load"):
        LocalModel(path)
