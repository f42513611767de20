"""Outputs of two systems, as `commonground rephrase` and `commonground draft` write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ORIGINALS = {
    "m1": "You are a liar and a scammer, give me my money back.",
    "m2": "This is the dumbest policy I have ever seen.",
    "m3": "Shut up and fix the heating, you useless landlord.",
}
SYSTEMS = {
    "qwen-local": lambda source: f"Calm version number {source[1:]} by the first system.",
    "gpt-remote": lambda source: f"Polite rewording number {source[1:]} by the second system.",
}


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture
def rephrasings(tmp_path: Path) -> dict[str, Path]:
    """`rephrase` output of each system: the original in `text`, the output in `rephrased`."""
    return {
        system: write_lines(
            tmp_path / f"{system}.jsonl",
            [
                {"id": source, "text": text, "rephrased": write(source), "method": "llm"}
                for source, text in ORIGINALS.items()
            ],
        )
        for system, write in SYSTEMS.items()
    }


@pytest.fixture
def drafts(tmp_path: Path) -> dict[str, Path]:
    """`draft` output of each system for twelve transcripts, with the transcript as `context`."""
    return {
        system: write_lines(
            tmp_path / f"drafts-{system}.jsonl",
            [
                {"id": f"t{n}", "task": "draft", "text": write(f"t{n}"), "context": f"John: transcript {n}"}
                for n in range(12)
            ],
        )
        for system, write in SYSTEMS.items()
    }
