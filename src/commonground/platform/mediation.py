"""The one place the platform calls mediation tasks; a missing task or a model that is down gives
an `Outcome` marked unavailable instead of an error, so posting and the pages keep working.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from commonground.core.conversation import Conversation
from commonground.core.errors import InputError, ModelError
from commonground.llm.base import Model
from commonground.llm.types import CallRecord
from commonground.signals.incivility import IncivilityDetector

log = logging.getLogger(__name__)

ModelSource = Callable[[], Model]
PURPOSE_REASON = {"requested": "request", "de_escalate": "heated", "re_engage": "inactivity"}
_CATEGORY_NOTE = {
    "insult": "may read as an insult",
    "profanity": "is profanity",
    "identity_attack": "may read as an attack on who someone is",
    "threat": "may read as a threat",
    "dismissive": "may sound dismissive",
    "toxicity": "may land badly",
}


@dataclass
class Outcome:
    """A task's text for a person to see, or why there is none."""

    status: str
    text: str | None = None
    method: str | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    task: str = ""
    calls: list[CallRecord] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.status == "proposed"


def _unavailable(task: str, reason: str, calls: list[CallRecord] | None = None) -> Outcome:
    log.info("%s unavailable: %s", task, reason)
    return Outcome(status="unavailable", reason=reason, task=task, calls=calls or [])


def _task_module(name: str) -> Any | None:
    try:
        return importlib.import_module(f"commonground.tasks.{name}.task")
    except ImportError:
        return None


@cache
def _task(module: Any, class_name: str) -> Any:
    """One instance per task class (loading a prompt template is not free)."""
    return getattr(module, class_name)()


def _run(
    task_name: str,
    task: Any,
    request: Any,
    model_source: ModelSource,
    *,
    detail_of: Callable[[Any], dict[str, Any]] | None = None,
) -> Outcome:
    """Run a task; a model failure (at open or during the call) makes the outcome unavailable."""
    try:
        result = task.run(model_source(), request)
    except ModelError as error:
        return _unavailable(task_name, f"the language model is unavailable: {error}")
    except InputError as error:
        return _unavailable(task_name, str(error))
    if result.method == "fallback" and (result.fallback_reason or "").startswith("model failed"):
        return _unavailable(
            task_name, f"the language model is unavailable: {result.fallback_reason}", result.calls
        )
    return Outcome(
        status="proposed",
        text=result.text,
        method=result.method,
        checks=[c.model_dump() for c in result.checks],
        detail={"fallback_reason": result.fallback_reason} | (detail_of(result.output) if detail_of else {}),
        task=task_name,
        calls=result.calls,
    )


def feedback(detector: IncivilityDetector, text: str, *, lang: str | None = None) -> str:
    """A short note naming the words that may land badly and why."""
    score = detector.score(text, lang)
    notes = [
        f"“{text[start:end]}” {_CATEGORY_NOTE.get(category, 'may land badly')}"
        for start, end, category in score.spans[:3]
    ]
    if not notes:
        return "This message may come across as hostile. Would you like to rephrase it before sending?"
    return (
        "Before you send: "
        + "; ".join(notes)
        + ". The other side is more likely to listen to a calmer version."
    )


def rephrase(
    model_source: ModelSource, text: str, *, lang: str | None, context: tuple[str, ...] = ()
) -> Outcome:
    """A calmer rephrasing of an author's draft, verified by the rephrase task."""
    module = _task_module("rephrase")
    if module is None:
        return _unavailable("rephrase", "the rephrase task is not installed")
    try:
        request = module.RephraseRequest(text=text, lang=lang, context=context)
    except (TypeError, InputError) as error:
        return _unavailable("rephrase", f"cannot rephrase this draft: {error}")
    return _run("rephrase", _task(module, "RephraseTask"), request, model_source)


def draft(model_source: ModelSource, conversation: Conversation, *, instruction: str | None) -> Outcome:
    """A draft for the human mediator, with its checks."""
    module = _task_module("draft")
    if module is None:
        return _unavailable("draft", "the draft task is not installed")
    request = module.DraftRequest(conversation, instruction=instruction)
    return _run("draft", _task(module, "DraftTask"), request, model_source)


def intervene(model_source: ModelSource, conversation: Conversation, *, purpose: str | None) -> Outcome:
    """An autonomous intervention, labelled as AI, for the policy's purpose."""
    module = _task_module("intervene")
    if module is None:
        return _unavailable("intervene", "the intervene task is not installed")
    reason = PURPOSE_REASON.get(purpose or "", "cadence")
    request = module.InterventionRequest(conversation, reason=reason)
    return _run("intervene", _task(module, "InterveneTask"), request, model_source)


def summarize(model_source: ModelSource, conversation: Conversation) -> Outcome:
    """A dispute summary whose statements cite message ids."""
    module = _task_module("summarize")
    if module is None:
        return _unavailable("summarize", "the summarize task is not installed")
    request = module.SummaryRequest(conversation)
    return _run("summarize", _task(module, "SummarizeTask"), request, model_source, detail_of=_statements)


def _statements(output: Any) -> dict[str, Any]:
    return {"statements": [{"kind": s.kind, "text": s.text, "cites": s.cites} for s in output.statements]}
