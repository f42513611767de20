"""The records decide() reads and writes: events, conversation state, decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from commonground.core.conversation import Message
from commonground.core.signals import Signal

EventKind = Literal["draft", "message", "tick", "request"]
Action = Literal[
    "presend_feedback",
    "suggest_rephrase",
    "hold_for_mediator",
    "draft_for_mediator",
    "intervene",
    "summarize",
    "none",
]
Purpose = Literal["requested", "de_escalate", "unblock", "re_engage", "summary"]
INTERVENTIONS: frozenset[str] = frozenset({"draft_for_mediator", "intervene", "summarize"})


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Event(_Record):
    """Something that happened: a draft being written, a message posted, a clock tick, a button press.

    `at` is the event's time (time-zone aware) and the only clock decide() knows. `message` is the draft
    or posted message for those kinds.
    """

    kind: EventKind
    at: AwareDatetime
    message: Message | None = None
    lang: str | None = None


class Intervention(_Record):
    """An earlier decision that addressed the conversation: what and when."""

    at: datetime
    action: Action


class ConversationState(_Record):
    """What decide() needs to remember about a conversation: its past interventions."""

    conversation_id: str
    interventions: tuple[Intervention, ...] = ()


class Decision(_Record):
    """One auditable decision: what was seen, which rule fired (or why none did), what to do."""

    at: datetime
    event: EventKind
    action: Action
    rule: str = Field(description="The rule that fired, e.g. 'derailment_risk >= 0.5', or 'none'.")
    reason: str = Field(description="Why this action, or why no action.")
    purpose: Purpose | None = None
    message_id: str | None = None
    signals: tuple[Signal, ...] = ()
