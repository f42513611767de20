"""The mediator's own sentences recount nothing a party did or said: which words and phrasings count."""

from __future__ import annotations

from commonground.core.conversation import Message
from commonground.tasks.draft.claims import one_sided, recounted, takes_a_figure

SAID = [
    Message(id="1", speaker="Lena", text="I lent you my drill in May and it came back with a broken chuck."),
    Message(
        id="2", speaker="Tariq", text="The chuck was loose when you lent it. I returned the drill in May."
    ),
]
PARTIES = ("Lena", "Tariq")


def test_words_only_one_party_used_are_theirs() -> None:
    stems = one_sided(SAID, PARTIES)
    assert {"broke", "lent"} & stems == {"broke"}  # both said "lent"; only Lena said "broken"
    assert "loose" in stems
    assert not {"drill", "chuck", "lena", "tariq"} & stems
    assert not {"when", "with", "the", "what"} & stems  # function words are nobody's


def test_a_figure_only_one_party_gave_is_theirs_and_an_option_may_not_take_it() -> None:
    priced = [*SAID, Message(id="3", speaker="Tariq", text="You paid 40 for it, not 55.")]
    stems = one_sided(priced, PARTIES)
    assert {"40", "55"} <= stems
    assert takes_a_figure("One option is to settle the 40 together.", stems) == "one party's figures: 40"
    assert takes_a_figure("One option is to look at the drill together.", stems) == ""


def test_the_title_and_the_vocabulary_of_mediation_are_nobodys() -> None:
    told = [
        *SAID,
        Message(id="3", speaker="Lena", text="I want a fair solution and an agreement on the cost."),
    ]
    stems = one_sided(told, PARTIES, title="Borrowed cordless drill")
    assert "cordl" not in stems and "fair" not in stems and "agree" not in stems
    assert "cost" in stems


def test_a_sentence_with_one_partys_words_or_a_recounted_deed_recounts() -> None:
    stems = one_sided(SAID, PARTIES)
    assert recounted("Lena and Tariq, I can hear that this matters to both of you.", stems) == ""
    assert "broke" in recounted("Lena and Tariq, I see the drill came back broken.", stems)
    assert "recounts" in recounted("Lena and Tariq, I hear you have returned the drill.", stems)
    assert recounted("Lena and Tariq, I hear you have a disagreement about the drill.", stems) == ""


def test_a_question_that_asks_why_or_whether_someone_did_something_presupposes_it() -> None:
    stems = one_sided(SAID, PARTIES)
    assert (
        recounted("Lena and Tariq, what would help each of you reach an agreement?", stems, question=True)
        == ""
    )
    assert "presupposes" in recounted("Why did the drill come back?", stems, question=True)
    assert "presupposes" in recounted("Tariq, did you use it on concrete?", stems, question=True)
    assert recounted("Did you agree on a date?", stems) == ""  # only questions are read for presuppositions


def test_a_single_party_has_nothing_one_sided() -> None:
    assert one_sided(SAID[:1], ("Lena",)) == set()
