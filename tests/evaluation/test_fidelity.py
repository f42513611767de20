"""Rephrasing fidelity: claims kept worked by hand, the lexical scores, and the judge's verdict."""

from __future__ import annotations

import pytest

from commonground.evaluation.fidelity import (
    RephrasingItem,
    RephrasingPair,
    claims_kept,
    fidelity_report,
    judged_item,
    lexical_items,
)
from commonground.llm.local import LocalModel
from commonground.signals.incivility import IncivilityDetector

TOXIC = "You are a lying idiot, Sam, and you never paid me the 120 dollars."
FAITHFUL = "Sam, I believe you never paid me the 120 dollars."
REVERSED = "Sam, you paid me the 120 dollars."
ALTERED = "Sam, you never paid me the 210 dollars."


def test_claims_kept_by_hand() -> None:
    assert claims_kept(TOXIC, FAITHFUL) == (1.0, [])
    # 120, Sam and the negation: the negation is lost.
    assert claims_kept(TOXIC, REVERSED) == (pytest.approx(2 / 3), ["negation"])
    # 3 is lost; May (a capitalised word inside the sentence) is kept; no negation in either.
    assert claims_kept("Stop lying, the parcel came on May 3.", "The parcel came on May 5.") == (
        pytest.approx(2 / 3),
        ["3"],
    )
    assert claims_kept("Pay the 1,200 euros.", "Please pay the 1200 euros.") == (1.0, [])
    assert claims_kept("he didn 't win", "He didn’t win.") == (1.0, [])  # tokenised, curly apostrophe


PAIRS = [
    RephrasingPair(id="a", text=TOXIC, rephrased=FAITHFUL, lang="en"),
    RephrasingPair(
        id="b", text="Ton chien est un sale monstre.", rephrased="Ton chien me fait peur.", lang="fr"
    ),
    RephrasingPair(id="c", text=TOXIC, rephrased=REVERSED),
    RephrasingPair(id="d", text=TOXIC, rephrased=ALTERED),
]


@pytest.fixture(scope="module")
def lexical() -> list[RephrasingItem]:
    return lexical_items(PAIRS, detector=IncivilityDetector.load())


def test_lexical_scores_without_a_model(lexical: list[RephrasingItem]) -> None:
    english, french, reversed_, altered = lexical
    assert english.length_ratio == pytest.approx(len(FAITHFUL) / len(TOXIC))
    assert english.fidelity == english.claims == 1.0 and english.judged is None
    assert english.fl is None and english.j == pytest.approx(english.sta * english.sim)
    assert english.sta > 0.5 and 0 < english.sim <= 1 and english.content > 0.5
    assert french.lang == "fr" and french.lost == [] and french.fl is None
    assert reversed_.lang == "en" and reversed_.lost == ["negation"] and altered.lost == ["120"]
    report = fidelity_report(lexical)
    assert report.aggregate["fidelity"].value == pytest.approx((1 + 1 + 2 / 3 + 2 / 3) / 4)
    assert report.aggregate["judged"].n == 0 and report.aggregate["length_ratio"].n == 4


def test_the_judge_tells_a_faithful_rewrite_from_an_altered_one(
    default_model: LocalModel, lexical: list[RephrasingItem]
) -> None:
    faithful, altered = judged_item(default_model, lexical[0]), judged_item(default_model, lexical[3])
    print(f"faithful: {faithful.relation}/{faithful.stance}; altered: {altered.relation}/{altered.stance}")
    assert faithful.judged == faithful.fidelity == 1.0
    assert altered.relation == "contradicts" and altered.judged == altered.fidelity == 0.0
