"""Value objects of a model call: messages and prompt in; chunks, completion and a call record out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

Role = Literal["system", "user", "assistant"]
T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class Prompt:
    """What to send: chat messages, sampling options, and which template (name, version) produced them."""

    messages: tuple[ChatMessage, ...]
    template: str = "adhoc"
    template_version: str = "0"
    max_tokens: int = 256
    temperature: float = 0.0
    stop: tuple[str, ...] = ()
    json_schema: dict[str, Any] | None = None

    @classmethod
    def of(cls, user: str, *, system: str | None = None, **options: Any) -> Prompt:
        """A prompt from a user message and an optional system message."""
        messages = ((ChatMessage("system", system),) if system else ()) + (ChatMessage("user", user),)
        return cls(messages=messages, **options)

    def followed_by(self, *messages: ChatMessage) -> Prompt:
        return replace(self, messages=self.messages + messages)

    def with_schema(self, json_schema: dict[str, Any]) -> Prompt:
        return replace(self, json_schema=json_schema)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Chunk:
    """A piece of generated text; the last chunk of a generation may carry the usage."""

    text: str
    usage: Usage | None = None


Outcome = Literal["ok", "error", "invalid_output", "cancelled"]


class CallRecord(BaseModel):
    """One model call, as later cost and quality reports need it."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    backend: str
    model: str
    template: str
    template_version: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    first_token_s: float | None = None
    outcome: Outcome = "ok"
    error: str | None = None


@dataclass(frozen=True)
class Completion:
    text: str
    record: CallRecord


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated object and every completion it took to get it."""

    value: T
    completions: list[Completion] = field(default_factory=list)
