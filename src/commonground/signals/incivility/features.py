"""From a message to model features: lexicon hits, model words, hashed word and character n-grams.

Inference needs numpy only. Word unigrams and bigrams and character 3- to 5-grams are hashed into fixed-size
blocks, binary and L2-normalised per block, as scikit-learn's HashingVectorizer would; the per-category
lexicon strengths are appended as dense features. Identity terms ("gay", "Muslim", "Black", ...) are left
out of the model's words, so the model cannot learn them as signs of incivility; slurs stay in the lexicons.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from commonground.signals.incivility.lexicon import CATEGORIES, Hit, load_lexicon
from commonground.signals.incivility.text import fold, spaced_words, tokenize

WORD_BITS = 18
CHAR_BITS = 19
CHAR_SIZES = (3, 4, 5)
N_HASHED = (1 << WORD_BITS) + (1 << CHAR_BITS)
_MENTION = "@user"
_HASH_MEMO = 1 << 18
_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the lexicons found in a message, and the words the statistical model sees."""

    hits: list[Hit]
    words: list[str]
    word_spans: list[tuple[int, int]]

    def strengths(self) -> dict[str, float]:
        """Per category, 1 - prod(1 - weight) over its hits: 0 without hits, near 1 with strong ones."""
        keep = {c: 1.0 for c in CATEGORIES}
        for hit in self.hits:
            keep[hit.category] *= 1.0 - hit.weight
        return {c: 1.0 - k for c, k in keep.items()}


def parse(text: str, langs: tuple[str, ...]) -> Parsed:
    """Match the lexicon of `langs` (most likely first) and build the words the statistical model sees."""
    folded = fold(text)
    tokens = tokenize(folded)
    lexicon = load_lexicon(langs or ("en",))
    spaced = [t for t in spaced_words(folded) if lexicon.lookup(t.form)]
    hits = sorted(lexicon.match(tokens) + lexicon.match(spaced), key=lambda h: (h.start, h.end))
    kept = [t for t in (*tokens, *spaced) if t.form not in lexicon.identities]
    words = [_MENTION if t.raw[0] == "@" and len(t.raw) > 3 else t.form for t in kept]
    return Parsed(_without_overlaps(hits), words, [(t.start, t.end) for t in kept])


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            if hit.weight > kept[-1].weight:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def lexicon_matrix(parsed: list[Parsed]) -> np.ndarray:
    """Dense (documents x categories) lexicon strengths."""
    rows = [list(p.strengths().values()) if p.hits else [0.0] * len(CATEGORIES) for p in parsed]
    return np.array(rows, dtype=np.float64).reshape(len(parsed), len(CATEGORIES))


class _WordHashes(dict[str, int]):
    """Memoised 32-bit CRC of each word seen."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _HASH_MEMO:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8", "replace"))
        return value


_WORD_HASHES = _WordHashes()


def word_hashes(words: list[str]) -> np.ndarray:
    """A stable 32-bit hash per word."""
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), np.uint64, len(words))


def hashed_features(parsed: list[Parsed]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse hashed features as (document, column, value) arrays; repeated columns add up.

    Each n-gram occurrence weighs 1/sqrt(n-grams of its block in the document).
    """
    word_doc, word_col = _word_ngrams(parsed)
    char_doc, char_col = _char_ngrams(parsed)
    values = []
    for doc in (word_doc, char_doc):
        counts = np.bincount(doc, minlength=len(parsed))
        values.append(1.0 / np.sqrt(np.maximum(counts, 1))[doc])
    docs = np.concatenate([word_doc, char_doc])
    cols = np.concatenate([word_col.astype(np.int64), char_col.astype(np.int64) + (1 << WORD_BITS)])
    return docs, cols, np.concatenate(values)


def _word_ngrams(parsed: list[Parsed]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(p.words) for p in parsed], dtype=np.int64)
    hashes = word_hashes([w for p in parsed for w in p.words])
    doc = np.repeat(np.arange(len(parsed)), lengths)
    same = doc[1:] == doc[:-1] if len(doc) else np.zeros(0, dtype=bool)
    bigrams = (hashes[:-1] * _PRIME + hashes[1:] * _MIX)[same] if len(doc) else hashes[:0]
    cols = np.concatenate([hashes, bigrams]) % np.uint64(1 << WORD_BITS)
    return np.concatenate([doc, doc[1:][same]]), cols


def _char_ngrams(parsed: list[Parsed]) -> tuple[np.ndarray, np.ndarray]:
    joined = "\x00".join(" " + " ".join(p.words) + " " for p in parsed)
    points = np.frombuffer(joined.encode("utf-32-le", "replace"), dtype=np.uint32).astype(np.uint64)
    separators = np.concatenate([[0], np.cumsum(points == 0)])
    docs, cols = [], []
    for size in CHAR_SIZES:
        count = len(points) - size + 1
        if count <= 0:
            continue
        hashed = np.full(count, size, dtype=np.uint64)
        for offset in range(size):
            hashed = hashed * _PRIME + points[offset : offset + count]
        inside = separators[size : size + count] == separators[:count]
        docs.append(separators[:count][inside])
        cols.append(((hashed * _MIX) >> np.uint64(40))[inside] % np.uint64(1 << CHAR_BITS))
    if not docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(docs).astype(np.int64), np.concatenate(cols)
