"""Trajectories with ground truth: what each turn of a synthetic conversation is meant to be.

Three kinds. `civil`: every turn civil. `derail`: civil turns, tension in the turn (or two) before turn k,
an uncivil turn k through a named escalation type, then a mix of uncivil and tense turns. `recover`: as
`derail` up to turn k, then a mediator's intervention at k + 1 and civil, mostly polite turns after it.
Turn 1 (and turn 2 when nothing else is planned for it) opens the scenario. Turns count every message,
the mediator's included; the two parties alternate, the first side opening.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from commonground.core.errors import InputError
from commonground.synthesis.personas import TONE_WEIGHTS, Profile, Tone

TRAJECTORIES = ("civil", "derail", "recover")
ESCALATIONS = ("insult", "sarcasm", "accusation", "dismissal", "identity_attack", "threat")
FIRST_DERAIL_TURN = 2
PREFERRED_DERAIL_TURN = 3  # when the conversation is long enough, leave two turns of context
SECOND_TENSION_CHANCE = 0.5  # the turn two before the derailment is tense too
AFTERMATH_UNCIVIL_CHANCE = 0.5  # a turn after the derailment (no mediator) is uncivil, else tense
RECOVERY_POLITE_CHANCE = 0.6

Stage = Literal["opening", "civil", "tension", "derailment", "derailed", "intervention", "recovery"]
Label = Literal["civil", "uncivil"]


@dataclass(frozen=True)
class Turn:
    """One planned message: who speaks (a persona index, None for the mediator) and what it must be."""

    number: int
    speaker: int | None
    stage: Stage
    label: Label
    tone: Tone | None = None
    escalation: str | None = None


@dataclass(frozen=True)
class Trajectory:
    """The planned turns of one conversation and its ground truth."""

    kind: str
    turns: tuple[Turn, ...]
    derail_turn: int | None = None
    escalation: str | None = None

    @property
    def intervention_turn(self) -> int | None:
        return next((turn.number for turn in self.turns if turn.stage == "intervention"), None)

    def meta(self) -> dict[str, Any]:
        """Ground truth as recorded in the conversation's meta."""
        return {
            "trajectory": self.kind,
            "derails": self.derail_turn is not None,
            "derail_turn": self.derail_turn,
            "escalation": self.escalation,
            "intervention_turn": self.intervention_turn,
            "recovered": self.kind == "recover",
        }


def minimum_length(kind: str) -> int:
    """The fewest turns a trajectory of `kind` needs."""
    return {"civil": 1, "derail": FIRST_DERAIL_TURN, "recover": FIRST_DERAIL_TURN + 2}[kind]


def last_derail_turn(kind: str, length: int) -> int:
    """The latest turn a `kind` trajectory of `length` turns can derail at (recovery needs two more)."""
    return length - 2 if kind == "recover" else length


def check_settings(kinds: Sequence[str], *, longest: int, derail_turn: int | None) -> None:
    """Raise InputError when no conversation of up to `longest` turns can follow one of `kinds`."""
    for kind in kinds:
        if kind == "civil":
            continue
        if longest < minimum_length(kind):
            raise InputError(
                f"a {kind} conversation needs at least {minimum_length(kind)} turns, not {longest} (--turns)"
            )
        if derail_turn is None:
            continue
        if derail_turn < FIRST_DERAIL_TURN:
            raise InputError(f"the derail turn must be {FIRST_DERAIL_TURN} or later (--derail-turn)")
        if derail_turn > last_derail_turn(kind, longest):
            room = " with room for an intervention and a recovery" if kind == "recover" else ""
            raise InputError(
                f"derail turn {derail_turn} is past the end of a {longest}-turn {kind} conversation{room} "
                "(--derail-turn, --turns)"
            )


def derail_turn_for(kind: str, length: int, rng: random.Random) -> int | None:
    """A random derail turn for a `kind` trajectory of `length` turns (None for civil ones)."""
    if kind == "civil":
        return None
    last = last_derail_turn(kind, length)
    return rng.randint(min(PREFERRED_DERAIL_TURN, last), last)


def speaker_at(turn: int) -> int:
    """The side speaking at `turn` when no mediator spoke before it."""
    return (turn - 1) % 2


def plan(
    kind: str,
    *,
    length: int,
    derail_turn: int | None,
    escalations: Sequence[str],
    profiles: Sequence[Profile],
    rng: random.Random,
) -> Trajectory:
    """Plan `length` turns of a `kind` trajectory between two persona profiles (the first side opens)."""
    stages: dict[int, Stage] = {}
    k = derail_turn if kind != "civil" else None
    if k is not None:
        stages[k] = "derailment"
        if k - 1 > 1:  # tension never replaces the opening claim
            stages[k - 1] = "tension"
        if k - 2 > 1 and rng.random() < SECOND_TENSION_CHANCE:
            stages[k - 2] = "tension"
        if kind == "recover":
            stages[k + 1] = "intervention"
    escalation = rng.choice(list(escalations)) if k else None
    turns = []
    party = 0
    for number in range(1, length + 1):
        stage = stages.get(number) or _default_stage(kind, number, k, rng)
        if stage == "intervention":
            turns.append(Turn(number, None, stage, "civil"))
            continue
        temperament = profiles[party].temperament
        turns.append(_turn(number, party, stage, temperament, escalation, escalations, rng))
        party = 1 - party
    return Trajectory(kind=kind, turns=tuple(turns), derail_turn=k, escalation=escalation)


def _default_stage(kind: str, number: int, k: int | None, rng: random.Random) -> Stage:
    if number <= 2 and (k is None or number < k):
        return "opening"
    if k is None or number < k:
        return "civil"
    if kind == "recover":
        return "recovery"
    return "derailed" if rng.random() < AFTERMATH_UNCIVIL_CHANCE else "tension"


def _turn(
    number: int,
    party: int,
    stage: Stage,
    temperament: str,
    escalation: str | None,
    escalations: Sequence[str],
    rng: random.Random,
) -> Turn:
    if stage == "derailment":
        return Turn(number, party, stage, "uncivil", escalation=escalation)
    if stage == "derailed":
        return Turn(number, party, stage, "uncivil", escalation=rng.choice(list(escalations)))
    tone: Tone | None
    if stage == "opening":
        tone = None
    elif stage == "tension":
        tone = "tense"
    elif stage == "recovery":
        tone = "polite" if rng.random() < RECOVERY_POLITE_CHANCE else "plain"
    else:
        weights = TONE_WEIGHTS[temperament]
        tone = rng.choices(list(weights), weights=list(weights.values()))[0]
    return Turn(number, party, stage, "civil", tone=tone)
