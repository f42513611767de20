"""Dispute summaries: every statement cites message ids that exist, support it and do not turn it around."""

from __future__ import annotations

import pytest

from commonground.core.conversation import Conversation
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.summarize.task import Statement, SummarizeTask, Summary, SummaryRequest


def test_camera_summary_end_to_end(default_model: LocalModel, camera: Conversation) -> None:
    result = SummarizeTask(candidates=1).run(default_model, SummaryRequest(camera))
    print(f"summarize camera: {result.method} {result.fallback_reason or ''}\n{result.text}")
    assert result.passed, result.checks
    ids = {m.id for m in camera.messages}
    assert result.output.statements and all(set(s.cites) <= ids and s.cites for s in result.output.statements)
    assert result.method == "llm" or result.fallback_reason


def test_extractive_fallback_passes_on_every_dispute(
    unreachable_model: OpenAIModel, disputes: dict[str, Conversation]
) -> None:
    for name, conversation in disputes.items():
        result = SummarizeTask().run(unreachable_model, SummaryRequest(conversation))
        assert result.method == "fallback" and result.passed, (name, result.checks)
        kinds = {s.kind for s in result.output.statements}
        assert "position" in kinds, name


def test_verification_catches_bad_citations(camera: Conversation) -> None:
    task = SummarizeTask()
    request = SummaryRequest(camera)
    bad = Summary(
        statements=[
            Statement(
                kind="position", party="John", text="John wants a full refund for the camera.", cites=["99"]
            ),
            Statement(
                kind="fact", party="", text="Both agree the seeds were delivered in April.", cites=["2"]
            ),
        ]
    )
    failed = {c.name for c in task.verify(request, bad) if not c.passed}
    assert failed >= {"cites_exist", "supported", "parties_covered", "grounded"}
    good = Summary(
        statements=[
            Statement(
                kind="position", party="John", text="John wants a full refund for the camera.", cites=["1"]
            ),
            Statement(
                kind="position", party="Jane", text="Jane says the camera worked when shipped.", cites=["2"]
            ),
        ]
    )
    assert all(c.passed for c in task.verify(request, good))


REVERSED = {
    # dispute: (faithful position of the first party, a statement turning the second party's message around)
    "camera": (
        Statement(
            kind="position", party="John", text="John wants a full refund for the camera.", cites=["1"]
        ),
        Statement(
            kind="position",
            party="Jane",
            text="Jane admits the camera was already broken when she packed and shipped it.",
            cites=["2"],
        ),
    ),
    "leak": (
        Statement(
            kind="position",
            party="Maria",
            text="Maria says the bathroom ceiling has been leaking for three weeks.",
            cites=["1"],
        ),
        Statement(
            kind="position",
            party="Tom",
            text="Tom says he heard about the leak long before today.",
            cites=["2"],
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(REVERSED))
def test_a_statement_reversing_its_message_is_dropped_by_the_entailment_check(
    default_model: LocalModel, disputes: dict[str, Conversation], name: str
) -> None:
    task, faithful, turned = SummarizeTask(), *REVERSED[name]
    request = SummaryRequest(disputes[name])
    summary = Summary(statements=[faithful, turned])
    assert all(c.passed for c in task.verify(request, summary))  # word overlap and embeddings cannot see it
    review = task.review(default_model, request, summary)
    (entailed,) = review.checks
    assert entailed.score == 0.5 and entailed.passed  # half the statements stand: the summary is mended
    assert turned.text[:40] in entailed.detail and faithful.text[:40] not in entailed.detail
    assert [call.template for call in review.calls].count("entailment") == 2  # and the attribution judge's
    # The reversed position is gone; its party's position is now its own first sentence, quoted.
    (quoted,) = [s for s in review.output.statements if s.party == turned.party]
    first = disputes[name].messages[1]
    assert quoted.text.startswith(f"{turned.party}: {first.text[:20]}") and quoted.cites == [first.id]
    assert faithful in review.output.statements and turned not in review.output.statements
    assert all(c.passed for c in task.verify(request, review.output))
