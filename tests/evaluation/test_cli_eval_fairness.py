"""The fidelity, neutrality and pluralism `eval` commands end to end: a JSON report, or one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.transcripts import read_transcript
from commonground.deliberation.opinion_groups import opinion_map
from commonground.deliberation.polis import load_export
from commonground.examples import EXAMPLES_DIR
from commonground.tasks.deliberation.task import DeliberationRequest, DeliberationTask
from commonground.tasks.summarize.task import SummarizeTask, SummaryRequest

CAMERA = EXAMPLES_DIR / "camera.jsonl"
runner = CliRunner()


@pytest.fixture
def timing_out(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The small model with a time limit too short for any answer: every model call fails."""
    monkeypatch.setenv("COMMONGROUND_LLM__MODEL", "smollm2-135m")
    monkeypatch.setenv("COMMONGROUND_LLM__TIMEOUT_S", "0.001")


def write_lines(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def report_of(args: list[str]) -> dict:
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rephrase_report_without_the_model(tmp_path: Path) -> None:
    pairs = write_lines(
        tmp_path / "pairs.jsonl",
        {
            "id": "a",
            "text": "Shut up, you never paid the 50 dollars.",
            "rephrased": "You never paid the 50 dollars.",
        },
        {"text": "Your idea is stupid.", "rephrased": "I disagree with your idea."},
    )
    report = report_of(["rephrase", str(pairs), "--no-judge", "--no-fluency"])
    assert [item["id"] for item in report["items"]] == ["a", "2"]
    assert report["items"][0]["claims"] == 1.0 and report["items"][0]["relation"] is None
    assert (
        set(report["aggregate"]["j"]) == {"value", "low", "high", "n"} and report["aggregate"]["j"]["n"] == 2
    )
    assert report["errors"] == []


def test_model_failures_become_error_entries(timing_out: None, tmp_path: Path) -> None:
    pairs = write_lines(tmp_path / "t.jsonl", {"id": "x", "text": "It arrived broken.", "lang": "en"})
    report = report_of(["translation", str(pairs), "--to", "fr"])
    assert report["items"] == [] and [e["id"] for e in report["errors"]] == ["x"]
    assert "COMMONGROUND_LLM__TIMEOUT_S" in report["errors"][0]["error"]
    report = report_of(["neutrality", str(CAMERA), "--swap", "names"])
    assert [e["id"] for e in report["errors"]] == ["camera"]


def test_pluralism_of_a_deliberation_summary(test_data: Path, tmp_path: Path) -> None:
    directory = test_data / "polis" / "15-per-hour-seattle"
    export = load_export(directory)
    opinions = opinion_map(export)
    summary = DeliberationTask().fallback(DeliberationRequest(export, opinions))
    path = tmp_path / "summary.json"
    path.write_text(
        json.dumps(
            {
                "groups": [
                    {
                        "id": g.id,
                        "size": len(g.members),
                        "representative": [r.comment for r in g.representative],
                    }
                    for g in opinions.groups
                ],
                "statements": [s.model_dump() for s in summary.statements],
            }
        )
    )
    report = report_of(["pluralism", str(path), "--polis", str(directory)])
    assert [g["id"] for g in report["groups"]] == [str(g.id) for g in opinions.groups]
    assert all(g["cited"] > 0 and g["statements"] >= 1 for g in report["groups"])
    assert report["aggregate"]["citation_validity"]["value"] == 1.0 and report["minority_ratio"] > 0
    regrouped = report_of(["pluralism", str(path), "--polis", str(directory), "--groups", "polis"])
    assert regrouped["groups"] and regrouped["citations"] == report["citations"]
    path.write_text(json.dumps({"statements": []}))
    for groups, message in (("given", "no 'groups' in the summary"), ("mine", "not 'mine'")):
        result = runner.invoke(
            app, ["eval", "pluralism", str(path), "--polis", str(directory), "--groups", groups]
        )
        assert result.exit_code == 2 and message in result.output, result.output


def test_pluralism_of_a_dispute_summary(tmp_path: Path) -> None:
    result = SummarizeTask().fallback(SummaryRequest(read_transcript(CAMERA)))
    path = tmp_path / "summary.json"
    path.write_text(json.dumps({"output": result.model_dump()}))
    report = report_of(["pluralism", str(path), "--transcript", str(CAMERA)])
    assert [g["id"] for g in report["groups"]] == ["John", "Jane"]
    assert all(g["cited"] > 0 for g in report["groups"])
    # Two groups of one: the total variation distance is how far John's share of statements is from 1/2.
    assert report["proportionality"] == pytest.approx(1 - abs(report["groups"][0]["statement_share"] - 0.5))


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (
            ["rephrase"],
            '{"id": "a", "text": "x", "rephrased": "y"}\n{"text": "no rewrite"}\n',
            "in.jsonl:2: rephrased: Field required",
        ),
        (["rephrase"], "not json\n", "in.jsonl:1: invalid JSON"),
        (["translation"], '{"text": "Hello there."}\n', "in.jsonl:1: target: Field required"),
        (["pluralism"], "{}", "give either --polis DIR"),
        (
            ["pluralism", "--transcript", str(CAMERA)],
            '{"statements": [{"text": 1}]}',
            "in.jsonl: statements.0.text:",
        ),
        (["neutrality", "--swap", "ages"], "A: hi\nB: hello\n", "unknown swap 'ages'"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], content: str, message: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["eval", args[0], str(path), *args[1:]])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
