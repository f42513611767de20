"""The incivility detector with the shipped artefact: per-language behaviour, spans, bad input, fairness."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from commonground.evaluation.classification import false_positive_rate
from commonground.evaluation.detection import identity_false_positive_rates
from commonground.signals.incivility import (
    CATEGORIES,
    DEFAULT_THRESHOLD,
    MODEL_SPAN,
    IncivilityDetector,
    IncivilityScore,
)
from commonground.signals.incivility.data import load_examples, split_of
from commonground.signals.incivility.model import MODEL_DIR


@pytest.fixture(scope="module")
def detector() -> IncivilityDetector:
    return IncivilityDetector.load()


UNCIVIL = [
    ("You are a complete idiot and everyone knows it.", "en"),
    ("Shut the fuck up, nobody asked you.", "en"),
    ("Du bist so ein dummer Vollidiot.", "de"),
    ("Halt die Fresse, du Wichser.", "de"),
    ("Ferme ta gueule, espèce de connard.", "fr"),
    ("T'es vraiment un abruti fini.", "fr"),
    ("Eres un idiota y un mentiroso.", "es"),
    ("Vete a la mierda, imbécil.", "es"),
]
CIVIL = [
    ("Thanks for explaining, I see your point now.", "en"),
    ("I disagree, but the data you shared is useful.", "en"),
    ("Danke für die ausführliche Antwort, das hilft mir.", "de"),
    ("Ich sehe das anders, aber dein Argument ist nachvollziehbar.", "de"),
    ("Merci pour votre réponse, c'est très clair.", "fr"),
    ("Je ne suis pas d'accord, mais je respecte votre avis.", "fr"),
    ("Gracias por tu respuesta, me ha ayudado mucho.", "es"),
    ("No estoy de acuerdo, pero entiendo tu punto de vista.", "es"),
]


@pytest.mark.parametrize(("text", "lang"), UNCIVIL)
def test_uncivil_messages_are_flagged(detector: IncivilityDetector, text: str, lang: str) -> None:
    score = detector.score(text)
    assert (score.lang, score.supported) == (lang, True)
    assert score.probability >= DEFAULT_THRESHOLD
    assert score.spans


@pytest.mark.parametrize(("text", "lang"), CIVIL)
def test_civil_messages_are_not_flagged(detector: IncivilityDetector, text: str, lang: str) -> None:
    score = detector.score(text)
    assert (score.lang, score.supported) == (lang, True)
    assert score.probability < DEFAULT_THRESHOLD
    assert [s for s in score.spans if s[2] != "dismissive"] == []


def test_spans_point_at_the_offending_words(detector: IncivilityDetector) -> None:
    text = "Honestly, you are a moron and this is bullshit."
    score = detector.score(text)
    found = {(text[start:end], category) for start, end, category in score.spans}
    assert {("moron", "insult"), ("bullshit", "profanity")} <= found
    assert score.categories["insult"] > 0.5
    assert score.categories["profanity"] > 0.5


@pytest.mark.parametrize(
    ("text", "word", "category"),
    [
        ("you are an id1ot", "id1ot", "insult"),
        ("f u c k you", "f u c k", "profanity"),
        ("what a f*cking joke", "f*cking", "profanity"),
        ("you are such a m0r0n", "m0r0n", "insult"),
        ("shuuuut up, you stuuupid clown", "stuuupid", "insult"),
        ("this is $hit", "$hit", "profanity"),
    ],
)
def test_leetspeak_and_spaced_out_words_are_caught(
    detector: IncivilityDetector, text: str, word: str, category: str
) -> None:
    score = detector.score(text, lang="en")
    assert (text.index(word), text.index(word) + len(word), category) in score.spans
    assert score.probability >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I will kill you if you come back here.", "threat"),
        ("Go back to your country, you filthy animals.", "identity_attack"),
        ("Whatever, nobody cares, educate yourself.", "dismissive"),
    ],
)
def test_categories_follow_the_kind_of_incivility(
    detector: IncivilityDetector, text: str, category: str
) -> None:
    score = detector.score(text)
    assert max(score.categories, key=score.categories.__getitem__) == category
    assert any(c == category for _, _, c in score.spans)


def test_html_and_markdown_keep_offsets_into_the_original(detector: IncivilityDetector) -> None:
    text = "<p>You are <b>**stupid**</b>, see https://example.org/idiot</p>"
    score = detector.score(text)
    assert [(text[s:e], c) for s, e, c in score.spans if c != MODEL_SPAN] == [("stupid", "insult")]


@pytest.mark.parametrize("text", ["", "   \n\t  ", "😀😂👍🔥", "\x00\x01\x02\x7f\ufffd\udcff", "... !!! ???"])
def test_texts_without_words_score_zero(detector: IncivilityDetector, text: str) -> None:
    score = detector.score(text)
    assert score == IncivilityScore(0.0, lang=None)
    assert set(score.categories) == set(CATEGORIES)


def test_numbers_alone_score_low(detector: IncivilityDetector) -> None:
    assert detector.score("12345 67 2024").probability < DEFAULT_THRESHOLD


def test_binary_junk_gets_a_clear_result(detector: IncivilityDetector) -> None:
    junk = bytes(range(256)).decode("latin-1") * 40
    score = detector.score(junk)
    assert 0.0 <= score.probability <= 1.0


def test_random_unicode_never_crashes(detector: IncivilityDetector) -> None:
    rng = random.Random(0)
    texts = ["".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(80))) for _ in range(300)]
    texts += ["you idiot \udcff", "\ud800" * 5, "fu\u200bck you", "\u202eidiot"]
    for score in detector.score_many(texts):
        assert 0.0 <= score.probability <= 1.0


def test_a_one_megabyte_message_is_scored_with_offsets_into_it(detector: IncivilityDetector) -> None:
    text = "The committee met on Tuesday to discuss the budget. " * 20_000 + "You are an idiot."
    assert len(text) > 1_000_000
    score = detector.score(text, lang="en")
    offset = text.index("idiot")
    assert (offset, offset + 5, "insult") in score.spans


def test_mixed_languages_match_both_lexicons(detector: IncivilityDetector) -> None:
    text = "Du bist so ein fucking Idiot, echt."
    score = detector.score(text)
    assert score.lang == "de"
    assert {c for _, _, c in score.spans} >= {"profanity", "insult"}
    assert score.probability >= DEFAULT_THRESHOLD


def test_unsupported_language_is_reported_and_not_scored(detector: IncivilityDetector) -> None:
    score = detector.score("Ты полный идиот, заткнись.")
    assert (score.lang, score.supported, score.probability, score.spans) == ("ru", False, None, [])
    assert (score.scored, score.flagged()) == (False, None)
    assert detector.score("you idiot", lang="it").supported is False


def test_given_language_skips_detection(detector: IncivilityDetector) -> None:
    assert detector.score("con", lang="fr").lang == "fr"
    assert detector.score("Du Idiot", lang="de-AT").lang == "de"


def test_score_many_matches_score(detector: IncivilityDetector) -> None:
    texts = [t for t, _ in UNCIVIL + CIVIL] + ["Я тебя ненавижу", ""]
    assert detector.score_many(texts) == [detector.score(t) for t in texts]
    with pytest.raises(ValueError, match="languages"):
        detector.score_many(["a", "b"], ["en"])


def test_load_is_cached_and_the_artefact_is_small_and_versioned(detector: IncivilityDetector) -> None:
    assert IncivilityDetector.load() is detector
    header = json.loads((MODEL_DIR / "incivility.json").read_text())
    assert header["version"] == detector.version and detector.version.startswith("1.")
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) < 5 * 2**20
    assert header["threshold"] == pytest.approx(DEFAULT_THRESHOLD)


def test_the_held_out_split_is_fixed_and_does_not_leak(test_data: Path) -> None:
    examples = load_examples(test_data)
    trained = {e.text for e in examples if e.split != "test"}
    test = [e for e in examples if e.split == "test"]
    assert {e.lang for e in test} == {"en", "de", "fr", "es"}
    assert sum(e.text in trained for e in test) / len(test) < 0.01
    assert split_of("same text") == split_of("same text")


def test_probabilities_are_calibrated_on_held_out_data(detector: IncivilityDetector, test_data: Path) -> None:
    test = [e for e in load_examples(test_data) if e.split == "test" and e.lang == "en"]
    scores = detector.score_many([e.text for e in test], ["en"] * len(test))
    for low, high in ((0.0, 0.2), (0.8, 1.01)):
        labels = [e.label for e, s in zip(test, scores, strict=True) if low <= s.probability < high]
        assert abs(sum(labels) / len(labels) - (low + high) / 2) < 0.15


def test_identity_mentions_are_not_false_positives(detector: IncivilityDetector, test_data: Path) -> None:
    civil = [e for e in load_examples(test_data) if e.split == "test" and e.label == 0]
    scores = [s.probability for s in detector.score_many([e.text for e in civil])]
    overall = false_positive_rate([0] * len(scores), scores, DEFAULT_THRESHOLD)
    rates = identity_false_positive_rates(
        lambda texts, _: [s.probability for s in detector.score_many(texts)], DEFAULT_THRESHOLD
    )
    assert sum(rates.values()) / len(rates) <= 1.5 * overall
