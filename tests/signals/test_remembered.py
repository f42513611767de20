"""The remembering detector: the same scores as the detector it wraps, each (text, hint) read once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from commonground.signals.incivility import IncivilityDetector
from commonground.signals.incivility.remembered import RememberingDetector

TEXTS = ["You are a pathetic idiot.", "Could we look at the photos together?", "Tu es un imbécile."]


class Counting(IncivilityDetector):
    """Counts the texts that reach its models."""

    read: int = 0

    def _scored(self, readings, guesses):  # type: ignore[no-untyped-def]
        self.read += len(readings)
        return super()._scored(readings, guesses)


@pytest.fixture(scope="module")
def fast() -> IncivilityDetector:
    return IncivilityDetector.load("fast")


def test_scores_are_those_of_the_wrapped_detector(fast: IncivilityDetector) -> None:
    remembering = RememberingDetector(fast)
    langs = ["en", None, "fr"]
    assert remembering.score_many(TEXTS, langs) == fast.score_many(TEXTS, langs)
    assert remembering.score_many(TEXTS, langs) == fast.score_many(TEXTS, langs)
    assert remembering.score(TEXTS[0]) == fast.score(TEXTS[0])
    assert (remembering.mode, remembering.threshold, remembering.version, remembering.cascade) == (
        fast.mode,
        fast.threshold,
        fast.version,
        fast.cascade,
    )


def test_each_text_and_hint_is_read_once_within_the_memory(fast: IncivilityDetector) -> None:
    counting = Counting(fast.artefact, fast.encoder, fast.cascade)
    remembering = RememberingDetector(counting, size=2)
    remembering.score_many([TEXTS[0], TEXTS[0]], ["en", "en"])
    first = counting.read
    assert first > 0
    remembering.score(TEXTS[0], "en")
    assert counting.read == first
    remembering.score(TEXTS[0], "fr")  # another hint is another reading
    remembering.score(TEXTS[1])  # pushes ("…idiot", "en") out of a memory of two
    before = counting.read
    remembering.score(TEXTS[0], "en")
    assert counting.read > before


def test_threads_share_it_safely(fast: IncivilityDetector) -> None:
    remembering = RememberingDetector(fast, size=3)
    texts = [f"{text} {i}" for i in range(40) for text in TEXTS]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(remembering.score, texts))
    assert results == fast.score_many(texts)


def test_languages_must_match_the_texts(fast: IncivilityDetector) -> None:
    with pytest.raises(ValueError, match="2 texts but 1 languages"):
        RememberingDetector(fast).score_many(TEXTS[:2], ["en"])
