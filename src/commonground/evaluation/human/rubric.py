"""The rubric annotators rate with: criteria on a 1–5 Likert scale, each point with an anchor.

The default rubric (`rubric.toml` beside this module) has five criteria: meaning kept, civility, neutrality,
helpfulness and fluency. A batch rates a subset of them, or the criteria of a rubric file in the same format
(TOML or JSON: `criteria = [{name, question, anchors = {1 = "...", ..., 5 = "..."}}]`).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from commonground.core.errors import InputError, first_problem

SCALE = (1, 2, 3, 4, 5)
DEFAULT_RUBRIC = Path(__file__).resolve().parent / "rubric.toml"
RESERVED = frozenset({"batch", "annotator", "position", "item", "context", "text", "left", "right"})
"""Names an annotation sheet uses for its own columns, so no criterion may take them."""


class Criterion(BaseModel):
    """One question with an anchor for each point of the scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    question: str = Field(min_length=1)
    anchors: dict[int, str]

    @field_validator("anchors")
    @classmethod
    def _every_point(cls, anchors: dict[int, str]) -> dict[int, str]:
        if sorted(anchors) != list(SCALE):
            raise ValueError("needs one anchor for each point from 1 to 5")
        return dict(sorted(anchors.items()))

    @field_validator("name")
    @classmethod
    def _not_reserved(cls, name: str) -> str:
        if name in RESERVED | {"preference", "comment"}:
            raise ValueError(f"{name!r} is the name of a sheet column")
        return name


class Rubric(BaseModel):
    """The criteria of one batch, in the order annotators see them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Rubric:
        names = self.names
        if len(set(names)) != len(names):
            raise ValueError(f"criterion names must be unique, got {names}")
        return self

    @property
    def names(self) -> list[str]:
        return [criterion.name for criterion in self.criteria]

    def select(self, names: Sequence[str]) -> Rubric:
        """The named criteria, in the order given; an unknown name is an InputError listing the known ones."""
        by_name = {criterion.name: criterion for criterion in self.criteria}
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise InputError(f"unknown criterion {unknown[0]!r}; choose from {', '.join(by_name)}")
        return Rubric(criteria=[by_name[name] for name in names])


def load_rubric(path: Path = DEFAULT_RUBRIC) -> Rubric:
    """A rubric from a TOML or JSON file; a bad file is an InputError naming the file and the field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {error}") from None
    try:
        return Rubric.model_validate(data)
    except ValidationError as error:
        raise InputError(f"{path}: {first_problem(error, root='rubric')}") from None
