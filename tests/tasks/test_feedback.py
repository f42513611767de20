"""Pre-send feedback: specific, localised, instant."""

from __future__ import annotations

import pytest

from commonground.signals.incivility import IncivilityDetector
from commonground.tasks.feedback import presend_feedback


@pytest.fixture(scope="module")
def detector() -> IncivilityDetector:
    return IncivilityDetector.load()


@pytest.mark.parametrize(
    ("text", "lang", "word", "phrase"),
    [
        ("You are an idiot and this is SO UNFAIR!!!", "en", "idiot", "may read as an insult"),
        ("Tu es vraiment un idiot.", "fr", "idiot", "peut être pris comme une insulte"),
        ("Du Idiot, ich habe längst bezahlt.", "de", "Idiot", "kann als Beleidigung verstanden werden"),
    ],
)
def test_flagged_drafts_name_the_words_and_why(
    detector: IncivilityDetector, text: str, lang: str, word: str, phrase: str
) -> None:
    feedback = presend_feedback(text, detector.score(text, lang))
    assert feedback.flagged and feedback.lang == lang
    note = next(note for note in feedback.notes if note.category == "insult")
    assert text[note.start : note.end] == word
    assert word in note.text and phrase in note.text
    assert feedback.choice in feedback.text


def test_shouting_is_explained(detector: IncivilityDetector) -> None:
    text = "You are an idiot and this is SO UNFAIR!!!"
    categories = [note.category for note in presend_feedback(text, detector.score(text)).notes]
    assert categories == ["insult", "shouting"]


def test_civil_drafts_are_not_flagged(detector: IncivilityDetector) -> None:
    feedback = presend_feedback(
        "Could we agree on a refund of half?", detector.score("Could we agree on a refund of half?")
    )
    assert not feedback.flagged and feedback.notes == []
    assert feedback.text == "This message reads as civil."


def test_a_draft_that_could_not_be_scored_says_so_instead_of_calling_it_civil(
    detector: IncivilityDetector,
) -> None:
    text = "Imaynallam kachkanki, wawqi?"
    score = detector.score(text, "qu")
    assert not score.scored
    feedback = presend_feedback(text, score, held=True)
    assert feedback.flagged
    assert feedback.text.startswith("This message could not be checked automatically. A mediator will be")
    assert "civil" not in presend_feedback(text, score).text
