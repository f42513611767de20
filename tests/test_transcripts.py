"""Transcripts: JSON lines or `Name: text` lines, with errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.errors import InputError
from commonground.core.transcripts import parse_transcript, read_transcript
from commonground.examples import EXAMPLES_DIR


def test_plain_lines() -> None:
    messages = parse_transcript(["Jane: It worked when I shipped it.", "", "John : It arrived broken: look!"])
    assert [(m.id, m.speaker, m.text) for m in messages] == [
        ("1", "Jane", "It worked when I shipped it."),
        ("2", "John", "It arrived broken: look!"),
    ]


def test_json_lines_keep_ids_and_extra_fields() -> None:
    messages = parse_transcript(['{"id": 7, "speaker": "A", "text": "hi", "lang": "fr"}'])
    assert (messages[0].id, messages[0].lang) == ("7", "fr")


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            ['{"id": 1, "speaker": "A", "text": "ok"}', '{"id": 2, "text": "no speaker"}'],
            "x:2: missing 'speaker'",
        ),
        (['{"speaker": "A", "text": "ok"}', "{not json"], "x:2: not valid JSON"),
        (['{"speaker": "A", "text": 5}'], "x:1: bad 'text'"),
        (["Jane: fine", "a line without a speaker"], "x:2: expected 'Name: text'"),
        (["[1, 2]"], "x:1: expected 'Name: text'"),
    ],
)
def test_bad_lines_name_their_place(lines: list[str], problem: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_transcript(lines, source="x")
    assert str(raised.value).startswith(problem)


def test_files(tmp_path: Path) -> None:
    conversation = read_transcript(EXAMPLES_DIR / "camera.jsonl")
    assert conversation.speakers == ["John", "Jane"]
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(InputError, match="no messages"):
        read_transcript(empty)
    binary = tmp_path / "junk.bin"
    binary.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(InputError, match="not UTF-8"):
        read_transcript(binary)
    with pytest.raises(InputError, match="no such file"):
        read_transcript(tmp_path / "absent.jsonl")
