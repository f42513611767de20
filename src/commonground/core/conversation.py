"""Messages and conversations: the data every detector, policy, task and view works on."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class Message(BaseModel):
    """One utterance by one speaker."""

    id: str
    speaker: str
    text: str
    timestamp: datetime | None = None
    reply_to: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class Conversation(BaseModel):
    """An ordered exchange: a two-party dispute or a many-party deliberation."""

    id: str
    kind: Literal["dispute", "deliberation"] = "dispute"
    title: str = ""
    messages: list[Message] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def speakers(self) -> list[str]:
        """Speakers in order of first appearance."""
        return list(dict.fromkeys(message.speaker for message in self.messages))
