"""The mediator draft: the five disputes end to end, the swap test, the parties quoted, fallbacks by real
failure, bad input."""

from __future__ import annotations

import logging
import re

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.draft import claims
from commonground.tasks.draft.task import Draft, DraftReply, DraftRequest, DraftTask

log = logging.getLogger(__name__)
DRAFT_CHECKS = {"complete", "in_role", "grounded", "neutral", "instruction", "no_prompt_leak"}


def test_five_disputes_end_to_end(default_model: LocalModel, disputes: dict[str, Conversation]) -> None:
    task = DraftTask(candidates=1, swap_test=False)
    methods = {}
    for name, conversation in disputes.items():
        result = task.run(default_model, DraftRequest(conversation))
        methods[name] = result.method
        assert {c.name for c in result.checks} >= DRAFT_CHECKS
        assert result.passed, (name, result.checks)
        assert all(
            c.template == "draft" and c.template_version == task.template.version for c in result.calls
        )
        assert all(c.model == default_model.name and c.prompt_tokens > 0 for c in result.calls)
        assert result.calls if result.method == "llm" else result.fallback_reason
        log.warning("draft %s: %s %s", name, result.method, result.text)
    print(f"draft methods: {methods}")
    assert list(methods.values()).count("llm") >= 3, methods


def test_instruction_and_swap_test(default_model: LocalModel, camera: Conversation) -> None:
    task = DraftTask(candidates=1)
    request = DraftRequest(camera, instruction="ask about the packaging")
    draft = task.fallback(request)
    review = task.review(default_model, request, draft)
    assert review.output is draft and [c.name for c in review.checks] == ["swap_test"]
    assert all(c.passed for c in review.checks), review.checks
    judged = DraftTask(candidates=1, attribution=True).review(default_model, request, draft)
    assert [c.name for c in judged.checks] == ["attribution", "swap_test"] and judged.checks[0].passed
    assert len(review.calls) >= 1 and review.calls[0].template == "draft"
    assert "packaging" in task.text(draft) and "?" in draft.question


def test_fallback_when_the_model_fails(timing_out_model: LocalModel, camera: Conversation) -> None:
    result = DraftTask().run(timing_out_model, DraftRequest(camera, instruction="propose a payment plan"))
    assert result.method == "fallback"
    assert "COMMONGROUND_LLM__TIMEOUT_S" in (result.fallback_reason or "")
    assert [call.outcome for call in result.calls] == ["error"], "the timed-out call stays on record"
    assert result.passed, result.checks
    assert "payment plan" in result.text


def test_fallback_when_the_output_is_cut_short(default_model: LocalModel, camera: Conversation) -> None:
    result = DraftTask(candidates=1, max_tokens=6).run(default_model, DraftRequest(camera))
    assert result.method == "fallback"
    assert "does not match Draft" in (result.fallback_reason or "")


def test_verification_rejects_a_partisan_draft(camera: Conversation) -> None:
    task = DraftTask()
    partisan = Draft(
        acknowledge="John, I understand. I sold you a camera that worked.",
        facts="",
        question="Why did you break it?",
        option="John must drop the refund and pay Jane 500 dollars.",
    )
    failed = {c.name for c in task.verify(DraftRequest(camera), partisan) if not c.passed}
    assert {"in_role", "grounded", "neutral"} <= failed


REPLY = DraftReply(
    acknowledge="John and Jane, I can hear this matters to you both.",
    question="Could each of you share photos of the packaging?",
    option="One option is to file a claim with the post office together.",
)


def test_the_facts_are_each_partys_own_words_under_their_own_name(camera: Conversation) -> None:
    task = DraftTask()
    request = DraftRequest(camera)
    draft = task.complete(request, REPLY)
    quotes = re.findall(r"(\w+) wrote: “([^”]+)”", draft.facts)
    assert [speaker for speaker, _ in quotes] == ["John", "Jane"]
    for speaker, quoted in quotes:
        assert any(m.text.startswith(quoted) for m in camera.messages if m.speaker == speaker), quoted
    assert task.text(draft).startswith(REPLY.acknowledge + " John wrote: “")
    assert all(c.passed for c in task.verify(request, draft)), task.verify(request, draft)


def test_prompt_tokens_stay_flat_with_history(default_model: LocalModel, camera: Conversation) -> None:
    def prompt_tokens(count: int) -> int:
        messages = [
            m.model_copy(update={"id": str(i)})
            for i, m in enumerate((camera.messages * (count // len(camera.messages) + 1))[:count])
        ]
        prompt = DraftTask().prompt(DraftRequest(Conversation(id="long", messages=messages)))
        return sum(default_model.count_tokens(m.content) for m in prompt.messages)

    sizes = [prompt_tokens(n) for n in (10, 100, 1000)]
    print(f"draft prompt tokens at 10/100/1000 messages: {sizes}")
    # 10 messages need no digest; from then on only the bounded digest is added, whatever the length.
    assert sizes[2] <= sizes[1] * 1.05 and sizes[2] - sizes[0] <= 150, sizes


def test_bad_input(unreachable_model: OpenAIModel, camera: Conversation) -> None:
    with pytest.raises(InputError):
        DraftTask().run(unreachable_model, DraftRequest(Conversation(id="empty")))
    one_party = Conversation(id="one", messages=[m for m in camera.messages if m.speaker == "John"])
    huge = camera.model_copy(
        update={"messages": [*camera.messages, Message(id="6", speaker="Zed", text="x " * 50_000)]}
    )
    mixed = camera.model_copy(
        update={
            "messages": [
                *camera.messages,
                Message(id="6", speaker="Jane", text="Je ne rembourse pas, c'est clair."),
            ]
        }
    )
    for conversation in (one_party, huge, mixed):
        result = DraftTask().run(unreachable_model, DraftRequest(conversation))
        assert result.method == "fallback" and result.passed, (conversation.id, result.checks)


def test_an_acknowledgement_or_question_that_recounts_a_claim_is_the_templates(camera: Conversation) -> None:
    task, request = DraftTask(), DraftRequest(camera)
    recounting = REPLY.model_copy(
        update={
            "acknowledge": "John and Jane, I can hear that John bought a camera with a cracked lens.",
            "question": "John and Jane, why did the lens crack?",
        }
    )
    draft = task.complete(request, recounting)
    assert draft.acknowledge == task.acknowledgement(request) == task.fallback(request).acknowledge
    assert draft.question == task.question(request)
    assert set(draft.replaced) == {"acknowledge", "question"}
    assert "presupposes" in draft.replaced["question"]
    assert draft.option == REPLY.option
    assert task.complete(request, REPLY).replaced == {}
    figure = next(f for f in sorted(claims.one_sided(camera.messages, ("John", "Jane"))) if f.isdigit())
    priced = REPLY.model_copy(update={"option": f"One option is to settle on {figure} together."})
    assert task.complete(request, priced).option == task.option(request) == task.fallback(request).option
