"""The `openai` backend against real HTTP servers on loopback."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field
from tests.llm.servers import API_KEY, FaultyServer, LlamaServer, free_port, start_llama_server

from commonground.core.errors import (
    ContextOverflow,
    ModelAuthError,
    ModelResponseError,
    ModelTimeout,
    ModelUnavailable,
)
from commonground.llm import MemoryRecorder, Prompt
from commonground.llm.openai_compat import OpenAIModel


class Verdict(BaseModel):
    answer: Literal["yes", "no"]
    confidence: int = Field(ge=0, le=100)


def model_for(server: LlamaServer, **options: object) -> OpenAIModel:
    defaults: dict[str, object] = {"api_key": API_KEY, "response_format": "json_object", "timeout_s": 60.0}
    return OpenAIModel(model=server.model, base_url=server.base_url, **(defaults | options))  # type: ignore[arg-type]


def test_plain_completion_is_recorded(llama_server: LlamaServer) -> None:
    records = MemoryRecorder()
    model = model_for(llama_server, recorder=records)
    completion = model.complete(
        Prompt.of("Say hello.", max_tokens=12, template="greet", template_version="3")
    )
    assert completion.text.strip()
    record = records.records[0]
    assert (record.backend, record.model, record.template, record.template_version) == (
        "openai",
        "smol",
        "greet",
        "3",
    )
    assert record.outcome == "ok"
    assert record.prompt_tokens > 5
    assert 0 < record.completion_tokens <= 12
    assert record.latency_s > 0


def test_streaming_yields_several_chunks_matching_the_plain_answer(llama_server: LlamaServer) -> None:
    model = model_for(llama_server)
    prompt = Prompt.of("Name three colours.", max_tokens=20)
    chunks = list(model.stream(prompt))
    assert len(chunks) > 3
    assert "".join(chunks) == model.complete(prompt).text


def test_structured_output_is_validated(llama_server: LlamaServer) -> None:
    records = MemoryRecorder()
    model = model_for(llama_server, recorder=records)
    result = model.structured(Prompt.of("Is the sky blue? Answer as JSON.", max_tokens=40), Verdict)
    assert isinstance(result.value, Verdict)
    assert records.records[-1].outcome == "ok"


def test_wrong_api_key_is_one_clear_error(llama_server: LlamaServer) -> None:
    model = model_for(llama_server, api_key="wrong")
    with pytest.raises(ModelAuthError, match=r"refused the API key.*COMMONGROUND_LLM__API_KEY"):
        model.complete(Prompt.of("hi", max_tokens=4))


def test_unreachable_endpoint_is_one_clear_error() -> None:
    model = OpenAIModel(model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", max_retries=0, timeout_s=5)
    with pytest.raises(ModelUnavailable, match=r"cannot reach .*COMMONGROUND_LLM__BASE_URL"):
        model.complete(Prompt.of("hi"))


def test_prompt_longer_than_the_context_window(llama_server: LlamaServer) -> None:
    model = model_for(llama_server)
    with pytest.raises(ContextOverflow):
        model.complete(Prompt.of("word " * 3000, max_tokens=8))


def test_server_stopped_mid_call_raises_instead_of_hanging(small_model_path: Path) -> None:
    server = start_llama_server(small_model_path)
    model = model_for(server, max_retries=0, timeout_s=30)
    received: list[str] = []
    with pytest.raises(ModelUnavailable, match=r"lost mid-answer|cannot reach"):
        for piece in model.stream(Prompt.of("Count from 1 to 500, one number per line.", max_tokens=2000)):
            received.append(piece)
            if len(received) == 5:
                server.stop()
    assert len(received) >= 5


def test_garbage_answer_is_a_response_error(faulty_server: FaultyServer) -> None:
    faulty_server.script = [(200, "<html>not an API</html>", 0.0)]
    model = OpenAIModel(model="m", base_url=faulty_server.base_url, max_retries=0)
    with pytest.raises(ModelResponseError, match="not a chat completion"):
        model.complete(Prompt.of("hi"))


def test_json_without_choices_is_a_response_error(faulty_server: FaultyServer) -> None:
    faulty_server.script = [(200, '{"hello": "world"}', 0.0)]
    model = OpenAIModel(model="m", base_url=faulty_server.base_url, max_retries=0)
    with pytest.raises(ModelResponseError, match="not a chat completion"):
        model.complete(Prompt.of("hi"))


def test_retries_with_backoff_on_5xx_and_429(faulty_server: FaultyServer) -> None:
    faulty_server.script = [(503, '{"error": "busy"}', 0.0), (429, '{"error": "slow down"}', 0.0)]
    model = OpenAIModel(model="m", base_url=faulty_server.base_url, max_retries=2)
    assert model.complete(Prompt.of("hi")).text == "recovered"
    assert faulty_server.requests == 3


def test_persistent_5xx_names_the_status(faulty_server: FaultyServer) -> None:
    faulty_server.script = [(500, '{"error": {"message": "boom"}}', 0.0)] * 2
    model = OpenAIModel(model="m", base_url=faulty_server.base_url, max_retries=1)
    with pytest.raises(ModelResponseError, match="HTTP 500"):
        model.complete(Prompt.of("hi"))


def test_slow_server_times_out(faulty_server: FaultyServer) -> None:
    faulty_server.script = [(200, "{}", 3.0)]
    records = MemoryRecorder()
    model = OpenAIModel(
        model="m", base_url=faulty_server.base_url, max_retries=0, timeout_s=0.5, recorder=records
    )
    with pytest.raises(ModelTimeout, match="COMMONGROUND_LLM__TIMEOUT_S"):
        model.complete(Prompt.of("hi"))
    assert records.records[0].outcome == "error"


def test_concurrency_limit_bounds_calls_in_flight(faulty_server: FaultyServer) -> None:
    in_flight, peak, lock = 0, 0, threading.Lock()
    model = OpenAIModel(model="m", base_url=faulty_server.base_url, max_concurrency=2, max_retries=0)
    original = model._generate

    def counting(prompt: Prompt, *, stream: bool):  # type: ignore[no-untyped-def]
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.2)
        yield from original(prompt, stream=stream)
        with lock:
            in_flight -= 1

    model._generate = counting  # type: ignore[method-assign]
    threads = [threading.Thread(target=model.complete, args=(Prompt.of("hi"),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2
    assert faulty_server.requests == 6
