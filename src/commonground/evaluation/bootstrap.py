"""Confidence intervals by bootstrap for every aggregate the evaluation reports.

`estimate(statistic, *columns)` resamples the rows of the columns together (paired: a prediction stays with
its label) with SciPy's percentile bootstrap and returns the statistic on the full data with its interval.
Resamples on which the statistic is undefined (say, ROC-AUC of a resample holding one class) are dropped.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import DegenerateDataWarning, bootstrap

RESAMPLES = 1000
LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A statistic on the full sample, its bootstrap confidence interval, and the sample size."""

    value: float
    low: float
    high: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n}

    def __str__(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


def estimate(
    statistic: Callable[..., float],
    *columns: Sequence[float] | np.ndarray,
    resamples: int = RESAMPLES,
    level: float = LEVEL,
    seed: int = 0,
) -> Estimate:
    """`statistic(*columns)` with a paired percentile-bootstrap interval; NaN bounds when n < 2."""
    arrays = [np.asarray(column) for column in columns]
    n = len(arrays[0])
    if any(len(array) != n for array in arrays):
        raise ValueError("every column must have one value per item")
    value = float(statistic(*arrays)) if n else float("nan")
    if n < 2 or not np.isfinite(value):
        return Estimate(value=value, low=float("nan"), high=float("nan"), n=n)

    def guarded(*sample: np.ndarray) -> float:
        try:
            return float(statistic(*sample))
        except ValueError:
            return float("nan")

    with warnings.catch_warnings():  # undefined resamples are dropped below, not reported
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            tuple(arrays),
            guarded,
            n_resamples=resamples,
            confidence_level=level,
            method="percentile",
            paired=True,
            vectorized=False,
            random_state=np.random.default_rng(seed),
        )
    distribution = result.bootstrap_distribution
    kept = distribution[np.isfinite(distribution)]
    if len(kept) == 0:
        return Estimate(value=value, low=float("nan"), high=float("nan"), n=n)
    tail = (1 - level) / 2
    low, high = np.quantile(kept, [tail, 1 - tail])
    return Estimate(value=value, low=float(low), high=float(high), n=n)


def mean(values: Sequence[float] | np.ndarray, **options: float) -> Estimate:
    """The mean of `values` with its bootstrap interval."""
    return estimate(np.mean, values, **options)  # type: ignore[arg-type]
