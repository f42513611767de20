"""The one place the platform calls mediation tasks; a model that is down or input a task refuses gives
an `Outcome` marked unavailable instead of an error, so posting and the pages keep working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from commonground.core.conversation import Conversation
from commonground.core.errors import CommongroundError, InputError
from commonground.llm.base import Model
from commonground.llm.types import CallRecord
from commonground.platform.verdicts import NO_ANSWER
from commonground.signals.incivility import IncivilityDetector
from commonground.tasks.draft.task import DraftRequest, DraftTask
from commonground.tasks.feedback import presend_feedback
from commonground.tasks.intervene.task import InterveneTask, InterventionRequest
from commonground.tasks.rephrase import RephraseRequest, RephraseTask
from commonground.tasks.summarize.task import SummarizeTask, SummaryRequest
from commonground.tasks.translate.task import TranslateRequest, TranslateTask

log = logging.getLogger(__name__)

ModelSource = Callable[[], Model]
NOTHING_FLUENT = "no calm wording that reads well could be made; the feedback stands alone"
PURPOSE_REASON = {"requested": "request", "de_escalate": "heated", "re_engage": "inactivity"}


@dataclass
class Outcome:
    """A task's text for a person to see, or why there is none (`reason`, a plain sentence); `error` is the
    technical cause of a failure, for the usage record only."""

    status: str
    text: str | None = None
    method: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    task: str = ""
    calls: list[CallRecord] = field(default_factory=list)
    error: str | None = None

    @property
    def available(self) -> bool:
        return self.status == "proposed"


def _unavailable(
    task: str, reason: str, calls: list[CallRecord] | None = None, *, error: str | None = None
) -> Outcome:
    log.info("%s unavailable: %s", task, error or reason)
    return Outcome(status="unavailable", reason=reason, task=task, calls=calls or [], error=error)


def failed(task: str, error: Exception) -> Outcome:
    """The outcome of a task whose job broke: the plain sentence for people, the error for the record."""
    return _unavailable(task, NO_ANSWER, error=f"{type(error).__name__}: {error}")


@cache
def _task(task_class: type[Any]) -> Any:
    """One instance per task class (loading a prompt template is not free)."""
    return task_class()


def _run(
    task_name: str,
    task: Any,
    request: Any,
    model_source: ModelSource,
    *,
    detail_of: Callable[[Any], dict[str, Any]] | None = None,
) -> Outcome:
    """Run a task; a model failure (at open, a bad configuration, or during the call) makes the outcome
    unavailable, saying so in words."""
    try:
        result = task.run(model_source(), request)
    except InputError as error:
        return _unavailable(task_name, str(error))
    except CommongroundError as error:
        return _unavailable(task_name, NO_ANSWER, getattr(error, "calls", []), error=str(error))
    if result.method == "fallback" and (result.fallback_reason or "").startswith("model failed"):
        return _unavailable(task_name, NO_ANSWER, result.calls, error=result.fallback_reason)
    if not result.text.strip():
        return _unavailable(task_name, NOTHING_FLUENT, result.calls)
    return Outcome(
        status="proposed",
        text=result.text,
        method=result.method,
        checks=[c.model_dump() for c in result.checks],
        detail={"fallback_reason": result.fallback_reason} | (detail_of(result.output) if detail_of else {}),
        task=task_name,
        calls=result.calls,
    )


def feedback(detector: IncivilityDetector, text: str, *, lang: str | None = None, held: bool = False) -> str:
    """A short note, in the draft's language, naming the words that may land badly and why (or saying
    that the draft could not be checked, and whether a mediator will read it)."""
    return presend_feedback(text, detector.score(text, lang), held=held).text


def rephrase(
    model_source: ModelSource, text: str, *, lang: str | None, context: tuple[str, ...] = ()
) -> Outcome:
    """A calmer rephrasing of an author's draft, verified by the rephrase task."""
    try:
        request = RephraseRequest(text=text, lang=lang, context=context)
    except InputError as error:
        return _unavailable("rephrase", f"cannot rephrase this draft: {error}")
    return _run("rephrase", _task(RephraseTask), request, model_source)


def translate(model_source: ModelSource, text: str, *, target: str) -> Outcome:
    """A message's public text in language `target`, with the task's fidelity, language and figure checks.

    When no translation passes the checks the outcome is the task's fallback (method `fallback`).
    """
    try:
        request = TranslateRequest(text=text, target=target)
    except InputError as error:
        return _unavailable("translate", f"cannot translate this message: {error}")
    return _run("translate", _task(TranslateTask), request, model_source)


def draft(model_source: ModelSource, conversation: Conversation, *, instruction: str | None) -> Outcome:
    """A draft for the human mediator, with its checks."""
    request = DraftRequest(conversation, instruction=instruction)
    return _run("draft", _task(DraftTask), request, model_source)


def intervene(model_source: ModelSource, conversation: Conversation, *, purpose: str | None) -> Outcome:
    """An autonomous intervention, labelled as AI, for the policy's purpose."""
    reason = PURPOSE_REASON.get(purpose or "", "cadence")
    request = InterventionRequest(conversation, reason=reason)
    return _run("intervene", _task(InterveneTask), request, model_source)


def summarize(model_source: ModelSource, conversation: Conversation) -> Outcome:
    """A dispute summary whose statements cite message ids."""
    request = SummaryRequest(conversation)
    return _run("summarize", _task(SummarizeTask), request, model_source, detail_of=_statements)


def _statements(output: Any) -> dict[str, Any]:
    return {"statements": [{"kind": s.kind, "text": s.text, "cites": s.cites} for s in output.statements]}
