"""Signals: the one record every detector emits and every policy reads."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SignalName = Literal[
    "incivility", "unscored", "derailment_risk", "inactivity", "cadence", "request", "deadlock"
]
SIGNAL_NAMES: tuple[str, ...] = get_args(SignalName)


class Signal(BaseModel):
    """One observation about a conversation: a name, a value in [0, 1] and the evidence behind it.

    `message_id` names the message the signal is about (None for conversation-level signals such as
    inactivity); `unscored` (value 1) says the incivility detector could not score the message; `detail`
    carries detector-specific evidence for the audit trail.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: SignalName
    value: float = Field(ge=0.0, le=1.0)
    message_id: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict)
