"""Deliberation summaries of Polis conversations: no opinion group left out, every citation checked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.deliberation.opinion_groups import opinion_map
from commonground.deliberation.polis import load_export
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.deliberation.task import (
    DeliberationRequest,
    DeliberationSummary,
    DeliberationTask,
    Statement,
)

EXPORTS = ("15-per-hour-seattle", "scoop-hivemind.biodiversity")


@pytest.fixture(scope="module")
def requests(test_data: Path) -> dict[str, DeliberationRequest]:
    """Each sample export with the groups Polis gave (deterministic, and the ones its users saw)."""
    exports = {name: load_export(test_data / "polis" / name) for name in EXPORTS}
    return {name: DeliberationRequest(e, opinion_map(e, source="polis")) for name, e in exports.items()}


@pytest.fixture(scope="module")
def seattle(requests: dict[str, DeliberationRequest]) -> DeliberationRequest:
    return requests["15-per-hour-seattle"]


def _covers_every_group(request: DeliberationRequest, summary: DeliberationSummary) -> bool:
    return all(
        any(
            s.group == g.id and {r.comment for r in g.representative} & set(s.cites)
            for s in summary.statements
        )
        for g in request.opinions.groups
    )


def test_extractive_fallback_covers_every_group(
    unreachable_model: OpenAIModel, requests: dict[str, DeliberationRequest]
) -> None:
    for name, request in requests.items():
        result = DeliberationTask().run(unreachable_model, request)
        assert result.method == "fallback" and result.passed, (name, result.checks)
        assert result.fallback_reason and result.fallback_reason.startswith("model failed")
        assert _covers_every_group(request, result.output), name
        consensus = [s for s in result.output.statements if s.group is None]
        assert bool(consensus) == bool(request.opinions.consensus), name


def test_a_real_model_failure_falls_back(small_model: LocalModel, seattle: DeliberationRequest) -> None:
    result = DeliberationTask(candidates=1, max_tokens=8).run(small_model, replace(seattle, shown=1))
    assert result.method == "fallback" and result.passed, result.checks
    assert result.fallback_reason and "does not match DeliberationSummary" in result.fallback_reason


def test_the_prompt_stays_bounded(requests: dict[str, DeliberationRequest]) -> None:
    task = DeliberationTask()
    sizes = {name: len(task.prompt(request).messages[-1].content) for name, request in requests.items()}
    assert max(sizes.values()) < 2000, sizes  # 30 comments show no more than 13
    assert len(task.prompt(replace(requests["15-per-hour-seattle"], shown=1)).messages[-1].content) < 800


def test_a_summary_leaving_out_a_group_fails(seattle: DeliberationRequest) -> None:
    task = DeliberationTask()
    majority, minority = seattle.opinions.groups
    own = next(
        r.comment
        for r in majority.representative
        if r.comment not in {m.comment for m in minority.representative}
    )
    text = seattle.text(own)
    one_sided = DeliberationSummary(statements=[Statement(text=text, cites=[own], group=majority.id)])
    failed = {c.name: c.detail for c in task.verify(seattle, one_sided) if not c.passed}
    assert set(failed) == {"groups_covered"} and f"group {minority.id}" in failed["groups_covered"]
    agreed = next(r.comment for r in minority.representative if r.direction == "agree")
    both = [*one_sided.statements, Statement(text=seattle.text(agreed), cites=[agreed], group=minority.id)]
    assert all(c.passed for c in task.verify(seattle, DeliberationSummary(statements=both)))


def test_bad_citations_and_claims_fail(seattle: DeliberationRequest) -> None:
    task = DeliberationTask()
    group, minority = seattle.opinions.groups
    first = next(r.comment for r in group.representative if r.direction == "disagree")
    refused = [r.comment for r in minority.representative if r.direction == "disagree"]
    curly = next(c for c in refused[1:] if "’" in seattle.text(c))  # quoted below with straight apostrophes
    bad = DeliberationSummary(
        statements=[
            Statement(text="Everyone wants a 30 dollar wage by 2030.", cites=[first], group=group.id),
            Statement(text=seattle.text(first), cites=[9999], group=group.id),
            Statement(text=seattle.text(first), cites=[first], group=None),  # no consensus exists here
            Statement(
                text=f"Group {minority.id} backs this: {seattle.text(refused[0])}",
                cites=[refused[0]],
                group=minority.id,
            ),
            Statement(
                text=f"Group {minority.id} holds: " + seattle.text(curly).replace("’", "'"),
                cites=[curly],
                group=minority.id,
            ),
        ]
    )
    checks = {c.name: c for c in task.verify(seattle, bad)}
    assert {name for name, c in checks.items() if not c.passed} == {
        "cites_exist",
        "supported",
        "attributed",
        "direction",
        "grounded",
    }
    assert checks["direction"].score == 0.4  # three back what their group rejected (first, refused, curly)


def test_seattle_summary_end_to_end(default_model: LocalModel, seattle: DeliberationRequest) -> None:
    result = DeliberationTask(candidates=1, max_tokens=200).run(default_model, replace(seattle, shown=2))
    print(f"deliberation seattle: {result.method} {result.fallback_reason or ''}\n{result.text}")
    assert result.passed, result.checks
    assert _covers_every_group(seattle, result.output)
    assert result.method == "llm" or result.fallback_reason


def test_summarize_polis_command(test_data: Path, settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LLM__BACKEND", "openai")
    monkeypatch.setenv("COMMONGROUND_LLM__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("COMMONGROUND_LLM__MAX_RETRIES", "0")
    directory = str(test_data / "polis" / "15-per-hour-seattle")
    result = CliRunner().invoke(app, ["summarize-polis", directory, "--groups", "polis"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [g["size"] for g in out["groups"]] == [18, 9] and out["method"] == "fallback"
    assert {s["group"] for s in out["statements"]} == {0, 1} and all(c["passed"] for c in out["checks"])
    bad = CliRunner().invoke(app, ["summarize-polis", directory, "--groups", "nope"])
    assert bad.exit_code == 2
