"""`commonground rephrase` as a user runs it: JSON lines in and out, a bad line never stops the batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_rephrase_answers_every_line(tmp_path: Path) -> None:
    source = tmp_path / "drafts.jsonl"
    source.write_bytes(
        b'{"id": 1, "text": "You idiot, I paid 40 dollars and got NOTHING!!!"}\n'
        b'{"id": 2}\n'
        b"not json\n"
        b'{"id": 4, "text": "\xff\xfe broken"}\n'
        b'{"id": 5, "text": "   "}\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMONGROUND_")}
    env |= {"COMMONGROUND_DATA_DIR": str(tmp_path / "data"), "COMMONGROUND_LLM__MODEL": "smollm2-135m"}
    result = subprocess.run(
        [sys.executable, "-m", "commonground.cli", "rephrase", str(source), "--candidates", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer.get("id") for answer in answers] == [1, 2, None, 4, 5]
    first = answers[0]
    assert first["method"] in {"llm", "fallback"}
    assert "40" in first["rephrased"]
    assert set(first["scores"]) >= {"civil", "meaning", "grounded", "point_of_view"}
    assert "idiot" in first["feedback"]
    assert answers[1]["error"] == "missing text"
    assert answers[2]["error"].startswith("invalid JSON")
    assert answers[3]["error"].startswith("invalid UTF-8")
    assert answers[4]["error"] == "nothing to rephrase: the text is empty"
