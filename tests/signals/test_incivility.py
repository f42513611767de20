"""The incivility detector with the shipped artefact: per-language behaviour, spans, bad input, fairness."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from commonground.evaluation.detection import identity_false_positive_rates
from commonground.signals.incivility import (
    CATEGORIES,
    DEFAULT_THRESHOLD,
    MODEL_SPAN,
    IncivilityDetector,
    IncivilityScore,
)
from commonground.signals.incivility import detector as detector_module
from commonground.signals.incivility.data import EVAL_SETS_DIR, split_of
from commonground.signals.incivility.encoder import embed
from commonground.signals.incivility.model import MODEL_DIR


@pytest.fixture(scope="module")
def detector() -> IncivilityDetector:
    return IncivilityDetector.load()


@pytest.fixture(scope="module")
def fast() -> IncivilityDetector:
    return IncivilityDetector.load("fast")


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
    assert score.probability is None or 0.0 <= score.probability <= 1.0


def test_random_unicode_never_crashes(detector: IncivilityDetector) -> None:
    rng = random.Random(0)
    texts = ["".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(80))) for _ in range(300)]
    texts += ["you idiot \udcff", "\ud800" * 5, "fu\u200bck you", "\u202eidiot"]
    for score in detector.score_many(texts):
        assert score.supported == score.scored
        assert score.probability is None or 0.0 <= score.probability <= 1.0


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


def test_a_language_no_model_covers_is_reported_and_not_scored(detector: IncivilityDetector) -> None:
    score = detector.score("Imaynallam kachkanki, wawqi?", lang="qu")
    assert (score.lang, score.supported, score.probability, score.spans) == ("qu", False, None, [])
    assert (score.scored, score.flagged()) == (False, None)


def test_the_fast_mode_scores_only_its_four_languages(fast: IncivilityDetector) -> None:
    assert fast.mode == "fast" and fast.score("You are a complete idiot.").flagged(fast.threshold)
    score = fast.score("Ты полный идиот, заткнись.")
    assert (score.lang, score.supported, score.probability) == ("ru", False, None)


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
    assert detector.version.startswith(header["version"] + "+e5.") and header["version"].startswith("2.")
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) < 5 * 2**20
    assert detector.threshold == pytest.approx(DEFAULT_THRESHOLD)
    assert IncivilityDetector.load("fast").threshold == pytest.approx(header["threshold"])


def test_identity_mentions_are_not_false_positives(detector: IncivilityDetector) -> None:
    rates = identity_false_positive_rates(
        lambda texts, _: [s.probability or 0.0 for s in detector.score_many(texts)], DEFAULT_THRESHOLD
    )
    assert rates and max(rates.values()) <= 0.1
    assert all(s.flagged() is False for s in detector.score_many([text for text, _ in CIVIL]))


EVAL_SETS = sorted(EVAL_SETS_DIR.glob("*.jsonl"))


def _civil_flags(detector: IncivilityDetector, path: Path) -> list[bool | None]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    civil = [row["text"] for row in rows if row["label"] == 0]
    assert len(civil) >= 30
    return [s.flagged() for s in detector.score_many(civil, [path.stem] * len(civil))]


def test_hand_written_civil_messages_raise_few_false_alarms(detector: IncivilityDetector) -> None:
    """At most 10 % of the civil messages of all hand-written sets flagged, and no language's set flagged
    for more than one civil message in five (a language the encoder reads badly shows here first)."""
    flags = {path.stem: _civil_flags(detector, path) for path in EVAL_SETS}
    assert len(flags) >= 13 and all(None not in f for f in flags.values())
    assert sum(map(sum, flags.values())) / sum(map(len, flags.values())) <= 0.1
    assert {lang: sum(f) / len(f) for lang, f in flags.items() if sum(f) / len(f) > 0.2} == {}


def test_the_split_is_fixed_by_the_text() -> None:
    assert split_of("same text") == split_of("same text")
    assert {split_of(f"message {i}") for i in range(100)} == {"train", "validation", "test"}


@pytest.mark.parametrize(
    "text",
    [
        "you are one sad little individual.",
        "you are thieves! you are pigs!",
        "shut up, you stupid clown",
        "Du bist so ein dummer Vollidiot.",
    ],
)
def test_shouting_never_changes_the_language_or_lowers_the_score(
    detector: IncivilityDetector, text: str
) -> None:
    quiet, shouted = detector.score(text), detector.score(text.upper())
    assert shouted.lang == quiet.lang and shouted.supported
    assert shouted.probability >= quiet.probability - 0.05
    assert shouted.flagged() == quiet.flagged()


@pytest.mark.parametrize(
    "text",
    [
        "you are an i d i o t",
        "y o u  a r e  a  l o s e r",
        "you are such a l0s3r and an 1d10t",
        "you are sooooo stuuuupid",
        "fu\u200bck you",
        "\u202eyou are an idiot",
        "ｙｏｕ ａｒｅ ａｎ ｉｄｉｏｔ",
    ],
)
def test_obfuscated_insults_stay_flagged(detector: IncivilityDetector, text: str) -> None:
    assert detector.score(text, lang="en").flagged()


def test_invisible_characters_do_not_change_the_reading_and_spans_point_into_the_original(
    detector: IncivilityDetector,
) -> None:
    plain, hidden = "you are an idiot", "\u202eyou are an id\u200biot"
    assert detector.score(hidden).lang == detector.score(plain).lang == "en"
    assert abs(detector.score(hidden).probability - detector.score(plain).probability) < 0.05
    spans = [(hidden[s:e], c) for s, e, c in detector.score(hidden).spans]
    assert ("id\u200biot", "insult") in spans


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Sei un idiota, stai zitto.", "it"),
        ("Ты полный идиот, заткнись.", "ru"),
        ("Ти повний ідіот, закрий рота.", "uk"),
        ("Você é um idiota e um mentiroso.", "pt"),
        ("Jesteś kompletnym idiotą.", "pl"),
        ("Je bent een stomme idioot.", "nl"),
    ],
)
def test_other_languages_are_scored_by_the_encoder(
    detector: IncivilityDetector, text: str, lang: str
) -> None:
    score = detector.score(text)
    assert (score.lang, score.supported) == (lang, True)
    assert score.flagged()


def test_an_insult_inside_a_long_civil_comment_is_found(detector: IncivilityDetector) -> None:
    civil = (
        "Thank you for the detailed summary of the council meeting. I read the minutes twice and I agree "
        "that "
        "the budget for the library should be discussed again next month. The numbers for the bus line look "
        "reasonable to me, and the timetable seems fair to everyone who commutes in the morning. "
    )
    assert not detector.score(civil * 3).flagged()
    assert detector.score(civil + "Honestly, you are a pathetic little moron. " + civil * 2).flagged()


def test_a_repeated_civil_sentence_stays_civil(detector: IncivilityDetector) -> None:
    text = "I would like to see the receipt. "
    assert detector.score(text).flagged() is False and detector.score(text * 12).flagged() is False


def _encoder_reads(monkeypatch: pytest.MonkeyPatch, detector: IncivilityDetector, text: str) -> bool:
    """Whether scoring `text` sends any window to the encoder."""
    read_by_encoder: list[str] = []

    def spy(texts: list[str]) -> np.ndarray:
        read_by_encoder.extend(texts)
        return embed(texts)

    monkeypatch.setattr(detector_module, "embed", spy)
    detector.score(text)
    return bool(read_by_encoder)


@pytest.mark.parametrize(
    "text",
    [
        "you are one sad little individual",
        "go back to where you came from, we don't want your kind here",
        "I know where you live and you will regret this",
        "Ты мне очень помог, спасибо.",
        "Merci pour votre réponse, c'est très clair.",
    ],
)
def test_insults_without_swear_words_and_untrained_languages_go_to_the_encoder(
    monkeypatch: pytest.MonkeyPatch, detector: IncivilityDetector, text: str
) -> None:
    assert _encoder_reads(monkeypatch, detector, text)


@pytest.mark.parametrize(
    "text", ["Thanks for the summary of the meeting.", "Shut the fuck up, you stupid fucking idiot."]
)
def test_the_lexical_model_decides_what_it_is_sure_of(
    monkeypatch: pytest.MonkeyPatch, detector: IncivilityDetector, text: str
) -> None:
    assert not _encoder_reads(monkeypatch, detector, text)
    assert detector.score(text).probability == IncivilityDetector.load("fast").score(text).probability


def test_an_insult_without_swear_words_is_flagged(detector: IncivilityDetector) -> None:
    assert detector.score("go back to where you came from, we don't want your kind here").flagged()


def test_a_wrong_language_hint_does_not_hide_an_insult(detector: IncivilityDetector) -> None:
    score = detector.score("You are a complete idiot and everyone knows it.", lang="es")
    assert (score.lang, score.flagged()) == ("en", True)


def test_a_hint_that_matches_the_detected_language_is_scored_once(
    monkeypatch: pytest.MonkeyPatch, detector: IncivilityDetector
) -> None:
    batches: list[int] = []
    scored = IncivilityDetector._scored

    def counted(self: IncivilityDetector, readings: list, guesses: list) -> list[IncivilityScore]:
        batches.append(len(readings))
        return scored(self, readings, guesses)

    monkeypatch.setattr(IncivilityDetector, "_scored", counted)
    detector.score_many(["You are a complete idiot.", "Eres un idiota."], ["en", "en"])
    assert batches == [3]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_language_the_mode_cannot_read_is_not_passed_as_civil_under_another_hint(mode: str) -> None:
    detector = IncivilityDetector.load(mode)  # type: ignore[arg-type]
    russian = detector.score("Спасибо, я согласен с вашим предложением.", "en")
    italian = detector.score("Grazie, sono d'accordo con la vostra proposta di ieri sera.", "en")
    for score in (russian, italian):  # fast cannot read them; accurate reads them too, the worse stands
        assert score.scored == (mode == "accurate")
    assert detector.score("ok", "en").scored and detector.score("thanks!", "en").scored
    assert detector.score("You are a pathetic idiot.", "de").flagged(detector.threshold)
