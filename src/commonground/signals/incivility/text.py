"""Text clean-up and tokenisation that keep character offsets into the original message.

Everything before tokenisation is length-preserving (markup, URLs and control characters become spaces,
letters are folded one-to-one), so a token's offsets in the folded text are offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_MARKUP = re.compile(r"<[^<>]{0,200}>|https?://\S+|www\.\S+|&[a-z]{2,6};|&#\d{1,6};")
_TOKEN = re.compile(r"[\w@$*]+")
_SPACED = re.compile(r"(?<![\w@$*])(?:[\w@$*][ .\-_,]){2,}[\w@$*](?![\w@$*])")
_SPACED_SEPARATORS = re.compile(r"[ .\-_,]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_ELONGATED = re.compile(r"(.)\1{2,}")
_DOUBLED = re.compile(r"(.)\1")
_LEET = str.maketrans("0134578@$", "oieastbas")
_LEET_CHARS = frozenset("0134578@$")
_EDGE = "*_"


class _Folding(dict[int, str]):
    """`str.translate` table built lazily: one folded character (lower case, no accent) per character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            folded = " "
        elif char in "ßẞ":
            folded = "s"
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            folded = base[0] if base else char.lower()[:1] or " "
        self[code] = folded
        return folded


_FOLDING = _Folding()
_new_token = tuple.__new__  # builds a Token without the Python-level constructor: tokenisation is hot


class Token(NamedTuple):
    """A word of the message: `form` is its canonical spelling, `start:end` its place in the original."""

    form: str
    start: int
    end: int
    raw: str


def fold(text: str) -> str:
    """Lower-case, accent-free copy of `text` with markup, URLs and control characters blanked.

    The result has exactly the length of `text`.
    """
    blanked = _MARKUP.sub(lambda m: " " * len(m.group()), text)
    return blanked.translate(_FOLDING)


@lru_cache(maxsize=1 << 16)
def canonical(word: str) -> str:
    """Spelling for look-ups: leetspeak undone, letters repeated three times or more cut to two.

    "id1ooot" -> "idioot"; `undoubled` then gives "idiot".
    """
    if not _LEET_CHARS.isdisjoint(word) and any(c.isalpha() for c in word):
        word = word.translate(_LEET)
    return _ELONGATED.sub(r"\1\1", word)


def undoubled(word: str) -> str:
    """`word` with doubled letters single ("stuupid" -> "stupid"), or itself when it has none."""
    return _DOUBLED.sub(r"\1", word)


def tokenize(folded: str) -> list[Token]:
    """Tokens of a folded text, with markdown emphasis stripped from their edges."""
    tokens = []
    for match in _TOKEN.finditer(folded):
        raw, start = match.group(), match.start()
        if raw[0] in _EDGE or raw[-1] in _EDGE:
            stripped = raw.strip(_EDGE)
            if not stripped:
                continue
            start += raw.index(stripped)
            raw = stripped
        tokens.append(_new_token(Token, (canonical(raw), start, start + len(raw), raw)))
    return tokens


def spaced_words(folded: str) -> list[Token]:
    """Letters written apart ("f u c k", "i.d.i.o.t") joined into candidate words."""
    return [
        Token(canonical(_SPACED_SEPARATORS.sub("", m.group())), m.start(), m.end(), m.group())
        for m in _SPACED.finditer(folded)
    ]


def model_text(text: str) -> str:
    """The text the sentence encoder reads: case-folded, markup and URLs dropped, letters written apart
    joined, leetspeak undone and stretched letters cut ("Y O U are an 1D1OOOT" -> "you are an idioot").

    Accents stay (the encoder knows them); offsets do not matter here.
    """
    plain = _CONTROL.sub(" ", _MARKUP.sub(" ", text)).casefold()
    plain = _SPACED.sub(lambda m: _SPACED_SEPARATORS.sub("", m.group()), plain)
    plain = _TOKEN.sub(lambda m: canonical(m.group()), plain)
    return " ".join(plain.split())
