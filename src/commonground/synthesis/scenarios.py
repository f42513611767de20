"""What synthetic conversations are about: online-dispute cases and deliberation questions.

Dispute cases live in `scenarios.toml` (the five LLMediator disputes and more). Deliberation questions are
the 5,645 questions of the Habermas Machine data set, read at run time from the development data folder,
each with its affirming and negating statement.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from commonground.core.devdata import development_data
from commonground.core.errors import InputError

SCENARIOS_PATH = Path(__file__).with_name("scenarios.toml")
HABERMAS_PATH = Path("habermas") / "230118_chinchilla_questions.json"
HABERMAS_ATTRIBUTION = (
    "Deliberation questions: Habermas Machine data (Tessler et al., Science 2024, "
    "google-deepmind/habermas_machine), CC BY 4.0"
)
GROUPS = ("all", "disputes", "deliberations")
LANGUAGES = ("en", "fr", "de")

Kind = Literal["dispute", "deliberation"]


@dataclass(frozen=True)
class Scenario:
    """One case or question; `sides` describes the two stances, `openings` a civil first claim and reply."""

    id: str
    kind: Kind
    title: str
    description: str
    sides: tuple[str, str]
    openings: dict[str, tuple[str, str]] = field(default_factory=dict)
    topic: str = ""

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with written openings."""
        return tuple(self.openings)


@cache
def disputes() -> tuple[Scenario, ...]:
    """The shipped online-dispute cases."""
    data = tomllib.loads(SCENARIOS_PATH.read_text(encoding="utf-8"))
    return tuple(
        Scenario(
            id=case["id"],
            kind="dispute",
            title=case["title"],
            description=case["description"],
            sides=(case["claimant"], case["respondent"]),
            openings={lang: tuple(case[lang]) for lang in LANGUAGES if lang in case},
            topic=case["id"],
        )
        for case in data["dispute"]
    )


@cache
def deliberations(data_dir: Path) -> tuple[Scenario, ...]:
    """The Habermas Machine questions (English), topic numbers kept."""
    path = development_data(data_dir, HABERMAS_PATH)
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a JSON question file ({error})") from None
    try:
        return tuple(
            Scenario(
                id=row["id"],
                kind="deliberation",
                title=row["question"],
                description=row["question"],
                sides=(
                    f"convinced that {_sentence(row['affirming_statement'])}",
                    f"convinced that {_sentence(row['negating_statement'])}",
                ),
                openings={"en": (row["affirming_statement"], row["negating_statement"])},
                topic=f"habermas-{row['topic']}",
            )
            for row in rows
        )
    except (KeyError, TypeError) as error:
        raise InputError(f"{path}: a question lacks the field {error}") from None


def _sentence(statement: str) -> str:
    """A statement that continues a sentence: "Schools should..." -> "schools should..."."""
    return statement[:1].lower() + statement[1:] if statement[1:2].islower() else statement


def select(names: Sequence[str], data_dir: Path) -> list[Scenario]:
    """The scenarios `names` pick: ids, `disputes`, `deliberations` or `all`, in order, without repeats.

    Raises InputError naming the first unknown name.
    """
    cases = {case.id: case for case in disputes()}
    wanted = set(names)
    questions: dict[str, Scenario] = {}
    if wanted & {"all", "deliberations"} or wanted - cases.keys() - set(GROUPS):
        questions = {question.id: question for question in deliberations(data_dir)}
    chosen: dict[str, Scenario] = {}
    for name in names:
        if name in ("all", "disputes"):
            chosen.update(cases)
        if name in ("all", "deliberations"):
            chosen.update(questions)
        if name in GROUPS:
            continue
        scenario = cases.get(name) or questions.get(name)
        if scenario is None:
            known = ", ".join([*GROUPS, *cases])
            raise InputError(
                f"unknown scenario {name!r} (--scenarios): choose from {known} or a Habermas question id"
            )
        chosen[name] = scenario
    return list(chosen.values())
