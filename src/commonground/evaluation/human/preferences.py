"""Pairwise preferences: win rates and Bradley–Terry scores, with intervals by bootstrap over judgements.

A comparison is (system a, system b, score of a): 1 when a was preferred, 0 when b was, 0.5 for a tie. The
win rate of a over b is the mean score. Bradley–Terry log-strengths (mean 0) are fitted with `choix`'s
iterative Luce spectral ranking, a tie counting as half a win for each side, with a little regularisation
so that a system that won (or lost) every comparison still gets a finite score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import choix
import numpy as np

from commonground.evaluation.bootstrap import RESAMPLES, Estimate, estimate, mean

REGULARISATION = 0.01


@dataclass(frozen=True)
class Comparison:
    """One judgement between two systems: the score of `a` (1 win, 0.5 tie, 0 loss)."""

    a: str
    b: str
    score: float


@dataclass(frozen=True)
class WinRate:
    """How often `system` was preferred to `opponent`, ties counting half."""

    system: str
    opponent: str
    wins: int
    losses: int
    ties: int
    rate: Estimate

    def as_dict(self) -> dict[str, object]:
        return {
            "system": self.system,
            "opponent": self.opponent,
            "wins": self.wins,
            "losses": self.losses,
            "ties": self.ties,
            "win_rate": self.rate.as_dict(),
        }


def win_rates(
    comparisons: Sequence[Comparison], *, resamples: int = RESAMPLES, seed: int = 0
) -> list[WinRate]:
    """The win rate of each pair of systems that were compared, the alphabetically first system's view."""
    systems = sorted({c.a for c in comparisons} | {c.b for c in comparisons})
    rates = []
    for system, opponent in combinations(systems, 2):
        scores = [
            c.score if c.a == system else 1 - c.score for c in comparisons if {c.a, c.b} == {system, opponent}
        ]
        if not scores:
            continue
        rates.append(
            WinRate(
                system=system,
                opponent=opponent,
                wins=scores.count(1.0),
                losses=scores.count(0.0),
                ties=scores.count(0.5),
                rate=mean(scores, resamples=resamples, seed=seed),
            )
        )
    return rates


def bradley_terry(
    comparisons: Sequence[Comparison], *, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, Estimate]:
    """Each system's Bradley–Terry log-strength (mean 0 over systems) with its bootstrap interval."""
    systems = sorted({c.a for c in comparisons} | {c.b for c in comparisons})
    index = {system: number for number, system in enumerate(systems)}
    rows = np.array([(index[c.a], index[c.b], c.score) for c in comparisons], dtype=float).reshape(-1, 3)
    fitted: dict[bytes, np.ndarray] = {}

    def strengths(picked: np.ndarray) -> np.ndarray:
        # Each system's bootstrap draws the same resamples (same seed): fit each resample once.
        digest = hashlib.blake2b(picked.tobytes(), digest_size=16).digest()
        if digest not in fitted:
            fitted[digest] = _fit(len(systems), rows[picked])
        return fitted[digest]

    everyone = np.arange(len(rows))
    return {
        system: estimate(
            lambda picked, k=number: float(strengths(picked)[k]), everyone, resamples=resamples, seed=seed
        )
        for number, system in enumerate(systems)
    }


def _fit(n_systems: int, rows: np.ndarray) -> np.ndarray:
    data: list[tuple[int, int]] = []
    for a, b, score in rows:
        wins = round(2 * score)  # a decisive judgement is two wins, a tie one win each way
        data += [(int(a), int(b))] * wins + [(int(b), int(a))] * (2 - wins)
    try:
        return choix.ilsr_pairwise(n_systems, data, alpha=REGULARISATION)
    except RuntimeError as error:  # no convergence on a degenerate resample
        raise ValueError(str(error)) from None
