"""`commonground eval detection` and `commonground eval forecast`: JSON reports, given scores or the project's
models, clear errors. The small data sets are those of test_detection.py and test_forecasting.py, whose
docstrings work their answers out by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.conversation import Conversation, Message
from commonground.core.convokit import write_corpus
from commonground.signals.incivility import DEFAULT_THRESHOLD

RUN = CliRunner()
TINY_CSV = (
    "text,label,score,lang,identity\n"
    "a,1,0.9,en,\nb,0,0.6,en,muslim\nc,0,0.2,en,muslim\nd,1,0.8,de,\ne,1,0.3,de,\nf,0,0.1,de,gay\n"
)
RISKS = [(True, [0.2, 0.6, 0.4, 0.7]), (True, [0.1, 0.3, 0.8]), (True, [0.9, 0.2]), (False, [0.6, 0.1])]


def invoke(*args: str) -> dict:
    result = RUN.invoke(app, ["eval", *args, "--resamples", "100"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def values(group: dict) -> dict[str, float]:
    return {name: entry["value"] for name, entry in group.items() if isinstance(entry, dict)}


def test_detection_of_given_scores(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text(TINY_CSV)
    report = invoke("detection", str(path), "--by", "lang")
    assert (report["scorer"], report["threshold"]) == ("column 'score'", 0.5)
    assert values(report["overall"]) == pytest.approx(
        {"roc_auc": 8 / 9, "accuracy": 4 / 6, "precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "fpr": 1 / 3}
    )
    assert set(report["overall"]["f1"]) == {"value", "low", "high", "n"}
    assert values(report["by_lang"]["de"])["recall"] == 0.5
    assert report["by_identity"]["muslim"]["fpr"]["value"] == 0.5
    assert "identity_templates" not in report
    stricter = invoke("detection", str(path), "--threshold", "0.85")
    assert values(stricter["overall"])["recall"] == pytest.approx(1 / 3)


def test_detection_with_the_project_detector(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    rows = [
        {"text": "You are a complete idiot.", "label": 1},
        {"text": "Thanks, that helps a lot.", "label": 0},
        {"text": "Du bist dumm.", "label": 1},
        {"text": "Danke für die schnelle Antwort.", "label": 0},
    ]
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    report = invoke("detection", str(path), "--by", "lang")
    assert report["scorer"].startswith("incivility detector") and report["threshold"] == DEFAULT_THRESHOLD
    assert values(report["overall"])["roc_auc"] == 1.0 and values(report["overall"])["f1"] == 1.0
    assert sorted(report["by_lang"]) == ["de", "en"]
    assert values(report["by_lang"]["de"])["fpr"] == 0.0 and report["by_lang"]["de"]["fpr"]["n"] == 2
    assert set(report["identity_templates"]) == {"en", "de", "fr", "es"}


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (
            "text,label,score\na,1,0.9\nb,0,\n",
            [],
            r"tiny.csv:3: no 'score'; give every item a score, or none",
        ),
        ("text,label\na,1\nb,maybe\n", [], r"tiny.csv:3: column 'label' has 'maybe'"),
        ("body,label\na,1\n", [], r"tiny.csv:1: missing column 'text'"),
        ("text,label\na,1\n", ["--format", "xml"], "choose one of auto, csv"),
    ],
)
def test_detection_errors_are_one_line(tmp_path: Path, content: str, args: list[str], expected: str) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text(content)
    result = RUN.invoke(app, ["eval", "detection", str(path), *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert expected in " ".join(result.output.split()) or pytest.fail(result.output)


def test_forecast_of_given_scores_in_both_formats(tmp_path: Path) -> None:
    cga = tmp_path / "cga.json"
    lines = [
        {
            "src": " [SEP] ".join(f"c{i}" for i in range(len(risks))),
            "tgt": derails,
            "convo_id": n,
            "scores": risks,
        }
        for n, (derails, risks) in enumerate(RISKS)
    ]
    cga.write_text("".join(json.dumps(line) + "\n" for line in lines))
    conversations = [
        Conversation(
            id=str(n),
            messages=[
                Message(id=f"{n}.{i}", speaker="s", text="t", meta={"score": r}) for i, r in enumerate(risks)
            ]
            + [
                Message(
                    id=f"{n}.end", speaker="s", text="last", meta={"comment_has_personal_attack": derails}
                )
            ],
            meta={"conversation_has_personal_attack": derails},
        )
        for n, (derails, risks) in enumerate(RISKS)
    ]
    corpus = write_corpus(conversations, tmp_path / "corpus")
    for path in (cga, corpus):
        report = invoke("forecast", str(path))
        assert (report["n"], report["derailing"], report["threshold"]) == (4, 3, 0.5)
        assert values(report["metrics"]) == pytest.approx(
            {"roc_auc": 1.0, "accuracy": 3 / 4, "precision": 1.0, "recall": 2 / 3, "f1": 4 / 5, "fpr": 0.0}
        )
        assert report["horizon"]["mean"]["value"] == 1.0 and report["horizon"]["mean"]["n"] == 2


def test_forecast_on_the_held_out_split(test_data: Path, tmp_path: Path) -> None:
    sample = tmp_path / "cga.json"
    lines = (test_data / "conversations-gone-awry-cmv" / "cmv_base_valid.json").read_text().splitlines()
    sample.write_text("\n".join(lines[:40]) + "\n")
    output = tmp_path / "report.json"
    result = RUN.invoke(app, ["eval", "forecast", str(sample), "--split", "test", "--output", str(output)])
    assert result.exit_code == 0 and result.stdout == ""
    report = json.loads(output.read_text())
    assert (report["split"], report["n"], report["scorer"]) == (
        "test",
        12,
        "derailment forecaster derailment-v2-accurate",
    )
    assert 0.0 <= report["metrics"]["accuracy"]["value"] <= 1.0


def test_a_missing_file_is_one_line_on_stderr_as_a_process(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "commonground.cli", "eval", "forecast", str(tmp_path / "none.json")]
    done = subprocess.run(command, capture_output=True, timeout=60)
    assert done.returncode == 2 and done.stdout == b""
    assert (
        done.stderr.decode() == f"Error: {tmp_path / 'none.json'}: cannot read (No such file or directory)\n"
    )
