"""`commonground bench-bias` end to end against a real OpenAI-compatible server on loopback (llama.cpp's,
serving the small embedded model), and its one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.llm.servers import API_KEY, LlamaServer, free_port
from typer.testing import CliRunner

from commonground.cli import app
from commonground.evaluation.bias.checkpoint import NAME

runner = CliRunner()


@pytest.fixture
def openai_settings(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LLM__API_KEY", API_KEY)
    monkeypatch.setenv("COMMONGROUND_LLM__RESPONSE_FORMAT", "json_object")
    monkeypatch.setenv("COMMONGROUND_LLM__MAX_RETRIES", "0")


def bench(*args: str) -> list[str]:
    return ["bench-bias", "--size", "quick", *args]


def test_bench_bias_runs_the_suite_against_an_openai_endpoint(
    llama_server: LlamaServer, openai_settings: None, test_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    args = bench("--backend", "openai", "--base-url", llama_server.base_url, "--model", llama_server.model)
    args += ["--limit", "1", "--out", str(out), "--data", str(test_data)]
    args += ["--judge-backend", "local", "--judge-model", "smollm2-135m"]  # a fixed judge for every backend
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (report["backend"], report["model"], report["base_url"]) == (
        "openai",
        "smol",
        llama_server.base_url,
    )
    assert report["judge"] == {"backend": "local", "model": "smollm2-135m", "base_url": None}
    assert report["suite"] | {"items": report["items"]} == {
        "suite": "democratic-bias",
        "version": 1,
        "size": "quick",
        "seed": 0,
        "limit": 1,
        "fluency": True,
        "items": {"planned": 4, "finished": 4},
    }
    for name, section in report["dimensions"].items():
        entries = section["items"] + section["errors"]
        assert len(entries) == 1, name
        assert entries[0]["cost"]["calls"] >= 1 and entries[0]["cost"]["completion_tokens"] > 0, name
        assert section["cost"]["calls"]["value"] == entries[0]["cost"]["calls"]
        assert f"{name} (" in result.stdout
    assert report["cost"]["total"]["calls"] == sum(
        e["cost"]["calls"] for s in report["dimensions"].values() for e in s["items"] + s["errors"]
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "judge: local model <strong>smollm2-135m</strong>" in page and not re.search(
        r"""(?:src|href)=["']?https?:""", page
    )
    # The same directory with another seed: the checkpoint is another run's, refused before any model call.
    checkpoint = (out / NAME).read_text(encoding="utf-8")
    refused = runner.invoke(app, [*args, "--seed", "1"])
    assert refused.exit_code == 2 and "checkpoint of another run (seed 0, this run 1)" in refused.output
    assert (out / NAME).read_text(encoding="utf-8") == checkpoint


def test_unreachable_endpoint_is_one_error_before_the_run(
    openai_settings: None, test_data: Path, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"
    out = tmp_path / "report"
    args = bench("--backend", "openai", "--base-url", dead, "--out", str(out), "--data", str(test_data))
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: cannot reach {dead}") and result.output.count("\n") == 1
    assert not (out / NAME).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "huge"], "Error: unknown size 'huge': choose quick, standard, full"),
        (["--backend", "cloud"], "Error: unknown --backend 'cloud': choose local or openai"),
        (["--judge-backend", "cloud"], "Error: unknown --judge-backend 'cloud': choose local or openai"),
        (
            ["--data", "/nonexistent"],
            "Error: development data not found at /nonexistent/polis/15-per-hour-seattle: give the data with "
            "--data",
        ),
    ],
)
def test_bad_options_are_one_line_errors(
    settings: object, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["bench-bias", "--out", str(tmp_path), *args])
    assert result.exit_code == 2 and result.output.startswith(message), result.output
    assert not (tmp_path / NAME).exists()
