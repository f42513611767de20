"""The `commonground` command as a user runs it: a real process, real models, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.llm.servers import free_port


def run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commonground.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    return clean | {
        "COMMONGROUND_DATA_DIR": str(tmp_path / "data"),
        "COMMONGROUND_LLM__MODEL": "smollm2-135m",
    }


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_prompt_streams_an_answer_and_logs_the_call(env: dict[str, str], tmp_path: Path) -> None:
    result = run("prompt", "Say hello.", "--max-tokens", "8", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    record = json.loads((tmp_path / "data" / "llm_calls.jsonl").read_text().splitlines()[0])
    assert (record["backend"], record["model"], record["outcome"]) == ("local", "smollm2-135m", "ok")
    assert record["completion_tokens"] <= 8


def test_prompt_from_stdin_without_streaming(env: dict[str, str]) -> None:
    result = run("prompt", "-", "--no-stream", "--max-tokens", "6", env=env, stdin="Name a colour.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_demo_runs_on_embedded_defaults(env: dict[str, str]) -> None:
    result = run("demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "A used camera broken in the post" in result.stdout
    assert "AI mediator" in result.stdout and "tokens/s" in result.stdout


def test_missing_model_file(env: dict[str, str], tmp_path: Path) -> None:
    result = run("prompt", "hi", env=env | {"COMMONGROUND_LLM__MODEL": str(tmp_path / "absent.gguf")})
    assert_one_line_error(result, "does not exist", "COMMONGROUND_LLM__MODEL")


def test_unreachable_endpoint(env: dict[str, str]) -> None:
    endpoint = {
        "COMMONGROUND_LLM__BACKEND": "openai",
        "COMMONGROUND_LLM__BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "COMMONGROUND_LLM__MAX_RETRIES": "0",
    }
    result = run("prompt", "hi", env=env | endpoint)
    assert_one_line_error(result, "cannot reach", "COMMONGROUND_LLM__BASE_URL")


def test_invalid_setting(env: dict[str, str]) -> None:
    result = run("prompt", "hi", env=env | {"COMMONGROUND_LLM__TIMEOUT_S": "-3"})
    assert_one_line_error(result, "llm.timeout_s", "COMMONGROUND_LLM__TIMEOUT_S")


def test_models_and_config(env: dict[str, str]) -> None:
    listing = run("models", env=env)
    assert listing.returncode == 0
    assert "qwen2.5-coder-1.5b" in listing.stdout and "smollm2-135m" in listing.stdout
    shown = run("config", env=env | {"COMMONGROUND_LLM__API_KEY": "sk-very-secret"})
    config = json.loads(shown.stdout)
    assert config["llm"]["model"] == "smollm2-135m"
    assert "sk-very-secret" not in shown.stdout
