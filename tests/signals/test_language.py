"""Language detection: supported languages, unsupported ones reported, no-letter texts, speed."""

from __future__ import annotations

import pytest

from commonground.signals.language import detect_language, language_of, normalize_code, reads_as


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I really appreciate the time you took to explain this.", "en"),
        ("Je ne suis pas d'accord avec cette proposition.", "fr"),
        ("Ich finde den neuen Fahrplan eigentlich ganz gut.", "de"),
        ("No estoy de acuerdo con tu propuesta, pero la respeto.", "es"),
    ],
)
def test_supported_languages_are_detected(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert (guess.lang, guess.supported) == (lang, True)
    assert guess.candidates[0] == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Я не согласен с этим предложением.", "ru"), ("Non sono d'accordo con questa proposta.", "it")],
)
def test_unsupported_languages_are_reported_not_guessed(text: str, lang: str) -> None:
    guess = detect_language(text)
    assert (guess.lang, guess.supported, guess.candidates) == (lang, False, ())


@pytest.mark.parametrize("text", ["", "   \n\t", "😀🔥👍", "12345 !!!", "<br/><hr>"])
def test_text_without_letters_has_no_language(text: str) -> None:
    assert detect_language(text).lang is None


def test_lone_surrogates_and_control_characters_are_ignored() -> None:
    assert detect_language("I think \udcff this is\x00 a fair\r\n point \ud800 overall.").lang == "en"


def test_a_hesitant_guess_keeps_every_supported_candidate() -> None:
    guess = detect_language("Ta gueule connard")
    assert guess.supported
    assert "fr" in guess.candidates


def test_given_codes_are_normalised() -> None:
    assert normalize_code("en-US") == "en"
    assert normalize_code(" DE_at ") == "de"
    assert language_of("fr-CA").candidates == ("fr",)
    assert language_of("ru").supported is False


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("J'ai acheté votre appareil photo pour 350 dollars.", "fr", True),
        ("J'ai acheté votre appareil photo pour 350 dollars.", "en", False),
        ("I bought your camera for 350 dollars.", "fr", False),
        ("Ich habe die Kamera bezahlt.", "de-AT", True),
        ("Tu es nul", "fr", True),  # first guess Romanian, French third: short texts are read leniently
        ("Genau so", "de", True),
        ("350 $ !!!", "fr", None),
    ],
)
def test_reads_as_checks_long_texts_strictly_and_short_ones_leniently(
    text: str, lang: str, expected: bool | None
) -> None:
    assert reads_as(text, lang) is expected
