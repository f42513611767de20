"""One reading of a message for every detector: Unicode NFKC, without invisible format characters.

Bidirectional overrides (U+202E), zero-width spaces and joiners, soft hyphens and other format characters
(Unicode category Cf) change nothing a reader sees but everything a model sees: they are dropped.
Compatibility forms (full-width letters, mathematical bold or script letters, ligatures) become the plain
letters they look like. The language decision and the incivility score both read this text, and `offsets`
map it back to the original, so character spans still point into what the author wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Reading:
    """The normalised text; `offsets[i]` is the index in the original of character `i` (None: identical)."""

    text: str
    offsets: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that characters `start:end` of the reading came from."""
        if self.offsets is None or start >= end:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=1 << 16)
def _normalized_char(char: str) -> str:
    if unicodedata.category(char) == "Cf":
        return ""
    return unicodedata.normalize("NFKC", char)


def read(text: str) -> Reading:
    """The reading of `text` (the same object's text for plain ASCII, the common case)."""
    if text.isascii():
        return Reading(text)
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        normalized = _normalized_char(char)
        pieces.append(normalized)
        offsets.extend([index] * len(normalized))
    return Reading("".join(pieces), tuple(offsets))
