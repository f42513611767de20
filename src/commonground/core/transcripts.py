"""Read transcripts: JSON lines `{"id", "speaker", "text"}` or plain `Name: text` lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError

_PLAIN_LINE = re.compile(r"^\s*(?P<speaker>[^:\n]{1,80}?)\s*:\s*(?P<text>.*\S)\s*$")


def parse_transcript(lines: Iterable[str], *, source: str = "<input>") -> list[Message]:
    """Parse transcript lines; the format is chosen by the first non-blank line.

    Raises InputError naming the source and line number of the first bad line.
    """
    messages: list[Message] = []
    json_format: bool | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if json_format is None:
            json_format = line.startswith("{")
        if json_format:
            messages.append(
                _json_message(line, number=number, source=source, default_id=str(len(messages) + 1))
            )
        else:
            match = _PLAIN_LINE.match(line)
            if match is None:
                raise InputError(f"{source}:{number}: expected 'Name: text', got {line[:60]!r}")
            messages.append(Message(id=str(len(messages) + 1), speaker=match["speaker"], text=match["text"]))
    return messages


def _json_message(line: str, *, number: int, source: str, default_id: str) -> Message:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{source}:{number}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}:{number}: expected a JSON object")
    for column in ("speaker", "text"):
        if column not in data:
            raise InputError(f"{source}:{number}: missing '{column}'")
    data.setdefault("id", default_id)
    data["id"] = str(data["id"])
    try:
        return Message.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{source}:{number}: bad '{field}': {first['msg']}") from None


def read_transcript(path: Path, *, conversation_id: str | None = None) -> Conversation:
    """Read a transcript file into a Conversation named after the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    messages = parse_transcript(text.splitlines(), source=str(path))
    if not messages:
        raise InputError(f"{path}: the transcript has no messages")
    return Conversation(id=conversation_id or path.stem, messages=messages)
