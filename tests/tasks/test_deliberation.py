"""Deliberation summaries of Polis conversations: every group its own voice, no comment claimed twice."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from tests.tasks.polis_fixture import write_export
from typer.testing import CliRunner

from commonground.cli import app
from commonground.deliberation.opinion_groups import opinion_map
from commonground.deliberation.polis import load_export
from commonground.llm.local import LocalModel
from commonground.tasks.context import clip
from commonground.tasks.deliberation.plan import Voice, plan_voices
from commonground.tasks.deliberation.task import (
    DeliberationRequest,
    DeliberationSummary,
    DeliberationTask,
    Statement,
)
from commonground.tasks.deliberation.voice import COMMENT_CHARS


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("polis") / "cycling")


@pytest.fixture(scope="module")
def request_(export_dir: Path) -> DeliberationRequest:
    export = load_export(export_dir)
    return DeliberationRequest(export, opinion_map(export, source="polis"))


def _failed(task: DeliberationTask, request: DeliberationRequest, statements: list[Statement]) -> set[str]:
    summary = DeliberationSummary(statements=statements)
    return {c.name for c in task.verify(request, summary) if not c.passed}


def test_groups_own_their_comments_and_consensus_is_apart(request_: DeliberationRequest) -> None:
    majority, minority = request_.opinions.groups
    mine, theirs = ({r.comment for r in g.representative} for g in (majority, minority))
    assert mine and theirs and not mine & theirs
    assert request_.opinions.consensus == (2,) and 2 not in mine | theirs
    voices = plan_voices(request_.opinions, len(request_.export.comments))
    assert [v.group for v in voices] == [0, 1, None]
    assert all(v.statements >= 2 for v in voices[:2]) and set(voices[-1].comments) == {2}


def test_the_fallback_gives_every_voice_and_passes(
    timing_out_model: LocalModel, request_: DeliberationRequest
) -> None:
    result = DeliberationTask().run(timing_out_model, request_)
    assert result.method == "fallback" and result.passed, result.checks
    assert (
        result.fallback_reason
        and "group 0: model failed: local model smollm2-135m did not" in result.fallback_reason
    )
    assert {s.group for s in result.output.statements} == {0, 1, None}
    assert result.output.language == "en" and result.output.language_source == "conversation"


def test_the_reader_language_is_used_and_said(
    timing_out_model: LocalModel, request_: DeliberationRequest
) -> None:
    result = DeliberationTask().run(timing_out_model, replace(request_, reader_lang="French"))
    assert result.output.language == "fr" and result.output.language_source == "reader"
    assert result.output.statements[0].text.startswith("Le groupe 0")


def test_contradictions_and_stray_citations_fail(request_: DeliberationRequest) -> None:
    task = DeliberationTask()
    good = DeliberationTask().fallback(request_).statements
    assert not _failed(task, request_, good)
    agreed = next(r.comment for r in request_.opinions.groups[0].representative if r.direction == "agree")
    own = Statement(text="Group 0 wants this: " + request_.text(agreed), cites=[agreed], group=0)
    rest = [s for s in good if agreed not in s.cites]
    assert "contradictions" not in _failed(task, request_, [*rest, own])
    claimed_twice = own.model_copy(update={"group": 1})
    assert {"contradictions", "attributed"} <= _failed(task, request_, [*rest, own, claimed_twice])
    turned = Statement(text="Group 0 does not want this: " + request_.text(agreed), cites=[agreed], group=0)
    assert "contradictions" in _failed(task, request_, [*rest, own, turned])
    one_sided = [s for s in good if s.group != 1]
    assert "groups_covered" in _failed(task, request_, one_sided)


def test_a_real_model_failure_falls_back(small_model: LocalModel, request_: DeliberationRequest) -> None:
    result = DeliberationTask(candidates=1, max_tokens=8).run(small_model, request_)
    assert result.method == "fallback" and result.passed, result.checks
    assert result.fallback_reason and "does not match VoiceOutput" in result.fallback_reason


def test_the_prompts_stay_bounded(request_: DeliberationRequest) -> None:
    prompts = DeliberationTask().voice_prompts(request_)
    voices = request_.voices
    assert len(prompts) == sum(len(v.parts()) for v in voices) == sum(v.statements for v in voices)
    assert max(len(p.messages[-1].content) for p in prompts) < 1500


def test_summary_end_to_end(default_model: LocalModel, request_: DeliberationRequest) -> None:
    result = DeliberationTask(candidates=1).run(default_model, request_)
    print(f"deliberation: {result.method} {result.fallback_reason or ''}\n{result.text}")
    assert result.passed, result.checks
    assert {s.group for s in result.output.statements} == {0, 1, None}


def test_summarize_polis_command(export_dir: Path, settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LLM__MODEL", "smollm2-135m")
    monkeypatch.setenv("COMMONGROUND_LLM__TIMEOUT_S", "0.001")
    result = CliRunner().invoke(
        app, ["summarize-polis", str(export_dir), "--groups", "polis", "--lang", "de"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [g["size"] for g in out["groups"]] == [8, 4] and out["method"] == "fallback"
    assert out["language"] == "de" and out["language_source"] == "reader"
    assert {s["group"] for s in out["statements"]} == {0, 1, None}
    bad = CliRunner().invoke(app, ["summarize-polis", str(export_dir), "--groups", "nope"])
    assert bad.exit_code == 2


def test_the_fallback_quotes_each_comment_after_its_lead_once(request_: DeliberationRequest) -> None:
    statements = DeliberationTask().fallback(request_).statements
    assert statements
    for statement in statements:
        for comment in statement.cites:
            assert f"“{clip(request_.text(comment), COMMENT_CHARS)}”" in statement.text
        for lead in ("Group {g} agreed, more", "Group {g} disagreed, more"):
            assert statement.text.count(lead.format(g=statement.group)) <= 1, statement.text
        # Each part ends as a sentence before the next lead: a closing quote that ends one, or a stop.
        assert re.fullmatch(r"(?:[^“”]+: (?:“[^”]*”(?:, )?)+\.? ?)+", statement.text), statement.text


def test_a_voice_is_written_one_statement_per_call_from_comments_dealt_in_turn() -> None:
    voice = Voice(group=1, comments=(10, 11, 12, 13, 14), statements=2)
    assert [(p.comments, p.statements) for p in voice.parts()] == [((10, 12, 14), 1), ((11, 13), 1)]
    assert [p.comments for p in Voice(group=None, comments=(3,), statements=2).parts()] == [(3,)]
