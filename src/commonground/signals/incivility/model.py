"""The shipped artefact: linear weights in a compressed .npz, everything else in a JSON file beside it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from commonground.core.errors import ConfigError
from commonground.signals.incivility.features import (
    N_HASHED,
    WORD_BITS,
    Parsed,
    hashed_features,
    lexicon_matrix,
    word_hashes,
)

MODEL_DIR = Path(__file__).parent / "model"
ARTEFACT_NAME = "incivility"


@dataclass(frozen=True)
class LinearScorer:
    """Logistic scorer over hashed n-grams (optional) and lexicon strengths, Platt-calibrated."""

    lexical: np.ndarray
    intercept: float
    slope: float
    offset: float
    hashed: np.ndarray | None = None

    def decision(self, parsed: list[Parsed]) -> np.ndarray:
        """Uncalibrated linear scores."""
        scores = lexicon_matrix(parsed) @ self.lexical + self.intercept
        if self.hashed is not None and parsed:
            docs, cols, values = hashed_features(parsed)
            scores += np.bincount(docs, weights=self.hashed[cols] * values, minlength=len(parsed))
        return scores

    def probabilities(self, parsed: list[Parsed]) -> np.ndarray:
        """Calibrated probabilities that each message is uncivil."""
        return 1.0 / (1.0 + np.exp(-(self.slope * self.decision(parsed) + self.offset)))

    def word_weights(self, words: list[str]) -> np.ndarray:
        """The unigram weight of each word (zeros for a lexicon-only scorer)."""
        if self.hashed is None:
            return np.zeros(len(words))
        return self.hashed[(word_hashes(words) % np.uint64(1 << WORD_BITS)).astype(np.int64)]


@dataclass(frozen=True)
class Artefact:
    """The statistical model: a full scorer for trained languages, a lexicon-only one for the others."""

    version: str
    full: LinearScorer
    lexical_only: LinearScorer
    trained_languages: frozenset[str]
    threshold: float
    attribution_floor: float
    meta: dict[str, Any] = field(default_factory=dict)

    def scorer(self, langs: tuple[str, ...]) -> LinearScorer:
        """The scorer for a message that may be in `langs`: the full one when any of them was trained on
        (or when the message has no letters, `langs` empty), else the lexicon-only one."""
        if not langs or not self.trained_languages.isdisjoint(langs):
            return self.full
        return self.lexical_only

    def save(self, directory: Path = MODEL_DIR) -> None:
        """Write `<directory>/incivility.npz` and `incivility.json`."""
        if self.full.hashed is None:
            raise ValueError("the full scorer has no n-gram weights")
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / f"{ARTEFACT_NAME}.npz",
            hashed=self.full.hashed.astype(np.float16),
            full_lexical=self.full.lexical,
            lexical_only=self.lexical_only.lexical,
        )
        header = {
            "version": self.version,
            "trained_languages": sorted(self.trained_languages),
            "threshold": self.threshold,
            "attribution_floor": self.attribution_floor,
            "full": _scalars(self.full),
            "lexical_only": _scalars(self.lexical_only),
            "n_hashed": N_HASHED,
            **self.meta,
        }
        (directory / f"{ARTEFACT_NAME}.json").write_text(
            json.dumps(header, indent=2) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> Artefact:
        """Read an artefact written by `save`."""
        try:
            header = json.loads((directory / f"{ARTEFACT_NAME}.json").read_text(encoding="utf-8"))
            with np.load(directory / f"{ARTEFACT_NAME}.npz") as arrays:
                hashed = arrays["hashed"].astype(np.float64)
                full_lexical, lexical_only = arrays["full_lexical"], arrays["lexical_only"]
        except (OSError, ValueError, KeyError) as error:
            raise ConfigError(f"the incivility model in {directory} is missing or corrupt: {error}") from None
        if header.get("n_hashed") != N_HASHED or hashed.shape != (N_HASHED,):
            raise ConfigError(
                f"the incivility model in {directory} was built with other features; retrain it"
            )
        known = {"version", "trained_languages", "threshold", "attribution_floor", "full", "lexical_only"}
        return cls(
            version=header["version"],
            full=LinearScorer(full_lexical, **header["full"], hashed=hashed),
            lexical_only=LinearScorer(lexical_only, **header["lexical_only"]),
            trained_languages=frozenset(header["trained_languages"]),
            threshold=header["threshold"],
            attribution_floor=header["attribution_floor"],
            meta={k: v for k, v in header.items() if k not in known},
        )


def _scalars(scorer: LinearScorer) -> dict[str, float]:
    return {"intercept": scorer.intercept, "slope": scorer.slope, "offset": scorer.offset}
