"""`commonground forecast` and `commonground policy check` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app

CALM = {"id": "calm", "messages": [{"speaker": "a", "text": "Thanks, good point, I agree."}]}
HEATED = {"id": 7, "messages": [{"speaker": "b", "text": "You are LYING!! How can you say that? Stupid."}]}


def run(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def test_each_line_gets_risk_and_derail_in_order() -> None:
    code, lines = run("forecast", stdin=jsonl(CALM, HEATED))
    assert code == 0 and [line["id"] for line in lines] == ["calm", 7]
    assert lines[0]["messages"] == CALM["messages"]
    assert lines[0]["derail"] is False and lines[1]["derail"] is True
    assert 0 <= lines[0]["risk"] < lines[1]["risk"] <= 1


def test_mode_option_forecasts_with_the_fast_detector_and_its_artefact() -> None:
    _, accurate = run("forecast", stdin=jsonl(CALM, HEATED))
    code, fast = run("forecast", "--mode", "fast", stdin=jsonl(CALM, HEATED))
    assert code == 0 and [line["derail"] for line in fast] == [False, True]
    assert [line["risk"] for line in fast] != [line["risk"] for line in accurate]


def test_an_unknown_mode_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["forecast", "--mode", "slow"], input=jsonl(CALM))
    assert result.exit_code == 2 and "unknown mode 'slow'" in result.output


def test_threshold_option_moves_the_decision() -> None:
    _, lines = run("forecast", "--threshold", "0", stdin=jsonl(CALM))
    assert lines[0]["derail"] is True


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"not json\n", "invalid JSON"),
        (b"[1, 2]\n", "each line must be a JSON object"),
        (b'{"id": 1}\n', "missing 'messages'"),
        (b'{"id": 1, "messages": "hello"}\n', "'messages' must be a list"),
        (b'{"id": 1, "messages": []}\n', "empty conversation"),
        (b'{"id": 1, "messages": [{"speaker": "a"}]}\n', "message 1 must be an object with a string 'text'"),
        (b'{"id": 1, "messages": ["hello"]}\n', "message 1 must be an object"),
        (b'{"id": 1, "messages": [{"text": 3}]}\n', "string 'text'"),
        (b"\xff\xfe\x00junk\n", "invalid UTF-8"),
    ],
)
def test_a_bad_line_gets_an_error_and_the_batch_goes_on(raw: bytes, error: str) -> None:
    code, lines = run("forecast", stdin=jsonl(CALM) + raw + b"\n   \n" + jsonl(HEATED))
    assert code == 0 and len(lines) == 3
    assert error in lines[1]["error"] and set(lines[1]) == {"id", "error"}
    assert lines[1]["id"] == (1 if raw.startswith(b'{"id"') else None)
    assert "risk" in lines[0] and "risk" in lines[2]


def test_huge_messages_and_odd_text_are_scored() -> None:
    record = {
        "id": "big",
        "messages": [{"speaker": "a", "text": "x" * 1_000_000}, {"speaker": "b", "text": "🙂"}],
    }
    _, lines = run("forecast", stdin=jsonl(record))
    assert 0 <= lines[0]["risk"] <= 1


def test_files_in_and_output_file(tmp_path: Path) -> None:
    first, second, out = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "out.jsonl"
    first.write_bytes(jsonl(CALM))
    second.write_bytes(jsonl(HEATED))
    code, printed = run("forecast", str(first), str(second), "--output", str(out))
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and printed == [] and [line["id"] for line in written] == ["calm", 7]


def test_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["forecast", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_policy_check_prints_the_effective_policy(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('autonomy = "autonomous"\n[limits]\ncooldown_s = 60\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "check", str(path)])
    effective = json.loads(result.stdout)
    assert result.exit_code == 0 and effective["autonomy"] == "autonomous"
    assert effective["limits"] == {"cooldown_s": 60.0, "max_interventions": 3, "window_s": 3600.0}


def test_policy_check_names_the_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text('{"thresholds": {"incivilty": 0.3}}', encoding="utf-8")
    result = CliRunner().invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 2 and "thresholds.incivilty: Extra inputs are not permitted" in result.output
