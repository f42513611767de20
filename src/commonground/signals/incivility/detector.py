"""The incivility detector: a calibrated probability, per-category scores and the spans that drove them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from commonground.signals.incivility.features import Parsed, parse
from commonground.signals.incivility.lexicon import CATEGORIES
from commonground.signals.incivility.model import Artefact, LinearScorer
from commonground.signals.language import LanguageGuess, detect_language, language_of

DEFAULT_THRESHOLD: float = 0.47
"""Flag threshold chosen on the validation split (F1-optimal); equals the artefact's `threshold`."""

MODEL_SPAN = "toxicity"
"""Category of spans that come from the statistical model rather than from a lexicon."""

_CONTEXT_FREE = frozenset({"profanity"})
_MAX_MODEL_SPANS = 3
_MIN_SPAN_WORD = 4


@dataclass(frozen=True, slots=True)
class IncivilityScore:
    """How uncivil a message is.

    `categories` maps insult, profanity, identity_attack, threat and dismissive to 0-1: the strength of the
    lexicon evidence, weighed by the overall probability (profanity alone is context-free). `spans` are
    `(start, end, category)` character offsets into the message; category "toxicity" marks words the
    statistical model weighs heavily. A message without words (empty, emoji-only) scores 0. When
    `supported` is False the language is not one the detector knows: nothing is scored and `probability`
    is None, which callers must treat as "could not score", never as civil.
    """

    probability: float | None
    categories: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0.0))
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    lang: str | None = None
    supported: bool = True

    @property
    def scored(self) -> bool:
        """Whether the detector read the message (False: it could not score it)."""
        return self.probability is not None

    def flagged(self, threshold: float = DEFAULT_THRESHOLD) -> bool | None:
        """Whether the probability reaches `threshold`; None when the message could not be scored."""
        return None if self.probability is None else self.probability >= threshold


class IncivilityDetector:
    """Scores messages with the shipped artefact; cheap to call, load it once with `load()`."""

    def __init__(self, artefact: Artefact) -> None:
        self.artefact = artefact

    @classmethod
    def load(cls) -> IncivilityDetector:
        """The detector with the shipped artefact (loaded once per process)."""
        return _shipped()

    @property
    def version(self) -> str:
        """The artefact's version string."""
        return self.artefact.version

    def score(self, text: str, lang: str | None = None) -> IncivilityScore:
        """Score one message; `lang` (ISO 639-1) skips language detection."""
        return self.score_many([text], [lang])[0]

    def score_many(self, texts: list[str], langs: list[str | None] | None = None) -> list[IncivilityScore]:
        """Score a batch of messages; `langs`, when given, has one entry (or None: detect) per text."""
        if langs is None:
            langs = [None] * len(texts)
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        guesses = [
            detect_language(t) if lang is None else language_of(lang)
            for t, lang in zip(texts, langs, strict=True)
        ]
        results: list[IncivilityScore | None] = [
            None if guess.supported else IncivilityScore(None, lang=guess.lang, supported=False)
            for guess in guesses
        ]
        groups: dict[int, list[int]] = {}
        for i, guess in enumerate(guesses):
            if guess.supported:
                groups.setdefault(id(self.artefact.scorer(guess.candidates)), []).append(i)
        for indices in groups.values():
            scorer = self.artefact.scorer(guesses[indices[0]].candidates)
            parsed = [parse(texts[i], guesses[i].candidates) for i in indices]
            probabilities = np.where([bool(p.words) for p in parsed], scorer.probabilities(parsed), 0.0)
            for i, p, probability in zip(indices, parsed, probabilities, strict=True):
                results[i] = self._result(p, float(probability), guesses[i], scorer)
        return [r for r in results if r is not None]

    def _result(
        self, parsed: Parsed, probability: float, guess: LanguageGuess, scorer: LinearScorer
    ) -> IncivilityScore:
        weight = 0.5 + 0.5 * probability
        categories = dict.fromkeys(CATEGORIES, 0.0)
        if parsed.hits:
            for c, s in parsed.strengths().items():
                categories[c] = round(s if c in _CONTEXT_FREE else s * weight, 4)
        spans = [(h.start, h.end, h.category) for h in parsed.hits]
        if probability >= self.artefact.threshold:
            spans = sorted(spans + self._model_spans(parsed, scorer.word_weights(parsed.words), spans))
        return IncivilityScore(round(probability, 4), categories, spans, guess.lang, True)

    def _model_spans(
        self, parsed: Parsed, word_weights: np.ndarray, lexicon_spans: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """The words whose own weight alone marks them as uncivil, where no lexicon entry already did."""
        strongest = np.argsort(-word_weights)[:_MAX_MODEL_SPANS]
        spans = []
        for index in strongest:
            if word_weights[index] < self.artefact.attribution_floor:
                break
            start, end = parsed.word_spans[index]
            if len(parsed.words[index]) >= _MIN_SPAN_WORD and not any(
                s < end and start < e for s, e, _ in lexicon_spans
            ):
                spans.append((start, end, MODEL_SPAN))
        return spans


@cache
def _shipped() -> IncivilityDetector:
    return IncivilityDetector(Artefact.load())
