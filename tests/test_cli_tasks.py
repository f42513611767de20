"""The task commands end to end through the CLI: JSON out, one clear line on bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.examples import EXAMPLES_DIR

CAMERA = str(EXAMPLES_DIR / "camera.jsonl")
runner = CliRunner()


@pytest.fixture
def unreachable(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings naming an endpoint nobody listens on: every task falls back, instantly."""
    monkeypatch.setenv("COMMONGROUND_LLM__BACKEND", "openai")
    monkeypatch.setenv("COMMONGROUND_LLM__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("COMMONGROUND_LLM__MAX_RETRIES", "0")


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["draft", CAMERA, "--instruction", "ask about the packaging"], None),
        (["intervene", CAMERA, "--reason", "heated"], None),
        (["summarize", CAMERA], None),
        (["argue", CAMERA], None),
        (
            ["translate", "--to", "fr"],
            '{"id": "a", "text": "It arrived broken."}\nSecond line, plain text.\n',
        ),
    ],
)
def test_commands_print_json_with_method_and_checks(
    unreachable: None, args: list[str], stdin: str | None
) -> None:
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code == 0, result.output
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    for output in outputs:
        assert output["method"] == "fallback" and "127.0.0.1:9" in output["fallback_reason"]
        assert output["text"] and output["checks"]
    if args[0] == "summarize":
        assert all(s["cites"] for s in outputs[0]["statements"])
    if args[0] == "translate":
        assert [o["id"] for o in outputs] == ["a", "2"]


def test_draft_with_the_small_model(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LLM__MODEL", "smollm2-135m")
    result = runner.invoke(app, ["draft", CAMERA, "--no-swap-test"])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert output["method"] in ("llm", "fallback") and output["calls"][0]["model"] == "smollm2-135m"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["draft", "/nonexistent.jsonl"], "no such file"),
        (["intervene", CAMERA, "--reason", "boredom"], "unknown reason"),
        (["translate", "--to", "fr"], "standard input is empty"),
    ],
)
def test_bad_input_is_one_line(unreachable: None, args: list[str], message: str) -> None:
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
