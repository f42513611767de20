"""Who said what: claims found by rule, judged against the party's own messages; no verdicts declared."""

from __future__ import annotations

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.llm.local import LocalModel
from commonground.tasks.attribution import attributed_claims, check_attribution
from commonground.tasks.checks import no_verdict
from commonground.tasks.summarize.task import Statement, SummarizeTask, Summary, SummaryRequest

PARTIES = ("Lee", "Priya")
MESSAGES = [
    Message(
        id="1", speaker="Lee", text="I never got the 250 pounds you say you gave me. My mailbox was empty."
    ),
    Message(
        id="2",
        speaker="Priya",
        text="I put the cash in an envelope and dropped it in your mailbox on Monday.",
    ),
]


def test_claims_are_the_clauses_giving_a_party_words_or_a_deed() -> None:
    text = (
        "Lee and Priya, thank you both. So far, Lee says he never got the money; according to Priya, it "
        "was left on Monday. Priya dropped an envelope and Lee, did you check the mailbox? Lee, you said "
        "the mailbox was empty."
    )
    found = [(c.party, c.reported, c.text) for c in attributed_claims(text, PARTIES)]
    assert found == [
        ("Lee", True, "So far, Lee says he never got the money"),
        ("Priya", True, "according to Priya, it was left on Monday."),
        ("Priya", False, "Priya dropped an envelope"),
        ("Lee", True, "Lee, you said the mailbox was empty."),
    ]
    assert attributed_claims("Lee and Priya, this is hard for you both.", PARTIES) == []


@pytest.mark.parametrize(
    ("text", "declared"),
    [
        ("Lee, your statement has been verified.", True),
        ("I can confirm the cash was delivered.", True),
        ("That is true, Priya paid.", True),
        ("Votre déclaration a été vérifiée.", True),
        ("Is it true that the envelope was left on Monday?", False),
        ("Neither account has been verified yet.", False),
        ("Priya says the courier confirmed the delivery.", False),
        ("Could you confirm the date, Lee?", False),
    ],
)
def test_no_verdict_in_the_mediators_voice(text: str, declared: bool) -> None:
    assert no_verdict(text, parties=PARTIES).passed is not declared


def test_a_summary_position_cites_its_partys_own_message() -> None:
    request = SummaryRequest(Conversation(id="cash", messages=MESSAGES))
    swapped = Summary(
        statements=[
            Statement(kind="position", party="Lee", text="Lee says the cash was dropped.", cites=["2"]),
            Statement(kind="position", party="Priya", text="Priya says she left the cash.", cites=["2"]),
        ]
    )
    checks = {c.name: c for c in SummarizeTask().verify(request, swapped)}
    assert not checks["own_words"].passed and "Lee says" in checks["own_words"].detail


def test_the_judge_catches_a_flipped_claim(default_model: LocalModel) -> None:
    faithful = "Lee says he never got the 250 pounds; Priya says she left the cash in his mailbox on Monday."
    flipped = "Lee says he received the 250 pounds; Priya says she left the cash in his mailbox on Monday."
    right, calls = check_attribution(default_model, faithful, MESSAGES)
    assert right.passed, right.detail
    assert len(calls) == 2 and calls[0].template == "attribution"
    wrong, _ = check_attribution(default_model, flipped, MESSAGES)
    assert not wrong.passed and "Lee says he received" in wrong.detail
