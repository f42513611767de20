"""Compute the signals of one event from the detectors: the impure half that feeds the pure decide().

The detectors are passed in, so the platform loads them once and tests can use fakes.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.core.signals import Signal
from commonground.policy.records import Event
from commonground.policy.schema import Policy
from commonground.signals import activity
from commonground.signals.derailment import DerailmentForecaster, IncivilityFn, incivility_scorer
from commonground.signals.incivility import IncivilityDetector


@dataclass(frozen=True)
class Detectors:
    """The scoring models: a derailment forecaster and, unless left out, message incivility."""

    forecaster: DerailmentForecaster
    incivility: IncivilityFn | None = None

    @classmethod
    def load(cls, detector: IncivilityDetector | None = None) -> Detectors:
        """The shipped forecaster of `detector`'s mode, with `detector` (default: the shipped accurate one)
        scoring incivility for both through one scorer, so that each message is scored once."""
        detector = detector or IncivilityDetector.load()
        incivility = incivility_scorer(detector)
        return cls(
            forecaster=DerailmentForecaster.load(detector=detector, incivility=incivility),
            incivility=incivility,
        )


def observe(
    conversation: Conversation, event: Event, *, policy: Policy, detectors: Detectors
) -> list[Signal]:
    """The signals of `event` on `conversation`, the history before the event."""
    if event.kind == "tick":
        return _tick(conversation, event, policy)
    if event.kind == "request":
        return [Signal(name="request", value=1.0, detail={"source": "request event"})]
    message = event.message
    if message is None:
        raise InputError(f"a {event.kind} event needs its message")
    signals = _message_level(message, event.lang, detectors)
    if event.kind == "draft":
        return signals
    after = conversation.model_copy(update={"messages": [*conversation.messages, message]})
    signals.append(
        Signal(
            name="derailment_risk",
            value=detectors.forecaster.risk(after.messages),
            message_id=message.id,
            detail={"model": detectors.forecaster.meta.get("name")},
        )
    )
    signals.append(activity.request(message))
    signals.append(activity.deadlock(after, window=policy.triggers.deadlock_window))
    if policy.triggers.cadence_messages is not None:
        signals.append(activity.cadence(after, every=policy.triggers.cadence_messages))
    return signals


def _message_level(message: Message, lang: str | None, detectors: Detectors) -> list[Signal]:
    if detectors.incivility is None:
        return []
    (value,) = detectors.incivility([message.text], [message.lang or lang])
    if value is None:
        return [Signal(name="unscored", value=1.0, message_id=message.id, detail={"signal": "incivility"})]
    return [Signal(name="incivility", value=value, message_id=message.id)]


def _tick(conversation: Conversation, event: Event, policy: Policy) -> list[Signal]:
    if policy.triggers.inactivity_s is None:
        return []
    return [activity.inactivity(conversation, now=event.at, after_s=policy.triggers.inactivity_s)]
