"""Who speaks in synthetic conversations: persona profiles (temperament, verbosity), a language and a side.

Profiles, temperament and verbosity descriptions and per-language speaker names live in `personas.toml`.
A temperament also sets how a persona's civil turns sound (polite, plain or tense) and how readily it is
the one who derails.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from commonground.core.errors import InputError

PERSONAS_PATH = Path(__file__).with_name("personas.toml")

Temperament = Literal["calm", "anxious", "combative", "sarcastic"]
Verbosity = Literal["terse", "moderate", "verbose"]
Tone = Literal["polite", "plain", "tense"]

TONE_WEIGHTS: dict[str, dict[Tone, float]] = {
    "calm": {"polite": 0.5, "plain": 0.45, "tense": 0.05},
    "anxious": {"polite": 0.35, "plain": 0.45, "tense": 0.2},
    "combative": {"polite": 0.1, "plain": 0.55, "tense": 0.35},
    "sarcastic": {"polite": 0.15, "plain": 0.55, "tense": 0.3},
}
"""Chance of each tone in a persona's civil turns."""
VOLATILITY: dict[str, int] = {"calm": 0, "anxious": 1, "sarcastic": 2, "combative": 3}
"""Of two personas, the more volatile one is the one who derails."""


@dataclass(frozen=True)
class Profile:
    """A named temperament and verbosity."""

    name: str
    temperament: Temperament
    verbosity: Verbosity


@dataclass(frozen=True)
class Persona:
    """A profile speaking one language on one side of a scenario, under a speaker name.

    `stance` names the side (claimant or respondent in a dispute, for or against in a deliberation);
    `position` says what that side holds.
    """

    profile: Profile
    speaker: str
    lang: str
    stance: str
    position: str

    def describe(self) -> dict[str, Any]:
        """The persona as recorded in a conversation's meta."""
        return {
            "speaker": self.speaker,
            "profile": self.profile.name,
            "temperament": self.profile.temperament,
            "verbosity": self.profile.verbosity,
            "lang": self.lang,
            "stance": self.stance,
            "position": self.position,
        }


@cache
def _catalogue() -> dict[str, Any]:
    return tomllib.loads(PERSONAS_PATH.read_text(encoding="utf-8"))


def profiles() -> tuple[Profile, ...]:
    """Every shipped profile."""
    return tuple(Profile(**row) for row in _catalogue()["profile"])


def temperament_text(temperament: str) -> str:
    """How a temperament is described to a role-playing model."""
    return _catalogue()["temperament"][temperament]


def verbosity_text(verbosity: str) -> str:
    """How long a persona's messages are, in words a model follows."""
    return _catalogue()["verbosity"][verbosity]


def speaker_names(lang: str) -> tuple[str, ...]:
    """Speaker names for personas speaking `lang`."""
    return tuple(_catalogue()["names"][lang])


def select(names: Sequence[str]) -> list[Profile]:
    """The profiles `names` pick (or every profile for `all`); InputError on an unknown name."""
    known = {profile.name: profile for profile in profiles()}
    if "all" in names:
        return list(known.values())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InputError(f"unknown persona {unknown[0]!r} (--personas): choose from all, {', '.join(known)}")
    return [known[name] for name in dict.fromkeys(names)]
