"""What both generators share: turning a plan into a Conversation message by message, and the run loop.

A generator realises one `ConversationPlan` at a time; `generate` plans conversation after conversation,
drops duplicates, and stops at the requested count (or, when duplicates keep coming, after
`MAX_ATTEMPTS_FACTOR` times as many attempts, saying so).
"""

from __future__ import annotations

import logging
import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from commonground.core.conversation import Conversation, Message
from commonground.synthesis.plan import ConversationPlan, Planner
from commonground.synthesis.quality import Deduplicator
from commonground.synthesis.trajectories import Turn
from commonground.tasks.intervene.task import InterveneTask, InterventionRequest

log = logging.getLogger(__name__)

MEDIATOR = "Mediator"
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
MAX_ATTEMPTS_FACTOR = 3
REPLY_SECONDS = (20, 1800)
TEMPLATE_LANGUAGE = "en"  # the intervene task's model-free message is written in English


class Generator(ABC):
    """Realises conversation plans; `languages` it can write, `needs_openings` if it uses written openings."""

    name: ClassVar[str]
    languages: ClassVar[tuple[str, ...]]
    needs_openings: ClassVar[bool]

    @abstractmethod
    def prepare(self, planner: Planner) -> None:
        """Load what generation needs and check it can serve the spec (InputError otherwise)."""

    @abstractmethod
    def realise(self, plan: ConversationPlan) -> Conversation:
        """The conversation `plan` describes, with per-message ground truth in each message's meta."""


class Builder:
    """Grows a conversation from a plan: message ids, replies, timestamps and meta filled in."""

    def __init__(self, plan: ConversationPlan, *, generator: str) -> None:
        self.plan = plan
        self._clock = random.Random(f"{plan.id}:clock")
        self._time = EPOCH + timedelta(seconds=self._clock.randrange(365 * 24 * 3600))
        meta = {
            "generator": generator,
            "seed": plan.seed,
            "scenario": plan.scenario.id,
            "topic": plan.scenario.topic,
            "lang": plan.lang,
            "personas": [persona.describe() for persona in plan.personas],
            **plan.trajectory.meta(),
        }
        self.conversation = Conversation(
            id=plan.id, kind=plan.scenario.kind, title=plan.scenario.title, meta=meta
        )

    def speaker(self, turn: Turn) -> str:
        return MEDIATOR if turn.speaker is None else self.plan.personas[turn.speaker].speaker

    def add(self, turn: Turn, text: str, *, source: str, lang: str | None = None, **extra: Any) -> Message:
        """Append the message of `turn`, replying to the one before; `lang` when not the conversation's."""
        messages = self.conversation.messages
        self._time += timedelta(seconds=self._clock.randint(*REPLY_SECONDS))
        persona = "mediator" if turn.speaker is None else self.plan.personas[turn.speaker].profile.name
        message = Message.model_construct(  # every field is built here: validation would only cost time
            id=f"{self.plan.id}-{turn.number:02d}",
            speaker=self.speaker(turn),
            text=text,
            timestamp=self._time,
            reply_to=messages[-1].id if messages else None,
            lang=lang or self.plan.lang,
            meta={
                "turn": turn.number,
                "persona": persona,
                "stage": turn.stage,
                "label": turn.label,
                "escalation": turn.escalation,
                "tone": turn.tone,
                "source": source,
                **extra,
            },
        )
        messages.append(message)
        return message


def mediator_request(conversation: Conversation) -> InterventionRequest:
    """The intervene task's request for a conversation that has just turned heated."""
    return InterventionRequest(conversation=conversation, reason="heated")


def template_intervention(task: InterveneTask, conversation: Conversation) -> str:
    """The intervene task's own model-free message (its fallback), labelled as AI."""
    return task.text(task.fallback(mediator_request(conversation)))


def generate(
    generator: Generator,
    planner: Planner,
    *,
    deduplicator: Deduplicator | None = None,
    on_conversation: Callable[[], None] | None = None,
) -> Iterator[Conversation]:
    """Up to `planner.spec.count` distinct conversations, in plan order."""
    deduplicator = deduplicator or Deduplicator()
    wanted = planner.spec.count
    made = 0
    for index in range(wanted * MAX_ATTEMPTS_FACTOR):
        conversation = generator.realise(planner.plan(index))
        if not deduplicator.admit(conversation):
            continue
        made += 1
        if on_conversation is not None:
            on_conversation()
        yield conversation
        if made == wanted:
            return
    log.warning(
        "only %d distinct conversations in %d attempts: widen the scenarios, personas or turns",
        made,
        wanted * MAX_ATTEMPTS_FACTOR,
    )
