"""What to generate: a run's settings, checked before anything is generated, and one plan per conversation.

Conversation `i` of a run depends only on the seed and `i` (its own random stream), so the same seed gives
the same conversations whatever the count, and a generator only has to realise each plan.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from commonground.core.devdata import DEVELOPMENT_DATA
from commonground.core.errors import InputError
from commonground.synthesis import personas, scenarios, trajectories
from commonground.synthesis.personas import VOLATILITY, Persona
from commonground.synthesis.scenarios import Scenario
from commonground.synthesis.trajectories import ESCALATIONS, TRAJECTORIES, Trajectory

MAX_TURNS = 40
MAX_COUNT = 10_000_000
SIDES = {"dispute": ("claimant", "respondent"), "deliberation": ("for", "against")}


@dataclass(frozen=True)
class Spec:
    """The settings of one run (the `commonground synth` options)."""

    count: int = 100
    scenarios: Sequence[str] = ("all",)
    personas: Sequence[str] = ("all",)
    turns: tuple[int, int] = (6, 6)
    derail_turn: int | None = None
    mix: Mapping[str, float] = field(default_factory=lambda: dict.fromkeys(TRAJECTORIES, 1.0))
    escalations: Sequence[str] = ESCALATIONS
    languages: Sequence[str] = ("en",)
    seed: int = 0
    data_dir: Path = DEVELOPMENT_DATA


@dataclass(frozen=True)
class ConversationPlan:
    """One conversation to realise: scenario, language, the two personas and the planned turns."""

    id: str
    index: int
    seed: int
    scenario: Scenario
    lang: str
    personas: tuple[Persona, Persona]
    trajectory: Trajectory


class Planner:
    """Checks a spec (InputError naming the option) and plans its conversations."""

    def __init__(self, spec: Spec, *, languages: Sequence[str], needs_openings: bool) -> None:
        _check(spec, languages)
        self.spec = spec
        self.profiles = personas.select(spec.personas)
        chosen = scenarios.select(spec.scenarios, spec.data_dir)
        self._scenarios: dict[str, dict[str, list[Scenario]]] = {}
        for lang in dict.fromkeys(spec.languages):
            usable = [s for s in chosen if lang in s.languages or not needs_openings]
            if not usable:
                raise InputError(
                    f"no chosen scenario has {lang} text for this generator (--scenarios, --languages)"
                )
            self._scenarios[lang] = {
                kind: [s for s in usable if s.kind == kind]
                for kind in SIDES
                if any(s.kind == kind for s in usable)
            }
        self._kinds = [kind for kind, weight in spec.mix.items() if weight > 0]
        self._weights = [spec.mix[kind] for kind in self._kinds]

    def plan(self, index: int) -> ConversationPlan:
        """The plan of conversation `index`, from the seed and the index alone."""
        spec = self.spec
        rng = random.Random(f"{spec.seed}:{index}")
        lang = rng.choice(list(self._scenarios))
        by_kind = self._scenarios[lang]
        scenario = rng.choice(by_kind[rng.choice(list(by_kind))])
        kind = rng.choices(self._kinds, weights=self._weights)[0]
        shortest = max(spec.turns[0], trajectories.minimum_length(kind))
        if spec.derail_turn is not None and kind != "civil":
            shortest = max(shortest, spec.derail_turn + (2 if kind == "recover" else 0))
        length = rng.randint(shortest, spec.turns[1])
        k = (
            spec.derail_turn
            if kind != "civil" and spec.derail_turn
            else trajectories.derail_turn_for(kind, length, rng)
        )
        profiles = [rng.choice(self.profiles), rng.choice(self.profiles)]
        if k is not None:  # the more volatile persona is the one who derails
            derailer = trajectories.speaker_at(k)
            if VOLATILITY[profiles[derailer].temperament] < VOLATILITY[profiles[1 - derailer].temperament]:
                profiles.reverse()
        names = rng.sample(personas.speaker_names(lang), 2)
        sides = SIDES[scenario.kind]
        pair = tuple(
            Persona(profile, names[i], lang, stance=sides[i], position=scenario.sides[i])
            for i, profile in enumerate(profiles)
        )
        trajectory = trajectories.plan(
            kind, length=length, derail_turn=k, escalations=spec.escalations, profiles=profiles, rng=rng
        )
        return ConversationPlan(
            id=f"synth-{spec.seed}-{index:06d}",
            index=index,
            seed=spec.seed,
            scenario=scenario,
            lang=lang,
            personas=(pair[0], pair[1]),
            trajectory=trajectory,
        )


def _check(spec: Spec, languages: Sequence[str]) -> None:
    if not 1 <= spec.count <= MAX_COUNT:
        raise InputError(f"the count must be between 1 and {MAX_COUNT:,}, not {spec.count} (--count)")
    if spec.seed < 0:
        raise InputError(f"the seed must be a non-negative integer, not {spec.seed} (--seed)")
    low, high = spec.turns
    if not 1 <= low <= high <= MAX_TURNS:
        raise InputError(f"turns must satisfy 1 <= min <= max <= {MAX_TURNS}, not {low}-{high} (--turns)")
    _known(spec.languages, languages, what="language", option="--languages")
    _known(spec.escalations, ESCALATIONS, what="escalation type", option="--escalations")
    _known(list(spec.mix), TRAJECTORIES, what="trajectory", option="--mix")
    if any(weight < 0 for weight in spec.mix.values()) or not any(w > 0 for w in spec.mix.values()):
        raise InputError("trajectory weights must be non-negative and not all zero (--mix)")
    kinds = [kind for kind, weight in spec.mix.items() if weight > 0]
    trajectories.check_settings(kinds, longest=high, derail_turn=spec.derail_turn)
    if spec.derail_turn is not None and set(kinds) == {"civil"}:
        raise InputError(
            "a derail turn was given but the mix has only civil conversations (--derail-turn, --mix)"
        )


def _known(values: Sequence[str], known: Sequence[str], *, what: str, option: str) -> None:
    """InputError unless `values` is a non-empty selection from `known`."""
    if not values:
        raise InputError(f"choose at least one {what} ({option})")
    for value in values:
        if value not in known:
            raise InputError(f"the {what} {value!r} is not one of: {', '.join(known)} ({option})")
