"""Forecasting quality: how well the risk at the point of prediction tells which conversations derail, and how
early, with bootstrap intervals.

A conversation's context is the messages before the point of prediction (`commonground.datasets`): in
Conversations Gone Awry (CMV) the comments before the one that does or does not attack; in a labelled ConvoKit
corpus the utterances before the first attack (of a calm conversation, all but the last). Its forecast is the
risk after the last context message, and it is flagged when that risk reaches the threshold. Accuracy,
precision, recall, F1, false-positive rate and ROC-AUC are computed on these forecasts.

Horizon. Each context prefix is scored (the risk after each message). For a derailing conversation flagged
in time (a true positive) whose risk is known after every context message, the horizon is the number of
context messages that come after the first message at which the risk reached the threshold: 0 when it
first reached it after the last context message, one message before the derailing one; n − 1 when it already
did after the first of n messages. The report gives its mean and median over those conversations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from commonground.core.errors import InputError
from commonground.datasets import ForecastCase
from commonground.evaluation.bootstrap import RESAMPLES, estimate
from commonground.evaluation.classification import binary_report

Forecaster = Callable[[Sequence[str]], float]
"""The risk that an exchange (texts, oldest first) is about to derail."""


@dataclass(frozen=True)
class Forecast:
    """A conversation's label and its risk after each context message (None where unknown, never the last)."""

    id: str
    derails: bool
    risks: tuple[float | None, ...]

    @property
    def risk(self) -> float:
        """The risk at the point of prediction."""
        return float(self.risks[-1])  # type: ignore[arg-type]


def forecasts(cases: Iterable[ForecastCase], forecaster: Forecaster | None) -> Iterator[Forecast]:
    """Each case's forecast: from `forecaster`, scoring every prefix of the context; or, when it is None, from
    the case's own scores, which must give the risk after the last message."""
    for case in cases:
        if forecaster is not None:
            risks: tuple[float | None, ...] = tuple(
                forecaster(case.texts[:end]) for end in range(1, len(case.texts) + 1)
            )
        elif case.scores is None or case.scores[-1] is None:
            raise InputError(f"conversation {case.id}: no score after its last context message")
        else:
            risks = case.scores
        yield Forecast(case.id, case.derails, risks)


def horizon(risks: Sequence[float | None], threshold: float) -> int | None:
    """Context messages after the first at which the risk reached `threshold`; None unless the last risk
    reaches it and every risk is known."""
    if not risks or any(risk is None for risk in risks) or risks[-1] < threshold:  # type: ignore[operator]
        return None
    first = next(index for index, risk in enumerate(risks) if risk >= threshold)  # type: ignore[operator]
    return len(risks) - 1 - first


def forecast_report(
    results: Sequence[Forecast], *, threshold: float, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, Any]:
    """Counts, the metrics of the forecasts at `threshold` and the horizon, each an Estimate."""
    labels = np.array([result.derails for result in results], dtype=int)
    risks = np.array([result.risk for result in results])
    flagged_in_time = [r for r in results if r.derails and r.risk >= threshold]
    horizons = [horizon(r.risks, threshold) for r in flagged_in_time]
    known = np.array([h for h in horizons if h is not None], dtype=float)
    options = {"resamples": resamples, "seed": seed}
    return {
        "n": len(results),
        "derailing": int(labels.sum()),
        "threshold": threshold,
        "metrics": binary_report(labels, risks, threshold=threshold, **options),
        "horizon": {
            "mean": estimate(np.mean, known, **options),  # type: ignore[arg-type]
            "median": estimate(np.median, known, **options),  # type: ignore[arg-type]
            "untraced": len(horizons) - len(known),
        },
    }
