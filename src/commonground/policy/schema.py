"""The per-conversation policy: thresholds, actions, autonomy, limits, quiet hours, languages, triggers.

Declarative and validated; every field has a default, so an empty file is the default policy. Load it
from TOML or JSON with `load_policy()`; a bad field becomes one ConfigError line naming it.
"""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commonground.core.errors import ConfigError

Autonomy = Literal["off", "suggest_to_author", "draft_for_mediator", "autonomous"]
AUTONOMY_ORDER: tuple[Autonomy, ...] = ("off", "suggest_to_author", "draft_for_mediator", "autonomous")
Unscored = Literal["hold", "warn", "allow"]
"""What to do with a message the incivility detector could not score: hold it for the mediator, let it
through with a warning to its author, or let it through."""


def _incivility_default() -> float:
    try:
        from commonground.signals.incivility import DEFAULT_THRESHOLD
    except ImportError:
        return 0.5
    return float(DEFAULT_THRESHOLD)


def _derailment_default() -> float:
    """The accurate-mode forecaster's threshold, as the incivility default is the accurate detector's."""
    from commonground.signals.derailment import artefact_path

    try:
        meta = json.loads(artefact_path().with_suffix(".json").read_text(encoding="utf-8"))
        return float(meta["threshold"])
    except (OSError, ValueError, KeyError):
        return 0.5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Signal values at or above which a rule fires."""

    incivility: float = Field(default_factory=_incivility_default, ge=0, le=1)
    derailment_risk: float = Field(default_factory=_derailment_default, ge=0, le=1)
    deadlock: float = Field(0.6, ge=0, le=1)


class Actions(_Strict):
    """Which actions the mediator may take at all in this conversation."""

    presend_feedback: bool = True
    rephrase_suggestion: bool = True
    mediator_draft: bool = True
    autonomous_intervention: bool = False
    summary: bool = True


class Limits(_Strict):
    """How often the mediator may address the conversation (drafts, interventions, summaries)."""

    cooldown_s: float = Field(600.0, ge=0, description="Minimum time between two interventions.")
    max_interventions: int = Field(3, ge=0, description="At most this many interventions per window.")
    window_s: float = Field(3600.0, gt=0, description="The sliding window of max_interventions.")


class QuietHours(_Strict):
    """Local times between which the mediator does not address the conversation; may span midnight."""

    start: time
    end: time
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    def contains(self, moment: datetime) -> bool:
        """Whether the (time-zone aware) moment falls in the quiet hours."""
        local = moment.astimezone(ZoneInfo(self.timezone)).time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


class Triggers(_Strict):
    """Conversation-level triggers; None switches one off."""

    inactivity_s: float | None = Field(
        86_400.0, gt=0, description="Re-engage after this long without a message."
    )
    cadence_messages: int | None = Field(None, gt=0, description="Summarise every this many messages.")
    deadlock_window: int = Field(2, gt=0, description="Recent messages per speaker compared for deadlock.")


class Policy(_Strict):
    """Everything that governs what the mediator does in one conversation."""

    autonomy: Autonomy = "suggest_to_author"
    thresholds: Thresholds = Field(default_factory=Thresholds)
    actions: Actions = Field(default_factory=Actions)
    limits: Limits = Field(default_factory=Limits)
    quiet_hours: QuietHours | None = None
    languages: tuple[str, ...] = ("en", "fr", "de")
    unscored: Unscored = Field("hold", description="A message the detector could not score: hold|warn|allow.")
    triggers: Triggers = Field(default_factory=Triggers)

    def allows(self, level: Autonomy) -> bool:
        """Whether the autonomy level reaches `level`."""
        return AUTONOMY_ORDER.index(self.autonomy) >= AUTONOMY_ORDER.index(level)


def parse_policy(data: Any, *, source: str = "policy") -> Policy:
    """Validate a mapping as a Policy; the first problem becomes a ConfigError naming the field."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a policy must be a table/object, got {type(data).__name__}")
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "<root>"
        raise ConfigError(f"{source}: {field}: {first['msg']}") from None


def load_policy(path: Path) -> Policy:
    """Read a policy from a `.toml` or `.json` file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read policy file {path}: {error}") from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        elif path.suffix.lower() == ".toml":
            data = tomllib.loads(raw)
        else:
            raise ConfigError(f"{path}: a policy file must end in .toml or .json")
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not valid {path.suffix[1:].upper()}: {error}") from None
    return parse_policy(data, source=str(path))
