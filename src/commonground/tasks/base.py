"""The task framework: render a versioned prompt, generate candidates, verify them, fall back if none passes.

A task declares its prompt template file, its output schema, `verify()` (named check scores with pass/fail)
and a non-LLM `fallback()`; one whose output holds parts made by code declares the `reply_schema` the model
fills and `complete()`s it. `Task.run` tries the model up to `candidates` times (greedy first, then as
`revise()` says: sampled by default, or told what failed), keeps the first candidate that passes every
check, and uses the fallback when the model fails or no candidate passes. A candidate that passes the
deterministic checks then goes through `review()`, whose checks need further model calls and which may
mend it (a summary drops the statements the judge finds reversed); the mended output is verified again.
Every result says which method produced it, carries its checks and the records of its model calls.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from commonground.core.errors import ModelError
from commonground.llm.base import Model
from commonground.llm.templates import PromptTemplate
from commonground.llm.types import CallRecord, Prompt

log = logging.getLogger(__name__)

R = TypeVar("R")
Out = TypeVar("Out", bound=BaseModel)

SAMPLED_TEMPERATURE = 0.7


class Check(BaseModel):
    """One verification: a score in [0, 1] and whether it passes its threshold."""

    name: str
    score: float = Field(ge=0.0, le=1.0)
    passed: bool
    detail: str = ""


def check(name: str, score: float, *, threshold: float, detail: str = "") -> Check:
    """A check that passes when `score` reaches `threshold`."""
    score = min(max(score, 0.0), 1.0)
    return Check(name=name, score=round(score, 3), passed=score >= threshold, detail=detail)


@dataclass(frozen=True)
class Review(Generic[Out]):
    """What `Task.review` kept (the output, or a mended one), its checks and the calls they took."""

    output: Out
    checks: list[Check] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)


class TaskResult(BaseModel, Generic[Out]):
    """What a task produced, how ("llm" or "fallback"), how it was checked, and what it cost."""

    task: str
    method: Literal["llm", "fallback"]
    text: str
    output: Out
    checks: list[Check]
    calls: list[CallRecord] = Field(default_factory=list)
    fallback_reason: str | None = None

    @property
    def passed(self) -> bool:
        return all(item.passed for item in self.checks)

    def public(self) -> dict[str, object]:
        """A JSON-ready view for the CLI and the web platform."""
        return self.model_dump(mode="json") | {"passed": self.passed}


class Task(ABC, Generic[R, Out]):
    """One mediation action. Subclasses set `name`, `schema` and `template_path`."""

    name: ClassVar[str]
    schema: ClassVar[type[BaseModel]]
    template_path: ClassVar[Path]
    reply_schema: ClassVar[type[BaseModel] | None] = None
    """What the model writes, when `complete` makes the output from it; `schema` when None."""

    def __init__(self, *, candidates: int = 2, max_tokens: int | None = None) -> None:
        self.template = PromptTemplate.load(self.template_path)
        self.candidates = max(candidates, 1)
        self.max_tokens = max_tokens

    @abstractmethod
    def prompt(self, request: R) -> Prompt:
        """The rendered prompt for `request`."""

    @abstractmethod
    def verify(self, request: R, output: Out) -> list[Check]:
        """Deterministic checks of `output` against `request`."""

    @abstractmethod
    def fallback(self, request: R) -> Out:
        """An output made without the model."""

    @abstractmethod
    def text(self, output: Out) -> str:
        """The human-readable text of an output."""

    def complete(self, request: R, reply: BaseModel) -> Out:
        """The output made from what the model wrote (by default, the reply as it is)."""
        return reply  # type: ignore[return-value]

    def review(self, model: Model, request: R, output: Out) -> Review[Out]:
        """Checks that need further model calls, and the output they leave (by default: none, unchanged)."""
        return Review(output)

    def revise(self, prompt: Prompt, request: R, output: Out, failed: list[Check]) -> Prompt:
        """The prompt of the next candidate after `output` failed the `failed` checks: the same, sampled."""
        return replace(prompt, temperature=SAMPLED_TEMPERATURE)

    def run(self, model: Model, request: R) -> TaskResult[Out]:
        """Generate, verify, keep the first candidate passing every check; otherwise fall back, saying why."""
        calls: list[CallRecord] = []
        reason = "no candidate passed verification"
        base = self.prompt(request)
        if self.max_tokens is not None:
            base = replace(base, max_tokens=self.max_tokens)
        prompt = base
        for attempt in range(self.candidates):
            try:
                structured = model.structured(prompt, self.reply_schema or self.schema)
            except ModelError as error:
                calls.extend(error.calls)
                reason = f"model failed: {error}"
                log.info("%s: %s", self.name, reason)
                break
            calls.extend(completion.record for completion in structured.completions)
            output = self.complete(request, structured.value)
            checks = self.verify(request, output)
            if all(item.passed for item in checks):
                try:
                    review = self.review(model, request, output)
                except ModelError as error:
                    broken = Check(name="review", score=0.0, passed=False, detail=str(error))
                    review = Review(output, [broken], error.calls)
                if review.output is not output:
                    output, checks = review.output, self.verify(request, review.output)
                checks += review.checks
                calls.extend(review.calls)
            failed = [item for item in checks if not item.passed]
            if not failed:
                return self._result("llm", output, checks, calls)
            reason = "failed checks: " + "; ".join(f"{item.name} ({item.detail})" for item in failed)
            log.info("%s candidate %d %s", self.name, attempt + 1, reason)
            prompt = self.revise(base, request, output, failed)
        output = self.fallback(request)
        return self._result("fallback", output, self.verify(request, output), calls, reason=reason)

    def _result(
        self,
        method: Literal["llm", "fallback"],
        output: Out,
        checks: list[Check],
        calls: list[CallRecord],
        *,
        reason: str | None = None,
    ) -> TaskResult[Out]:
        return TaskResult[Out](
            task=self.name,
            method=method,
            text=self.text(output),
            output=output,
            checks=checks,
            calls=calls,
            fallback_reason=reason,
        )
