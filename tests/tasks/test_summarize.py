"""Dispute summaries: every statement cites message ids that exist and support it."""

from __future__ import annotations

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
