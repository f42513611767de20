"""Signals computed per event, with the real forecaster and a scripted incivility scorer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.policy import ConversationState, Event, Policy, decide
from commonground.policy.observe import Detectors, observe
from commonground.policy.schema import Triggers
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.incivility import IncivilityDetector, IncivilityScore

NOON = datetime(2024, 7, 1, 12, tzinfo=UTC)
HISTORY = Conversation(
    id="c",
    messages=[
        Message(
            id="1", speaker="ana", text="The camera arrived broken.", timestamp=NOON - timedelta(hours=30)
        ),
        Message(
            id="2", speaker="ben", text="It worked when I sent it.", timestamp=NOON - timedelta(hours=29)
        ),
    ],
)


@pytest.fixture(scope="module")
def detectors() -> Detectors:
    return Detectors(forecaster=DerailmentForecaster.load(), incivility=lambda texts, _: [0.9 for _ in texts])


def names(signals: list) -> list[str]:
    return [signal.name for signal in signals]


def test_a_posted_message_gets_every_message_signal(detectors: Detectors) -> None:
    message = Message(id="3", speaker="ana", text="Can the mediator help? You never listen!!")
    policy = Policy(triggers=Triggers(cadence_messages=3))
    signals = observe(
        HISTORY, Event(kind="message", at=NOON, message=message), policy=policy, detectors=detectors
    )
    assert names(signals) == ["incivility", "derailment_risk", "request", "deadlock", "cadence"]
    by_name = {signal.name: signal for signal in signals}
    assert by_name["request"].value == 1.0 and by_name["cadence"].value == 1.0
    assert by_name["derailment_risk"].message_id == "3" and 0 <= by_name["derailment_risk"].value <= 1


def test_a_draft_gets_only_its_own_incivility(detectors: Detectors) -> None:
    draft = Message(id="d", speaker="ana", text="you idiot")
    signals = observe(
        HISTORY, Event(kind="draft", at=NOON, message=draft), policy=Policy(), detectors=detectors
    )
    assert names(signals) == ["incivility"] and signals[0].value == 0.9


def test_without_incivility_scores_the_rest_still_works() -> None:
    plain = Detectors(forecaster=DerailmentForecaster.load())
    message = Message(id="3", speaker="ana", text="ok")
    signals = observe(
        HISTORY, Event(kind="message", at=NOON, message=message), policy=Policy(), detectors=plain
    )
    assert "incivility" not in names(signals) and "derailment_risk" in names(signals)


def test_ticks_and_requests(detectors: Detectors) -> None:
    tick = observe(HISTORY, Event(kind="tick", at=NOON), policy=Policy(), detectors=detectors)
    assert names(tick) == ["inactivity"] and tick[0].value == 1.0  # 29 h idle, limit 24 h
    off = Policy(triggers=Triggers(inactivity_s=None))
    assert observe(HISTORY, Event(kind="tick", at=NOON), policy=off, detectors=detectors) == []
    asked = observe(HISTORY, Event(kind="request", at=NOON), policy=Policy(), detectors=detectors)
    assert names(asked) == ["request"]


def test_signals_feed_decide(detectors: Detectors) -> None:
    policy = Policy(autonomy="draft_for_mediator")
    tick = Event(kind="tick", at=NOON)
    (decision,) = decide(
        ConversationState(conversation_id="c"),
        tick,
        observe(HISTORY, tick, policy=policy, detectors=detectors),
        policy,
    )
    assert decision.action == "draft_for_mediator" and decision.purpose == "re_engage"


def test_a_message_event_without_its_message_is_an_input_error(detectors: Detectors) -> None:
    with pytest.raises(InputError, match="needs its message"):
        observe(HISTORY, Event(kind="message", at=NOON), policy=Policy(), detectors=detectors)


def test_a_message_that_could_not_be_scored_gives_an_unscored_signal_not_a_civil_one() -> None:
    unscoring = Detectors(
        forecaster=DerailmentForecaster.load(), incivility=lambda texts, _: [None for _ in texts]
    )
    draft = Message(id="d", speaker="ana", text="Imaynalla kashanki")
    signals = observe(
        HISTORY, Event(kind="draft", at=NOON, message=draft), policy=Policy(), detectors=unscoring
    )
    assert names(signals) == ["unscored"] and signals[0].message_id == "d"


@pytest.mark.parametrize("mode", ["accurate", "fast"])
def test_loaded_detectors_forecast_with_the_artefact_of_the_detectors_mode(mode: str) -> None:
    loaded = Detectors.load(IncivilityDetector.load(mode))  # type: ignore[arg-type]
    message = Message(id="3", speaker="ana", text="You never listen!!")
    signals = observe(
        HISTORY, Event(kind="message", at=NOON, message=message), policy=Policy(), detectors=loaded
    )
    risk = next(signal for signal in signals if signal.name == "derailment_risk")
    assert risk.detail == {"model": f"derailment-v2-{mode}"} and 0 <= risk.value <= 1


def test_the_incivility_signal_and_the_forecaster_score_each_message_once() -> None:
    class Counting(IncivilityDetector):
        def __init__(self) -> None:
            super().__init__(IncivilityDetector.load("fast").artefact)
            self.read: list[str] = []

        def score_many(
            self, texts: list[str], langs: list[str | None] | None = None
        ) -> list[IncivilityScore]:
            self.read += texts
            return super().score_many(texts, langs)

    detector = Counting()
    loaded = Detectors.load(detector)
    history = HISTORY.model_copy(
        update={"messages": [m.model_copy(update={"lang": "en"}) for m in HISTORY.messages]}
    )
    for text in ("You never listen!!", "I do listen."):
        message = Message(id=text, speaker="ana", text=text, lang="en")
        observe(history, Event(kind="message", at=NOON, message=message), policy=Policy(), detectors=loaded)
        history = history.model_copy(update={"messages": [*history.messages, message]})
    assert sorted(detector.read) == sorted(m.text for m in history.messages)  # each once
