"""Inter-annotator agreement: Krippendorff's alpha, with a bootstrap interval over units.

`krippendorff_alpha` takes one value per (annotator, unit) — ordinal for Likert ratings, nominal for
preferences — and computes alpha with the `krippendorff` package on the units that two or more annotators
coded (the others carry no information about agreement). The interval resamples those units.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import krippendorff
import numpy as np

from commonground.evaluation.bootstrap import RESAMPLES, Estimate, estimate

Level = Literal["nominal", "ordinal"]


@dataclass(frozen=True)
class Agreement:
    """Alpha with its interval, the level of measurement, and how many units two or more annotators coded."""

    alpha: Estimate
    level: Level
    units: int

    def as_dict(self) -> dict[str, object]:
        return {"alpha": self.alpha.as_dict(), "level": self.level, "units": self.units}


def krippendorff_alpha(
    codes: Mapping[tuple[str, Hashable], float],
    *,
    level: Level,
    domain: Sequence[float],
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> Agreement:
    """Alpha of `codes` ((annotator, unit) → value in `domain`); NaN when no unit has two values."""
    annotators = sorted({annotator for annotator, _ in codes})
    units = sorted({unit for _, unit in codes}, key=repr)
    row = {annotator: number for number, annotator in enumerate(annotators)}
    column = {unit: number for number, unit in enumerate(units)}
    table = np.full((len(annotators), len(units)), np.nan)
    for (annotator, unit), value in codes.items():
        table[row[annotator], column[unit]] = value
    pairable = table[:, (~np.isnan(table)).sum(axis=0) >= 2]

    def alpha(columns: np.ndarray) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                return float(
                    krippendorff.alpha(
                        reliability_data=pairable[:, columns],
                        level_of_measurement=level,
                        value_domain=list(domain),
                    )
                )
            except ValueError:  # fewer than two values to compare
                return float("nan")

    result = estimate(alpha, np.arange(pairable.shape[1]), resamples=resamples, seed=seed)
    return Agreement(alpha=result, level=level, units=pairable.shape[1])
