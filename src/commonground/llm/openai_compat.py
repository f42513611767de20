"""The `openai` backend: any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Mistral,
vLLM, Ollama, llama.cpp server, LM Studio), chosen by base URL, model and API key.

Retries with exponential backoff on 429, 5xx and lost connections, and the per-request timeout, are the
`openai` client's own; this module maps its errors onto commonground's and reads its answers defensively.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import httpx
import openai

from commonground.core.errors import (
    ContextOverflow,
    ModelAuthError,
    ModelError,
    ModelResponseError,
    ModelTimeout,
    ModelUnavailable,
)
from commonground.llm.base import Model
from commonground.llm.records import Recorder, discard
from commonground.llm.types import Chunk, Prompt, Usage

ResponseFormat = Literal["json_schema", "json_object", "none"]

# A connection lost mid-stream surfaces as the HTTP library's own error, not as an OpenAIError: httpx's
# for openai 1.x and 2.x, httpx2's for 3.x.
try:
    import httpx2

    _TRANSPORT_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:
    _TRANSPORT_ERRORS = (httpx.HTTPError,)


class OpenAIModel(Model):
    """A model served over the OpenAI chat-completions protocol."""

    backend = "openai"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 2,
        max_concurrency: int = 4,
        response_format: ResponseFormat = "json_schema",
        seed: int | None = 0,
        recorder: Recorder = discard,
    ) -> None:
        super().__init__(name=model, timeout_s=timeout_s, max_concurrency=max_concurrency, recorder=recorder)
        self.base_url = base_url or "https://api.openai.com/v1"
        self.response_format = response_format
        self.seed = seed
        self._client = openai.OpenAI(
            base_url=self.base_url,
            api_key=api_key or "none",
            timeout=openai.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            max_retries=max_retries,
        )

    def _generate(self, prompt: Prompt, *, stream: bool) -> Iterator[Chunk]:
        request = self._request(prompt)
        try:
            if stream:
                events = self._client.chat.completions.create(
                    **request, stream=True, stream_options={"include_usage": True}
                )
                for event in events:
                    yield _stream_chunk(event, self.base_url)
            else:
                yield _whole_chunk(self._client.chat.completions.create(**request), self.base_url)
        except openai.OpenAIError as error:
            raise self._translate(error) from None
        except _TRANSPORT_ERRORS as error:
            raise ModelUnavailable(
                f"connection to {self.base_url} lost mid-answer ({type(error).__name__})",
                setting="COMMONGROUND_LLM__BASE_URL",
            ) from None

    def _request(self, prompt: Prompt) -> dict[str, Any]:
        request: dict[str, Any] = {
            "model": self.name,
            "messages": [{"role": m.role, "content": m.content} for m in prompt.messages],
            "max_tokens": prompt.max_tokens,
            "temperature": prompt.temperature,
        }
        if prompt.stop:
            request["stop"] = list(prompt.stop)
        if self.seed is not None:
            request["seed"] = self.seed
        if prompt.json_schema is not None and self.response_format == "json_schema":
            name = str(prompt.json_schema.get("title", "output"))[:64]
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": prompt.json_schema},
            }
        elif prompt.json_schema is not None and self.response_format == "json_object":
            request["response_format"] = {"type": "json_object", "schema": prompt.json_schema}
        return request

    def _translate(self, error: openai.OpenAIError) -> ModelError:
        where = self.base_url
        if isinstance(error, openai.APITimeoutError):
            return ModelTimeout(
                f"{where} did not answer within {self.timeout_s:g} s", setting="COMMONGROUND_LLM__TIMEOUT_S"
            )
        if isinstance(error, openai.APIConnectionError):
            cause = error.__cause__ or error
            return ModelUnavailable(
                f"cannot reach {where} ({type(cause).__name__})", setting="COMMONGROUND_LLM__BASE_URL"
            )
        if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
            return ModelAuthError(
                f"{where} refused the API key (HTTP {error.status_code})", setting="COMMONGROUND_LLM__API_KEY"
            )
        if isinstance(error, openai.NotFoundError):
            return ModelUnavailable(
                f"{where} has no model {self.name!r} or no chat-completions route (HTTP 404)",
                setting="COMMONGROUND_LLM__MODEL",
            )
        if isinstance(error, openai.APIStatusError):
            detail = _one_line(error.message)
            if error.status_code == 400 and "context" in detail.lower():
                return ContextOverflow(f"{where}: {detail}", setting="COMMONGROUND_LLM__MODEL")
            return ModelResponseError(f"{where} answered HTTP {error.status_code}: {detail}")
        return ModelResponseError(
            f"{where} answered something that is not a chat completion ({_one_line(str(error))})"
        )


def _whole_chunk(response: Any, where: str) -> Chunk:
    try:
        text = response.choices[0].message.content or ""
    except (AttributeError, IndexError, TypeError):
        raise ModelResponseError(f"{where} answered something that is not a chat completion") from None
    usage = getattr(response, "usage", None)
    return Chunk(text, usage=_usage(usage))


def _stream_chunk(event: Any, where: str) -> Chunk:
    choices = getattr(event, "choices", None)
    if choices is None:
        raise ModelResponseError(f"{where} streamed something that is not a chat-completion chunk")
    text = (choices[0].delta.content or "") if choices else ""
    return Chunk(text, usage=_usage(getattr(event, "usage", None)))


def _usage(usage: Any) -> Usage | None:
    if usage is None or getattr(usage, "prompt_tokens", None) is None:
        return None
    return Usage(prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens or 0)


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
