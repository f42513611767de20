"""A detector that remembers its recent scores: a draft checked, then posted, is read once."""

from __future__ import annotations

from commonground.core.recent import Recent
from commonground.signals.incivility.detector import IncivilityDetector, IncivilityScore

REMEMBERED = 4096
"""Scores kept, least recently used out first."""


class RememberingDetector(IncivilityDetector):
    """The same scores as `detector` (which scores what is not remembered, its own overrides included),
    the last `size` (text, language hint) pairs answered from memory.

    Safe to share between threads; a pair scored by two threads at once is scored twice, never wrongly.
    """

    def __init__(self, detector: IncivilityDetector, size: int = REMEMBERED) -> None:
        super().__init__(detector.artefact, detector.encoder, detector.cascade)
        self._detector = detector
        self._scores: Recent[tuple[str, str | None], IncivilityScore] = Recent(size)

    def score_many(self, texts: list[str], langs: list[str | None] | None = None) -> list[IncivilityScore]:
        langs = [None] * len(texts) if langs is None else langs
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        return self._scores(list(zip(texts, langs, strict=True)), self._fresh)

    def _fresh(self, keys: list[tuple[str, str | None]]) -> list[IncivilityScore]:
        return self._detector.score_many([text for text, _ in keys], [lang for _, lang in keys])
