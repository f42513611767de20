"""The fluency check: the holes a deleted word leaves, in four languages, and the English scorer."""

from __future__ import annotations

import pytest

from commonground.tasks import checks
from commonground.tasks.fluency import english_scorer, fluent, holes


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("And a, I want my money back NOW you", "en"),
        ("Such a bunch of.", "en"),
        ("i hate looking for.", "en"),
        ("if your.", "en"),
        ("Turns out the harvard study is.", "en"),
        ("Oh shut the up about bush already.", "en"),
        ('" i was told there would be ".', "en"),
        ("Tu es un et je veux mon argent.", "fr"),
        ("C'est vraiment une règle de.", "fr"),
        ("Halt die, deine Meinung interessiert keinen.", "de"),
        ("speziell das fette Altmaier-....", "de"),
        ("Si los y golpistas de izquierda no le hubieran hecho tanto daño.", "es"),
        ("Jueves con J de", "es"),
        ("Haha! I know right! I love d", "en"),
        ("?!", "en"),
    ],
)
def test_the_holes_of_deleted_words_are_found(text: str, lang: str) -> None:
    assert holes(text, lang)
    assert not fluent(text, lang, model=False).passed


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I want my money back now.", "en"),
        ("I know who you are.", "en"),
        ("What are you looking for?", "en"),
        ("Leave it as it is.", "en"),
        ("Allez, vas-y.", "fr"),
        ("The us is going to be led by an unsuitable person.", "en"),
        ("Le colis n'est jamais arrivé, et je pense que tu le sais.", "fr"),
        ("Das Paket war schon kaputt, als es ankam.", "de"),
        ("¿Podrías devolverme la fianza antes del viernes?", "es"),
    ],
)
def test_complete_sentences_pass(text: str, lang: str) -> None:
    assert holes(text, lang) == []
    assert fluent(text, lang).passed


def test_the_english_scorer_finds_what_the_rules_cannot() -> None:
    scorer = english_scorer()
    assert scorer is not None
    broken, whole = "give me the name of the store or off .", "give me the name of the store or get off ."
    assert holes(broken, "en") == []
    assert scorer.surprise(broken) < scorer.surprise(whole)
    verdicts = [fluent(text, "en") for text in (broken, whole)]
    assert [v.passed for v in verdicts] == [False, True]
    assert all(v.detail.startswith("surprise") for v in verdicts)


def test_the_check_says_when_only_the_rules_checked() -> None:
    verdict = checks.fluent("Ich möchte mein Geld jetzt zurück.", "de")
    assert verdict.name == "fluent" and verdict.passed and verdict.detail == "rules only"
    assert "hole" in checks.fluent("Du bist ein und ich will mein Geld.", "de").detail


def test_every_part_of_a_draft_or_summary_is_checked_in_its_language() -> None:
    parts = ["Jane and John disagree about the parcel.", "Le colis n'est jamais arrivé.", ""]
    assert checks.fluent_parts(parts).passed
    broken = checks.fluent_parts([*parts, "Could you both share the receipt of the?"])
    assert not broken.passed and "the?" in broken.detail and "Could you both" in broken.detail
    assert checks.fluent_parts([]).detail == "nothing to read"


def test_an_english_sentence_needs_a_verb() -> None:
    for text in (
        "So in short.",
        "so senselessly wasteful lives .",
        "What the mobsters controlling the government and doing the same thing.",
    ):
        verdict = fluent(text, "en")
        assert not verdict.passed and verdict.detail.startswith("no verb: ")
    for text in ("Please give me my money back.", "What a waste of money.", "Thanks for the help.", "No!"):
        assert fluent(text, "en").passed, text
    assert fluent("So in short.", "en", model=False).passed  # the rules alone do not parse
