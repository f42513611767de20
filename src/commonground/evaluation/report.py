"""Metric reports: one value set per evaluated item, and the mean of each value with a bootstrap interval.

`Report[Item]` holds the items (pydantic models), the items that failed (`errors`: id and message), and
`aggregate`: for each named numeric field, its mean over the items that have a value, with its 95 %
bootstrap interval (`evaluation.bootstrap`). `public()` is the JSON the `eval` commands print, with every
undefined number (NaN) as null.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from commonground.evaluation.bootstrap import RESAMPLES, Estimate, mean

Item = TypeVar("Item", bound=BaseModel)


class ItemError(BaseModel):
    id: str
    error: str


class Report(BaseModel, Generic[Item]):
    items: list[Item]
    aggregate: dict[str, Estimate]
    errors: list[ItemError] = Field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return finite(self.model_dump(mode="python"))


def means(
    rows: Sequence[BaseModel | Mapping[str, Any]],
    fields: Iterable[str],
    *,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> dict[str, Estimate]:
    """The mean of each field over the rows (items or mappings) where it is a number, with its interval."""
    result = {}
    for field in fields:
        values = [row.get(field) if isinstance(row, Mapping) else getattr(row, field) for row in rows]
        present = [float(v) for v in values if v is not None and not math.isnan(float(v))]
        result[field] = mean(present, resamples=resamples, seed=seed)
    return result


def finite(data: Any) -> Any:
    """`data` with NaN and infinities replaced by None, dataclasses and tuples made plain, for JSON."""
    if isinstance(data, Estimate):
        return finite(data.as_dict())
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data
