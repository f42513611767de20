"""The incivility detector: a calibrated probability, per-category scores and the spans that drove them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from commonground.signals.incivility.encoder import (
    COVERED_LANGUAGES,
    MAX_WINDOWS,
    EncoderHead,
    embed,
    windows,
)
from commonground.signals.incivility.features import Parsed, parse
from commonground.signals.incivility.lexicon import CATEGORIES
from commonground.signals.incivility.model import Artefact
from commonground.signals.language import LanguageGuess, detect_language, language_of
from commonground.signals.reading import Reading, read

Mode = Literal["accurate", "fast"]

DEFAULT_THRESHOLD: float = 0.63
"""Flag threshold of the accurate mode, chosen on the validation split (highest recall at <= 8 % false
alarms); equals the encoder head's `threshold`. The fast mode has its own (`IncivilityDetector.threshold`)."""

MODEL_SPAN = "toxicity"
"""Category of spans that come from the statistical model rather than from a lexicon."""

_SECOND_PERSON = frozenset(
    "you your yours yourself yourselves youre ya u ur "  # noqa: SIM905 - a word list reads best as one string
    "du dich dir dein deine deinen deinem deiner deines euch euer eure euren eurem eurer".split()
)
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


UNREADABLE_CONFIDENCE = 0.9
"""Language identification confidence from which a text reads as another language than its hint."""


@dataclass(frozen=True, slots=True)
class Cascade:
    """When the lexical model alone decides a message in a language it was trained on, sparing the encoder.

    Uncivil when its probability is above `ceiling`; civil when it is below the civil floor in the message
    and in each of its windows. The floor is `addressed_floor` for a message that speaks to someone (second
    person) or matches a lexicon entry: insults without swear words ("you are one sad little individual")
    are what the lexical model misses. The shipped values were chosen on the validation split
    (`bench/eval_cascade.py`): 71 % of its English and German messages are decided so, 6 of its 4,987
    uncivil ones lose their flag (recall 0.905 to 0.904) and no civil one gains a false alarm.
    """

    floor: float = 0.2
    addressed_floor: float = 0.1
    ceiling: float = 0.9

    def decides(self, parsed: Parsed, lexical: float, window_lexical: np.ndarray) -> bool:
        """Whether the lexical model's `lexical` probability of a message (and `window_lexical`, that of each
        of its windows when it has several) settles it."""
        if lexical > self.ceiling:
            return True
        addressed = bool(parsed.hits) or not _SECOND_PERSON.isdisjoint(parsed.words)
        floor = self.addressed_floor if addressed else self.floor
        return lexical < floor and bool(np.all(window_lexical < floor))


class IncivilityDetector:
    """Scores messages; cheap to call, load it once with `load()`.

    `mode="accurate"` (the default) reads messages with the multilingual encoder and blends it with the
    lexical model where that model was trained (English, German): about a hundred languages are scored. In
    those two languages the lexical model alone decides the messages it is sure of (`cascade`; None: the
    encoder reads every message); the encoder reads the rest and every other language.
    `mode="fast"` uses the lexical model alone (thousands of messages per second) and scores English,
    German, French and Spanish only; a message in another language is returned unscored.
    """

    def __init__(
        self, artefact: Artefact, encoder: EncoderHead | None = None, cascade: Cascade | None = Cascade()
    ) -> None:
        self.artefact = artefact
        self.encoder = encoder
        self.cascade = cascade

    @classmethod
    def load(cls, mode: Mode = "accurate") -> IncivilityDetector:
        """The detector with the shipped models (loaded once per process)."""
        if mode not in ("accurate", "fast"):
            raise ValueError(f"unknown detector mode {mode!r}: accurate or fast")
        return _shipped(mode)

    @property
    def mode(self) -> Mode:
        """`accurate` (encoder and lexical model) or `fast` (lexical model only)."""
        return "fast" if self.encoder is None else "accurate"

    @property
    def version(self) -> str:
        """The models' version: the lexical artefact's, and in accurate mode the encoder head's digest."""
        return (
            self.artefact.version
            if self.encoder is None
            else f"{self.artefact.version}+e5.{self.encoder.digest}"
        )

    @property
    def threshold(self) -> float:
        """The flag threshold of this mode (chosen on validation)."""
        return self.artefact.threshold if self.encoder is None else self.encoder.threshold

    def score(self, text: str, lang: str | None = None) -> IncivilityScore:
        """Score one message; `lang` (ISO 639-1) is a hint, as in `score_many`."""
        return self.score_many([text], [lang])[0]

    def score_many(self, texts: list[str], langs: list[str | None] | None = None) -> list[IncivilityScore]:
        """Score a batch of messages; `langs`, when given, has one entry (or None: detect) per text.

        A given language is a hint (the author's reading language, say), not a promise: a text that reads as
        another language is scored in that one too, and the worse score stands. A text that surely reads as
        a language this mode cannot score is returned unscored unless the hinted reading flags it: Russian
        from an English reader is not passed as civil English.
        """
        if langs is None:
            langs = [None] * len(texts)
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        readings = [read(t) for t in texts]
        detected = [detect_language(r.text) for r in readings]
        guesses = [d if lang is None else language_of(lang) for d, lang in zip(detected, langs, strict=True)]
        other = [i for i, (d, g) in enumerate(zip(detected, guesses, strict=True)) if d.lang != g.lang]
        scores = self._scored(readings + [readings[i] for i in other], guesses + [detected[i] for i in other])
        for i, alternative in zip(other, scores[len(texts) :], strict=True):
            unreadable = alternative.probability is None and detected[i].confidence >= UNREADABLE_CONFIDENCE
            if _worse(alternative, scores[i]) or (unreadable and not scores[i].flagged(self.threshold)):
                scores[i] = alternative
        return scores[: len(texts)]

    def _scored(self, readings: list[Reading], guesses: list[LanguageGuess]) -> list[IncivilityScore]:
        parsed = [parse(r.text, g.candidates) for r, g in zip(readings, guesses, strict=True)]
        lexical = self._lexical(parsed, guesses)
        encoded = self._encoded(readings, parsed, guesses, lexical)
        results = []
        for reading, p, guess, lex, enc in zip(readings, parsed, guesses, lexical, encoded, strict=True):
            probability = self._combined(p, guess, lex, enc)
            if probability is None:
                results.append(IncivilityScore(None, lang=guess.lang, supported=False))
            else:
                results.append(self._result(reading, p, probability, guess))
        return results

    def _lexical(self, parsed: list[Parsed], guesses: list[LanguageGuess]) -> list[float | None]:
        """The lexical model's probability of each message it covers (None elsewhere)."""
        out: list[float | None] = [None] * len(parsed)
        groups: dict[int, list[int]] = {}
        for i, guess in enumerate(guesses):
            if guess.supported:
                groups.setdefault(id(self.artefact.scorer(guess.candidates)), []).append(i)
        for indices in groups.values():
            scorer = self.artefact.scorer(guesses[indices[0]].candidates)
            for i, probability in zip(
                indices, scorer.probabilities([parsed[i] for i in indices]), strict=True
            ):
                out[i] = float(probability)
        return out

    def _encoded(
        self,
        readings: list[Reading],
        parsed: list[Parsed],
        guesses: list[LanguageGuess],
        lexical: list[float | None],
    ) -> list[float | None]:
        """The encoder's worst-window probability of each message it reads (None elsewhere): those it
        covers that the lexical model is not sure of."""
        out: list[float | None] = [None] * len(readings)
        if self.encoder is None:
            return out
        owners, texts = [], []
        for i, (reading, p, guess, lex) in enumerate(zip(readings, parsed, guesses, lexical, strict=True)):
            if p.words and (guess.lang is None or guess.lang in COVERED_LANGUAGES):
                every = windows(reading.text, limit=None)
                window_lexical = self._window_lexical(every, guess)
                if not self._lexically_sure(p, guess, lex, window_lexical):
                    for window in _worst_windows(every, window_lexical):
                        owners.append(i)
                        texts.append(window)
        probabilities = self.encoder.probabilities(embed(texts)) if texts else np.zeros(0)
        for i, probability in zip(owners, probabilities, strict=True):
            previous = out[i]
            out[i] = float(probability) if previous is None else max(previous, float(probability))
        return out

    def _window_lexical(self, every: list[str], guess: LanguageGuess) -> np.ndarray:
        """The lexical probability of each window of a message that has several (empty otherwise)."""
        if len(every) <= 1:
            return np.zeros(0)
        return self.artefact.scorer(guess.candidates).probabilities(
            [parse(w, guess.candidates) for w in every]
        )

    def _lexically_sure(
        self, parsed: Parsed, guess: LanguageGuess, lexical: float | None, window_lexical: np.ndarray
    ) -> bool:
        """Whether the cascade lets the lexical model alone decide a message (in a language it was trained
        on)."""
        if self.cascade is None or lexical is None or guess.lang not in self.artefact.trained_languages:
            return False
        return self.cascade.decides(parsed, lexical, window_lexical)

    def _combined(
        self, parsed: Parsed, guess: LanguageGuess, lexical: float | None, encoded: float | None
    ) -> float | None:
        """The message's probability: 0 without words, else the blend, one model alone, or None."""
        if not parsed.words:
            return 0.0 if lexical is not None or self.encoder is not None else None
        if encoded is None or self.encoder is None:
            return lexical
        if lexical is not None:
            return float(self.encoder.blended(np.array([encoded]), np.array([lexical]))[0])
        return encoded

    def _result(
        self, reading: Reading, parsed: Parsed, probability: float, guess: LanguageGuess
    ) -> IncivilityScore:
        weight = 0.5 + 0.5 * probability
        categories = dict.fromkeys(CATEGORIES, 0.0)
        if parsed.hits:
            for c, s in parsed.strengths().items():
                categories[c] = round(s if c in _CONTEXT_FREE else s * weight, 4)
        spans = [(h.start, h.end, h.category) for h in parsed.hits]
        if probability >= self.threshold and guess.supported:
            scorer = self.artefact.scorer(guess.candidates)
            spans = sorted(spans + self._model_spans(parsed, scorer.word_weights(parsed.words), spans))
        spans = [(*reading.original_span(start, end), category) for start, end, category in spans]
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
def _shipped(mode: Mode) -> IncivilityDetector:
    artefact = Artefact.load()
    return IncivilityDetector(artefact, EncoderHead.load() if mode == "accurate" else None)


def _worst_windows(every: list[str], window_lexical: np.ndarray) -> list[str]:
    """The windows the encoder reads of all of a message's (`every`): past `MAX_WINDOWS`, those the lexical
    model finds worst (`window_lexical`)."""
    if len(every) <= MAX_WINDOWS:
        return every
    keep = sorted(np.argsort(-window_lexical, kind="stable")[:MAX_WINDOWS])
    return [every[i] for i in keep]


def _worse(score: IncivilityScore, than: IncivilityScore) -> bool:
    """Whether `score` is the more uncivil reading. A hint the detector cannot score stays unscored: a
    guess at another language would read it as civil."""
    if score.probability is None or than.probability is None:
        return False
    return score.probability > than.probability
