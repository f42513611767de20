"""Synthetic conversations out and back in: JSON lines (one conversation a line) and a ConvoKit corpus.

In the ConvoKit corpus every persona is its own speaker (`<conversation id>/<name>`, the name and persona in
the speaker meta), and the ground truth is also given under the names ConvoKit's Conversations Gone Awry
corpora use: `conversation_has_personal_attack` on each conversation, `comment_has_personal_attack` on each
utterance, so forecasting tools that read those corpora read these too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from commonground.core.conversation import Conversation
from commonground.core.convokit import write_corpus
from commonground.core.errors import InputError
from commonground.synthesis.utterances import SOURCES


def write_jsonl(conversations: Iterable[Conversation], sink: IO[str]) -> Iterator[Conversation]:
    """Write each conversation as one JSON line as it passes through."""
    for conversation in conversations:
        sink.write(conversation.model_dump_json() + "\n")
        yield conversation


def read_jsonl(path: Path) -> list[Conversation]:
    """Conversations from a JSON-lines file; InputError naming the file, line and field of a bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    conversations = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            conversations.append(Conversation.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "line"
            raise InputError(f"{path}:{number}: bad '{field}': {first['msg']}") from None
    if not conversations:
        raise InputError(f"{path}: no conversations")
    return conversations


def write_convokit(conversations: Iterable[Conversation], directory: Path) -> Path:
    """Write a ConvoKit corpus directory of synthetic conversations; returns `directory`."""
    converted = []
    speakers: dict[str, dict[str, object]] = {}
    for conversation in conversations:
        personas = {p["speaker"]: p for p in conversation.meta.get("personas", [])}
        messages = []
        for message in conversation.messages:
            speaker = f"{conversation.id}/{message.speaker}"
            speakers[speaker] = {
                "name": message.speaker,
                **personas.get(message.speaker, {"role": "mediator"}),
            }
            meta = message.meta | {"comment_has_personal_attack": message.meta.get("label") == "uncivil"}
            messages.append(message.model_copy(update={"speaker": speaker, "meta": meta}))
        meta = conversation.meta | {
            "conversation_has_personal_attack": bool(conversation.meta.get("derails"))
        }
        converted.append(conversation.model_copy(update={"messages": messages, "meta": meta}))
    return write_corpus(
        converted,
        directory,
        speakers=speakers,
        meta={"name": "commonground-synthetic", "sources": SOURCES},
    )
