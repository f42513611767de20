"""Rephrasing quality, the ParaDetox protocol made offline: STA, SIM, FL and J = mean(STA·SIM·FL).

- STA (style transfer accuracy), soft: 1 − the project's incivility probability of the output (0 for an
  output the detector could not score).
- SIM (meaning kept): the multilingual-e5-small cosine of input and output, rescaled so that the median
  cosine of unrelated sentence pairs (0.79) maps to 0 and the median of human ParaDetox rewrites (0.93) to 1,
  clipped to [0, 1]. The raw cosine is reported beside it.
- FL (fluency): the mean per-token log-likelihood of the output under SmolLM2-135M, rescaled so that the 5th
  percentile of human-written neutral references maps to 0 and their median to 1, clipped to [0, 1]. The
  references come from the ParaDetox training split, so the scale never sees evaluated items. Likelihood
  rewards loops ("the the the"), so FL is multiplied by a repetition factor: the share of distinct words,
  rescaled from 0.3 (0) to 0.6 (1). SmolLM2 is an English model: FL is defined for English only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from commonground.signals.incivility import IncivilityDetector
from commonground.tasks.similarity import embed

SIM_ZERO, SIM_ONE = 0.79, 0.93
DISTINCT_ZERO, DISTINCT_ONE = 0.3, 0.6


@dataclass(frozen=True)
class RephrasingScores:
    sta: np.ndarray
    sim: np.ndarray
    cosine: np.ndarray
    fl: np.ndarray | None

    @property
    def j(self) -> np.ndarray:
        return self.sta * self.sim * (self.fl if self.fl is not None else 1.0)

    def summary(self) -> dict[str, float]:
        means = {
            "STA": self.sta.mean(),
            "SIM": self.sim.mean(),
            "cosine": self.cosine.mean(),
            "J": self.j.mean(),
        }
        if self.fl is not None:
            means["FL"] = self.fl.mean()
        return {name: float(value) for name, value in means.items()}


class Fluency:
    """Mean per-token log-likelihood under a small causal model, rescaled against human references."""

    def __init__(self, model_path: Path, references: Sequence[str]) -> None:
        from llama_cpp import Llama

        self._llm = Llama(model_path=str(model_path), n_ctx=512, logits_all=True, verbose=False, n_threads=2)
        reference = np.array([self.log_likelihood(text) for text in references])
        self.low, self.high = float(np.percentile(reference, 5)), float(np.median(reference))

    def log_likelihood(self, text: str) -> float:
        tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=True)[:500]
        if len(tokens) < 2:
            return float("-inf")
        self._llm.reset()
        self._llm.eval(tokens)
        logits = np.asarray(self._llm.scores[: len(tokens) - 1], dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        return float(log_probs[np.arange(len(tokens) - 1), tokens[1:]].mean())

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        values = np.array([self.log_likelihood(text) for text in texts])
        likely = np.clip((values - self.low) / (self.high - self.low), 0.0, 1.0)
        return likely * np.array([_variety(text) for text in texts])


def _variety(text: str) -> float:
    words = text.lower().split()
    distinct = len(set(words)) / len(words) if words else 0.0
    return float(np.clip((distinct - DISTINCT_ZERO) / (DISTINCT_ONE - DISTINCT_ZERO), 0.0, 1.0))


def score_rephrasings(
    sources: Sequence[str],
    outputs: Sequence[str],
    *,
    detector: IncivilityDetector,
    fluency: Fluency | None = None,
    langs: Sequence[str | None] | None = None,
) -> RephrasingScores:
    """Per-sentence STA, SIM and (with a fluency scorer) FL of `outputs` as rewrites of `sources`."""
    langs = list(langs) if langs is not None else [None] * len(outputs)
    scores = detector.score_many(list(outputs), langs)
    sta = np.array([0.0 if s.probability is None else 1 - s.probability for s in scores])
    cosine = (embed(sources) * embed(outputs)).sum(axis=1)
    sim = np.clip((cosine - SIM_ZERO) / (SIM_ONE - SIM_ZERO), 0.0, 1.0)
    return RephrasingScores(sta=sta, sim=sim, cosine=cosine, fl=fluency(outputs) if fluency else None)
