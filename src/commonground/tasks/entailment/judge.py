"""The entailment judge: one structured call deciding whether a text keeps another's meaning and stance."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from commonground.core.errors import InputError
from commonground.llm.base import Model
from commonground.llm.templates import PromptTemplate
from commonground.llm.types import Prompt, Structured
from commonground.tasks import checks

TEMPLATE = Path(__file__).with_name("prompt.toml")
MAX_CHARS = 2000
Relation = Literal["entails", "neutral", "contradicts"]
Stance = Literal["same", "reversed", "lost"]


class Judgement(BaseModel):
    """How a hypothesis B relates to a premise A."""

    stance: Stance = Field(description="B's stance against A's: same, reversed or lost.")
    relation: Relation = Field(description="entails, neutral (a claim left out or added) or contradicts.")

    @property
    def kept(self) -> bool:
        """B keeps A's stance and contradicts nothing in it."""
        return self.stance == "same" and self.relation != "contradicts"

    @property
    def score(self) -> float:
        """1 when B entails A with the same stance, 0.5 when it only leaves out or adds a claim, else 0."""
        if not self.kept:
            return 0.0
        return 1.0 if self.relation == "entails" else 0.5


@cache
def _template() -> PromptTemplate:
    return PromptTemplate.load(TEMPLATE)


def entailment_prompt(premise: str, hypothesis: str) -> Prompt:
    """The judge's prompt; raises InputError on an empty or overlong text."""
    for name, text in (("premise", premise), ("hypothesis", hypothesis)):
        if not text.strip():
            raise InputError(f"the {name} is empty")
        if len(text) > MAX_CHARS:
            raise InputError(f"the {name} is too long to judge ({len(text)} characters, at most {MAX_CHARS})")
    return _template().render(premise=" ".join(premise.split()), hypothesis=" ".join(hypothesis.split()))


def judge(model: Model, premise: str, hypothesis: str) -> Structured[Judgement]:
    """Judge `hypothesis` against `premise` with `model`; `.value` is the Judgement, `.completions` its calls.

    The same words (case and punctuation aside) entail each other with the same stance, without a call.
    Raises InputError on bad texts and a ModelError when the model fails (StructuredOutputError carries
    the attempts).
    """
    prompt = entailment_prompt(premise, hypothesis)
    if checks.words(premise) == checks.words(hypothesis):
        return Structured(value=Judgement(relation="entails", stance="same"))
    return model.structured(prompt, Judgement)
