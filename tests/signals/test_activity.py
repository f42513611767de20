"""Inactivity, cadence, explicit requests and deadlock over conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.signals.activity import cadence, deadlock, inactivity, request

START = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def conversation(*turns: tuple[str, str], timed: bool = False) -> Conversation:
    messages = [
        Message(
            id=str(number),
            speaker=speaker,
            text=text,
            timestamp=START + timedelta(minutes=number) if timed else None,
        )
        for number, (speaker, text) in enumerate(turns, start=1)
    ]
    return Conversation(id="c", messages=messages)


STUCK = conversation(
    ("ana", "The camera was broken when it arrived, I want a full refund."),
    ("ben", "The camera worked perfectly when I shipped it, there will be no refund."),
    ("ana", "It arrived broken, I want my full refund now."),
    ("ben", "It worked perfectly when shipped, I will not refund."),
    ("ana", "Broken camera arrived, full refund please."),
    ("ben", "Shipped it working perfectly, no refund."),
)


@pytest.mark.parametrize(
    ("minutes_after_last", "value"), [(0, 0.0), (30, 0.5), (60, 1.0), (600, 1.0), (-5, 0.0)]
)
def test_inactivity_grows_to_one_at_the_limit(minutes_after_last: int, value: float) -> None:
    talk = conversation(("ana", "hello"), ("ben", "hi"), timed=True)
    now = START + timedelta(minutes=2 + minutes_after_last)
    signal = inactivity(talk, now=now, after_s=3600)
    assert signal.name == "inactivity" and signal.value == pytest.approx(value)


def test_inactivity_without_timestamps_or_with_a_bad_limit() -> None:
    assert inactivity(conversation(("ana", "hello")), now=START, after_s=60).value == 0.0
    assert (
        inactivity(Conversation(id="empty"), now=START, after_s=60).detail["reason"]
        == "no timestamped message"
    )
    with pytest.raises(InputError):
        inactivity(STUCK, now=START, after_s=0)


@pytest.mark.parametrize(("count", "due"), [(0, False), (1, False), (3, True), (4, False), (6, True)])
def test_cadence_fires_on_multiples(count: int, due: bool) -> None:
    talk = conversation(*[("ana", f"message {i}") for i in range(count)])
    assert cadence(talk, every=3).value == float(due)


def test_cadence_rejects_a_bad_period() -> None:
    with pytest.raises(InputError):
        cadence(STUCK, every=0)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Can the mediator help us here?", True),
        ("@mediator please", True),
        ("We need a moderator to step in.", True),
        ("Le médiateur pourrait-il nous aider ?", True),
        ("@médiateur", True),
        ("Kann der Vermittler bitte helfen?", True),
        ("Wir brauchen Hilfe vom Mediator.", True),
        ("¿Puede ayudarnos el @mediador?", True),
        ("We do not need a mediator, thanks.", False),
        ("Nous n'avons pas besoin du médiateur.", False),
        ("The mediator said that yesterday.", False),
        ("Can you help me move the sofa?", False),
        ("", False),
    ],
)
def test_request_for_the_mediator(text: str, asked: bool) -> None:
    signal = request(Message(id="m", speaker="ana", text=text))
    assert signal.value == float(asked) and signal.message_id == "m"


def test_deadlock_when_both_repeat_themselves() -> None:
    signal = deadlock(STUCK)
    assert signal.value >= 0.6
    assert set(signal.detail["repetition"]) == {"ana", "ben"} and signal.detail["new_proposal_in"] is None


@pytest.mark.parametrize(
    "last",
    [
        "What if I pay half of the shipping and you keep the camera?",
        "Shipped it working perfectly, I can refund 40 euros.",
        "Ich schlage vor, wir teilen die Kosten.",
    ],
)
def test_no_deadlock_when_something_new_is_proposed(last: str) -> None:
    moved = STUCK.model_copy(
        update={"messages": [*STUCK.messages[:-1], Message(id="6", speaker="ben", text=last)]}
    )
    signal = deadlock(moved)
    assert signal.value == 0.0 and signal.detail["new_proposal_in"] is not None


def test_no_deadlock_when_the_talk_moves_on() -> None:
    fresh = conversation(
        ("ana", "The camera was broken when it arrived."),
        ("ben", "I shipped it in working order."),
        ("ana", "Photographs of the cracked lens are attached here."),
        ("ben", "Those pictures show courier damage, contact the postal insurance."),
        ("ana", "Good idea, which insurance form applies?"),
        ("ben", "Form seventeen, from their website."),
    )
    assert deadlock(fresh).value < 0.6


@pytest.mark.parametrize(
    "talk", [Conversation(id="empty"), conversation(("ana", "hello")), conversation(*[("ana", "same")] * 5)]
)
def test_no_deadlock_without_two_speakers_with_history(talk: Conversation) -> None:
    assert deadlock(talk).value == 0.0


def test_signals_are_deterministic() -> None:
    assert deadlock(STUCK) == deadlock(STUCK)
    with pytest.raises(InputError):
        deadlock(STUCK, window=0)
