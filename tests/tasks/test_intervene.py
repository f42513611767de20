"""Autonomous interventions: labelled, given their reason, verified more strictly than drafts."""

from __future__ import annotations

from typing import get_args

from commonground.core.conversation import Conversation
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.draft.task import Draft, DraftReply
from commonground.tasks.intervene.task import LABEL, InterveneTask, InterventionRequest, Reason


def test_heated_exchange_end_to_end(default_model: LocalModel, disputes: dict[str, Conversation]) -> None:
    result = InterveneTask(candidates=1).run(
        default_model, InterventionRequest(disputes["loan"], reason="heated")
    )
    print(f"intervene loan: {result.method} {result.text}")
    assert result.text.startswith(LABEL)
    assert result.passed, result.checks
    names = {c.name for c in result.checks}
    assert {"addresses_all", "brief", "calm", "neutral", "in_role", "grounded"} <= names
    if result.method == "llm":
        assert "swap_test" in names and len(result.calls) >= 2
    else:
        assert result.fallback_reason


def test_every_reason_has_a_labelled_fallback(unreachable_model: OpenAIModel, camera: Conversation) -> None:
    openers = set()
    for reason in get_args(Reason):
        result = InterveneTask().run(unreachable_model, InterventionRequest(camera, reason=reason))
        assert result.method == "fallback" and result.passed, (reason, result.checks)
        assert result.text.startswith(LABEL)
        openers.add(result.output.acknowledge)
    assert len(openers) == len(get_args(Reason))


def test_stricter_checks_reject_one_sided_loud_or_long_messages(camera: Conversation) -> None:
    task = InterveneTask()
    request = InterventionRequest(camera, reason="heated")
    loud = Draft(acknowledge="John, calm down!", facts="", question="What happened?", option="")
    long = task.fallback(request).model_copy(update={"facts": "You both said many things. " * 20})
    assert {c.name for c in task.verify(request, loud) if not c.passed} >= {"addresses_all", "calm"}
    assert "brief" in {c.name for c in task.verify(request, long) if not c.passed}


def test_an_acknowledgement_that_recounts_gives_way_to_the_reasons_opener(camera: Conversation) -> None:
    task = InterveneTask()
    request = InterventionRequest(camera, reason="heated")
    reply = DraftReply(
        acknowledge="John and Jane, you have shipped and returned the camera.",
        question="What would help each of you reach an agreement?",
        option="One option is to talk to the post office together.",
    )
    draft = task.complete(request, reply)
    assert draft.acknowledge == task.fallback(request).acknowledge
    assert draft.acknowledge.startswith("John and Jane, this exchange has become tense")
    assert set(draft.replaced) == {"acknowledge"}
