"""`commonground analyze`: JSON lines in and out, per-line errors, files and stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from commonground.cli import app
from commonground.signals.incivility import DEFAULT_THRESHOLD

GOOD = [
    {"id": 1, "text": "You are a complete idiot."},
    {"id": "b", "text": "Thanks, that helps a lot.", "meta": {"keep": True}},
    {"id": 3, "text": "Du bist dumm.", "lang": "de"},
]


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


def test_lines_are_written_back_with_scores() -> None:
    stdin = "".join(json.dumps(r) + "\n" for r in GOOD)
    result = CliRunner().invoke(app, ["analyze"], input=stdin)
    assert result.exit_code == 0, result.output
    out = _lines(result.stdout)
    assert [r["id"] for r in out] == [1, "b", 3]
    assert out[1]["meta"] == {"keep": True}
    for record in out:
        assert set(record) >= {"incivility", "flagged", "categories", "spans", "lang"}
        assert record["flagged"] == (record["incivility"] >= DEFAULT_THRESHOLD)
    assert out[0]["flagged"] and not out[1]["flagged"] and out[2]["flagged"]
    assert out[0]["spans"] == [[19, 24, "insult"]]
    assert [r["lang"] for r in out] == ["en", "en", "de"]


def test_bad_lines_get_errors_and_the_batch_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": 1, "text": "you moron"}\n'
        b"this is not json\n"
        b'{"id": 3}\n'
        b'{"id": 4, "text": "caf\xe9 \xff"}\n'
        b"\n"
        b'{"id": 6, "text": 42}\n'
        b"[1, 2]\n"
        + json.dumps({"id": 8, "text": "Imaynallam kachkanki", "lang": "qu"}, ensure_ascii=False).encode(
            "utf-8"
        )
        + b"\n"
        b'{"id": 9, "text": ""}\n'
    )
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    out = _lines(target.read_text(encoding="utf-8"))
    assert [r.get("id") for r in out] == [1, None, 3, 4, 6, None, 8, 9]
    errors = {r["id"]: r["error"] for r in out if "error" in r}
    assert errors[3] == "missing text"
    assert errors[4].startswith("invalid UTF-8")
    assert errors[6] == "text must be a string"
    assert out[1]["error"].startswith("invalid JSON") and out[5]["error"] == "each line must be a JSON object"
    assert out[0]["flagged"] is True
    assert (out[6]["lang"], out[6]["supported"], out[6]["incivility"], out[6]["flagged"]) == (
        "qu",
        False,
        None,
        None,
    )
    assert (out[7]["incivility"], out[7]["flagged"]) == (0.0, False)


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_runs_as_a_process_on_stdin_and_stdout() -> None:
    stdin = b'{"id": 1, "text": "f u c k you"}\n{"id": 2, "text": "<b>hello</b> friend"}\n'
    done = subprocess.run(
        [sys.executable, "-m", "commonground.cli", "analyze"],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=True,
    )
    out = _lines(done.stdout.decode("utf-8"))
    assert [r["flagged"] for r in out] == [True, False]
    assert out[0]["spans"][0] == [0, 7, "profanity"]
    assert done.stderr == b""
