"""`commonground eval human build | export | import | report` as a researcher runs them, in real processes."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from tests.evaluation.human.conftest import write_lines
from tests.test_cli import assert_one_line_error, run

from commonground.evaluation.human.batch import read_key

SCORES = {"qwen-local": "5", "gpt-remote": "3"}  # what both annotators give each system's civility


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    return clean | {"COMMONGROUND_DATA_DIR": str(tmp_path / "data")}


def fill(sheet: Path, key_path: Path) -> None:
    """Rate as an annotator would who always gives the first system 5 and the second 3, and who reads
    attention checks."""
    key = read_key(key_path)
    with sheet.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        asked = re.search(r"rate every question (\d)", row["text"])
        if asked:
            row.update(meaning_kept=asked[1], civility=asked[1], fluency=asked[1])
        else:
            row["civility"] = SCORES[key.by_item[row["item"]].systems["text"]]
    with sheet.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_build_export_import_report(
    rephrasings: dict[str, Path], tmp_path: Path, env: dict[str, str]
) -> None:
    systems = [option for name, path in rephrasings.items() for option in ("--system", f"{name}={path}")]
    built = run(
        "eval", "human", "build", "rephrase", *systems, "--key", str(tmp_path / "key.json"),
        "-o", str(tmp_path / "batch.json"), "--attention-checks", "1", "--seed", "4", env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    batch = json.loads((tmp_path / "batch.json").read_text())
    assert len(batch["items"]) == 7 and "qwen-local" not in json.dumps(batch)
    sheets = []
    for annotator in ("alice", "bob"):
        sheet = tmp_path / f"{annotator}.csv"
        exported = run(
            "eval", "human", "export", str(tmp_path / "batch.json"), "--annotator", annotator,
            "-o", str(sheet), "--instructions", str(tmp_path / "instructions.md"), env=env,
        )  # fmt: skip
        assert exported.returncode == 0, exported.stderr
        fill(sheet, tmp_path / "key.json")
        sheets.append(str(sheet))
    assert "## `civility`: How civil is the text?" in (tmp_path / "instructions.md").read_text()
    imported = run(
        "eval", "human", "import", str(tmp_path / "batch.json"), str(tmp_path / "key.json"), *sheets, env=env
    )
    assert imported.returncode == 0, imported.stderr
    (tmp_path / "judgements.jsonl").write_text(imported.stdout)
    assert len(imported.stdout.splitlines()) == 14
    reported = run(
        "eval", "human", "report", str(tmp_path / "judgements.jsonl"), "--resamples", "200", env=env
    )
    assert reported.returncode == 0, reported.stderr
    result = json.loads(reported.stdout)
    assert (
        result["annotators"]["alice"]["attention_passed"] == 1 and not result["annotators"]["bob"]["excluded"]
    )
    assert result["ratings"]["qwen-local"]["civility"]["value"] == 5.0
    assert result["ratings"]["gpt-remote"]["civility"]["value"] == 3.0
    assert result["agreement"]["civility"]["alpha"]["value"] == 1.0
    assert result["agreement"]["civility"]["units"] == 6


def test_draft_batch_context_from_a_transcript_and_one_line_errors(
    tmp_path: Path, env: dict[str, str]
) -> None:
    transcript = tmp_path / "camera.txt"
    transcript.write_text("John: The lens was cracked.\nJane: It worked when I sent it.\n")
    first = write_lines(
        tmp_path / "a.jsonl", [{"task": "draft", "text": "John and Jane, let us look at the photos."}]
    )
    second = write_lines(
        tmp_path / "b.jsonl", [{"task": "draft", "text": "Could you both share the receipts?"}]
    )
    built = run(
        "eval", "human", "build", "draft", "--system", str(first), "--system", str(second),
        "--transcript", str(transcript), "--key", str(tmp_path / "key.json"), "--criteria", "neutrality",
        env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (item,) = json.loads(built.stdout)["items"]
    assert item["context"] == "John: The lens was cracked.\nJane: It worked when I sent it."
    assert sorted(read_key(tmp_path / "key.json").systems) == ["a", "b"]

    (tmp_path / "batch.json").write_text(built.stdout)
    bad = tmp_path / "bad.csv"
    bad.write_text("batch,annotator\nx,y\n")
    failed = run(
        "eval", "human", "import", str(tmp_path / "batch.json"), str(tmp_path / "key.json"), str(bad), env=env
    )
    assert_one_line_error(failed, "bad.csv:1: missing column 'position'")
    unknown = run("eval", "human", "build", "poem", "--system", str(first), "--key", "k.json", env=env)
    assert_one_line_error(unknown, "unknown batch kind 'poem'; choose from rephrase, draft, summary")
    wrong = run("eval", "human", "export", str(tmp_path / "key.json"), "--annotator", "x", env=env)
    assert_one_line_error(wrong, "expected an annotation batch, got an annotation key")
