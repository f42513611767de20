"""The one interface every feature calls models through.

A backend implements `_generate(prompt, stream)`, yielding text chunks. This base class adds what every
backend needs the same way: a concurrency limit, an overall time limit, a call record for every call, and
structured output (constrained decoding where the backend has it, validation, one repair attempt).
"""

from __future__ import annotations

import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from pydantic import ValidationError

from commonground.core.errors import ModelError, ModelTimeout, StructuredOutputError
from commonground.llm.records import Recorder, discard
from commonground.llm.types import CallRecord, ChatMessage, Chunk, Completion, Prompt, Structured, T, Usage

log = logging.getLogger(__name__)

TIMEOUT_SETTING = "COMMONGROUND_LLM__TIMEOUT_S"


class Model(ABC):
    """A chat model behind one backend."""

    backend: ClassVar[str]

    def __init__(
        self, *, name: str, timeout_s: float, max_concurrency: int, recorder: Recorder = discard
    ) -> None:
        self.name = name
        self.timeout_s = timeout_s
        self.recorder = recorder
        self._slots = threading.BoundedSemaphore(max_concurrency)

    @abstractmethod
    def _generate(self, prompt: Prompt, *, stream: bool) -> Iterator[Chunk]:
        """Yield the completion of `prompt` in chunks (one chunk when not streaming).

        Raise a ModelError subclass for every failure; the last chunk should carry the usage.
        """

    def stream(self, prompt: Prompt) -> Iterator[str]:
        """Yield the completion's text as it is generated."""
        with self._call(prompt) as record:
            yield from self._chunks(prompt, record, stream=True)

    def complete(self, prompt: Prompt) -> Completion:
        """Return the whole completion."""
        with self._call(prompt) as record:
            text = "".join(self._chunks(prompt, record, stream=False))
        return Completion(text=text, record=record)

    def structured(self, prompt: Prompt, schema: type[T]) -> Structured[T]:
        """Return an object of `schema`: constrained decoding, validation, then one repair attempt.

        Raises StructuredOutputError carrying every raw attempt when both fail validation.
        """
        current = prompt.with_schema(schema.model_json_schema())
        completions: list[Completion] = []
        problem = ""
        try:
            for _ in range(2):
                with self._call(current) as record:
                    text = "".join(self._chunks(current, record, stream=False))
                    try:
                        value = schema.model_validate_json(_strip_fences(text))
                    except ValidationError as error:
                        record.outcome = "invalid_output"
                        problem = _first_problem(error)
                        record.error = problem
                        value = None
                completions.append(Completion(text=text, record=record))
                if value is not None:
                    return Structured(value=value, completions=completions)
                current = current.followed_by(
                    ChatMessage("assistant", text),
                    ChatMessage("user", f"That output is invalid ({problem}). Answer again with JSON only."),
                )
        except ModelError as error:
            error.calls[:0] = [completion.record for completion in completions]
            raise
        raise StructuredOutputError(
            f"{self.backend} model {self.name} gave output that does not match {schema.__name__} "
            f"twice: {problem}",
            attempts=[completion.text for completion in completions],
            calls=[completion.record for completion in completions],
            setting="COMMONGROUND_LLM__MODEL",
        )

    @contextmanager
    def _call(self, prompt: Prompt) -> Iterator[CallRecord]:
        """Hold a concurrency slot and emit a record of the call, whatever its outcome."""
        record = CallRecord(
            backend=self.backend,
            model=self.name,
            template=prompt.template,
            template_version=prompt.template_version,
        )
        started = time.monotonic()
        if not self._slots.acquire(timeout=self.timeout_s):
            record.outcome, record.error = "error", "no free slot"
            self.recorder(record)
            raise ModelTimeout(
                f"no free model slot within {self.timeout_s:g} s", calls=[record], setting=TIMEOUT_SETTING
            )
        try:
            yield record
        except ModelError as error:
            record.outcome, record.error = "error", str(error)
            error.calls.append(record)
            raise
        except GeneratorExit:
            record.outcome = "cancelled"
            raise
        finally:
            self._slots.release()
            record.latency_s = time.monotonic() - started
            self.recorder(record)

    def _chunks(self, prompt: Prompt, record: CallRecord, *, stream: bool) -> Iterator[str]:
        started = time.monotonic()
        deadline = started + self.timeout_s
        usage: Usage | None = None
        produced = 0
        for chunk in self._generate(prompt, stream=stream):
            if chunk.usage is not None:
                usage = chunk.usage
            if chunk.text:
                produced += 1
                if record.first_token_s is None:
                    record.first_token_s = time.monotonic() - started
                yield chunk.text
            if time.monotonic() > deadline:
                raise ModelTimeout(
                    f"{self.backend} model {self.name} did not finish within {self.timeout_s:g} s",
                    setting=TIMEOUT_SETTING,
                )
        if usage is not None:
            record.prompt_tokens, record.completion_tokens = usage.prompt_tokens, usage.completion_tokens
        else:
            record.completion_tokens = produced


def _strip_fences(text: str) -> str:
    """Accept JSON wrapped in a Markdown code fence, as chat models often write it."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[-1].rsplit("```", 1)[0]
    return stripped


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "output"
    return f"{where}: {first['msg']}"
