"""Bad settings get one clear line naming the option, exit code 2, and nothing is generated or written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenarios", "camera,volcano"], "unknown scenario 'volcano' (--scenarios)"),
        (["--personas", "grumpy"], "unknown persona 'grumpy' (--personas)"),
        (["--turns", "6", "--derail-turn", "12"], "derail turn 12 is past the end of a 6-turn"),
        (["--turns", "6", "--mix", "recover=1", "--derail-turn", "5"], "room for an intervention"),
        (["--turns", "3", "--mix", "recover=1"], "a recover conversation needs at least 4 turns"),
        (["--derail-turn", "1"], "the derail turn must be 2 or later"),
        (["--mix", "civil=1", "--derail-turn", "3"], "the mix has only civil conversations"),
        (["--turns", "8-4"], "turns must satisfy 1 <= min <= max"),
        (["--turns", "four"], "turns must be a number or a range"),
        (["--mix", "civil=1,chaos=2"], "the trajectory 'chaos' is not one of: civil, derail, recover"),
        (["--mix", "civil=-1"], "must be non-negative"),
        (["--escalations", "insult,shouting"], "the escalation type 'shouting' is not one of"),
        (["--languages", "fr"], "the language 'fr' is not one of: en, de (--languages)"),
        (["--seed", "-1"], "the seed must be a non-negative integer, not '-1' (--seed)"),
        (["--seed", "abc"], "the seed must be a non-negative integer, not 'abc' (--seed)"),
        (["--count", "0"], "the count must be between 1"),
        (["--generator", "magic"], "unknown value 'magic' (--generator)"),
        (["--format", "convokit"], "a ConvoKit corpus needs a directory (--out)"),
        (["--data", "/nonexistent"], "/nonexistent"),
        (
            ["--generator", "roleplay", "--scenarios", "camera", "--personas", "stoic"],
            "unknown persona 'stoic'",
        ),
    ],
)
def test_one_line_error_before_generation(
    test_data: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    if "--format" not in args:
        args = [*args, "--out", str(out)]
    result = runner.invoke(
        app, ["synth", "--count", "5", "--data", str(test_data), *args]
    )  # the last --data wins
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_out_must_be_a_directory(test_data: Path, tmp_path: Path) -> None:
    file = tmp_path / "taken"
    file.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["synth", "--out", str(file)])
    assert result.exit_code == 2 and f"{file} is a file, not a directory (--out)" in result.output
    data = ["--data", str(test_data)]
    inside = runner.invoke(app, ["synth", "--scenarios", "camera", *data, "--out", str(file / "run")])
    assert inside.exit_code == 2
    assert inside.output == f"Error: cannot create {file / 'run'}: Not a directory (--out)\n"
    assert file.read_text(encoding="utf-8") == "keep me"


def test_report_names_the_bad_line(tmp_path: Path) -> None:
    file = tmp_path / "conversations.jsonl"
    file.write_text('{"id": "a", "messages": []}\n{"id": "b", "messages": [{"id": 1}]}\n', encoding="utf-8")
    result = runner.invoke(app, ["synth", "report", str(file), "--no-labels"])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {file}:2: bad 'messages.0.id'")
