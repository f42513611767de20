"""ConvoKit corpus directories, written as ConvoKit's own `Corpus.dump` writes them and read back.

    write_corpus(conversations, directory, *, speakers=None, meta=None) -> Path
    read_corpus(directory) -> Corpus  (conversations, speakers, meta)

A corpus directory holds five files, loadable with `convokit.Corpus(filename=directory)`:

- `utterances.jsonl`: one utterance per line: `id`, `conversation_id`, `text`, `speaker` (an id),
  `meta`, `reply-to` (spelt so by `Corpus.dump`; `reply_to`, as ConvoKit's documentation spells it, is read
  too), `timestamp` (Unix seconds) and `vectors`;
- `speakers.json` and `conversations.json`: `{id: {"meta": {...}, "vectors": []}}`;
- `corpus.json`: the corpus meta; `index.json`: the type of every meta field, and the format version.

A `Message` maps to an utterance field by field; its `lang` is kept in the utterance meta as `lang`. A
`Conversation`'s `title` and `kind` are kept in its meta. ConvoKit 5 reads a speaker's `is_ai` and `role`
meta into its AI fields (`Speaker.is_ai`, `Speaker.ai_meta["role"]`). Timestamps are UTC (a naive datetime
is taken as UTC). Reading keeps the utterances in file order, grouped by `conversation_id`, accepts the older
field names (`user`, `root`) and raises InputError naming the file, the line and the bad field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.core.records import json_lines, read_json

FORMAT_VERSION = 1
KINDS = get_args(Conversation.model_fields["kind"].annotation)


@dataclass(frozen=True)
class Corpus:
    """Conversations with the meta of their speakers (by speaker id) and of the corpus."""

    conversations: list[Conversation]
    speakers: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


def utterance_record(message: Message, conversation_id: str) -> dict[str, Any]:
    """A message as ConvoKit's documented utterance fields, with `reply_to` spelt so."""
    meta = dict(message.meta)
    if message.lang is not None:
        meta["lang"] = message.lang
    return {
        "id": message.id,
        "conversation_id": conversation_id,
        "speaker": message.speaker,
        "reply_to": message.reply_to,
        "timestamp": _seconds(message.timestamp),
        "text": message.text,
        "meta": meta,
    }


def write_corpus(
    conversations: Iterable[Conversation],
    directory: Path,
    *,
    speakers: Mapping[str, Mapping[str, Any]] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Write `conversations` as a ConvoKit corpus in `directory` (created if needed); returns `directory`.

    `speakers` gives speaker meta by speaker id; every speaker of a message gets an entry, with empty meta
    when it has none. Raises InputError on an utterance id used twice.
    """
    conversations = list(conversations)
    utterances = [utterance_record(m, c.id) for c in conversations for m in c.messages]
    seen: set[str] = set()
    for utterance in utterances:
        if utterance["id"] in seen:
            raise InputError(f"utterance id {utterance['id']!r} is used twice")
        seen.add(utterance["id"])
    speaker_meta = {key: dict(value) for key, value in (speakers or {}).items()}
    for utterance in utterances:
        speaker_meta.setdefault(utterance["speaker"], {})
    conversation_meta = {c.id: {"title": c.title, "kind": c.kind, **c.meta} for c in conversations}
    corpus_meta = dict(meta or {})
    index = {
        "utterances-index": _types(u["meta"] for u in utterances),
        "speakers-index": _types(speaker_meta.values()),
        "conversations-index": _types(conversation_meta.values()),
        "overall-index": _types([corpus_meta]),
        "version": FORMAT_VERSION,
        "vectors": [],
    }
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "utterances.jsonl").open("w", encoding="utf-8") as handle:
        for utterance in utterances:
            handle.write(json.dumps(_dumped(utterance)) + "\n")
    _write(directory / "speakers.json", _components(speaker_meta))
    _write(directory / "conversations.json", _components(conversation_meta))
    _write(directory / "corpus.json", corpus_meta)
    _write(directory / "index.json", index)
    return directory


def read_corpus(directory: Path) -> Corpus:
    """Read a ConvoKit corpus directory; speakers, conversations and corpus meta files are optional."""
    if not (directory / "utterances.jsonl").is_file():
        raise InputError(f"{directory}: not a ConvoKit corpus (no utterances.jsonl)")
    grouped = read_utterances(directory / "utterances.jsonl")
    conversation_meta = _component_meta(directory / "conversations.json")
    conversations = []
    for conversation_id, messages in grouped.items():
        meta = dict(conversation_meta.get(conversation_id, {}))
        title = meta.pop("title") if isinstance(meta.get("title"), str) else ""
        kind = meta.pop("kind") if meta.get("kind") in KINDS else "dispute"
        conversations.append(
            Conversation(id=conversation_id, kind=kind, title=title, messages=messages, meta=meta)
        )
    corpus_path = directory / "corpus.json"
    corpus_meta = read_json(corpus_path) if corpus_path.is_file() else {}
    if not isinstance(corpus_meta, dict):
        raise InputError(f"{corpus_path}:1: expected a JSON object")
    return Corpus(conversations, _component_meta(directory / "speakers.json"), corpus_meta)


def read_utterances(path: Path) -> dict[str, list[Message]]:
    """Messages of a file of utterance records (ConvoKit's, or the platform's JSON-lines export) by
    conversation id, both in file order."""
    grouped: dict[str, list[Message]] = {}
    for number, record in json_lines(path):
        conversation_id, message = _message(record, f"{path}:{number}")
        grouped.setdefault(conversation_id, []).append(message)
    return grouped


def _message(record: dict[str, Any], where: str) -> tuple[str, Message]:
    """The conversation id and the message of one utterance record."""

    def value(*names: str) -> Any:
        for name in names:
            if name in record:
                return record[name]
        raise InputError(f"{where}: missing field {names[0]!r}")

    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(f"{where}: field 'meta' must be an object")
    meta = dict(meta)
    lang = meta.pop("lang", None)
    text = value("text")
    if not isinstance(text, str | None):
        raise InputError(f"{where}: field 'text' must be a string")
    reply_to = record["reply_to"] if "reply_to" in record else record.get("reply-to")
    message = Message(
        id=_identifier(value("id"), "id", where),
        speaker=_identifier(value("speaker", "user"), "speaker", where),
        text=text or "",
        timestamp=_timestamp(record.get("timestamp"), where),
        reply_to=None if reply_to is None else _identifier(reply_to, "reply-to", where),
        lang=lang if isinstance(lang, str) else None,
        meta=meta,
    )
    return _identifier(value("conversation_id", "root"), "conversation_id", where), message


def _identifier(value: Any, name: str, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"{where}: field {name!r} must be a string or an integer, not {value!r}")
    return str(value)


def _timestamp(value: Any, where: str) -> datetime | None:
    """Unix seconds (a number or a numeric string) or an ISO 8601 string, as a UTC datetime."""
    if value is None:
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str):
            try:
                return datetime.fromtimestamp(float(value), UTC)
            except ValueError:
                parsed = datetime.fromisoformat(value)
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise InputError(f"{where}: field 'timestamp' has {value!r}; expected Unix seconds or an ISO 8601 time")


def _seconds(timestamp: datetime | None) -> float | None:
    if timestamp is None:
        return None
    return (timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)).timestamp()


def _dumped(utterance: dict[str, Any]) -> dict[str, Any]:
    """An utterance record as `Corpus.dump` writes it: its fields in its order, `reply-to`, empty vectors."""
    names = ("id", "conversation_id", "text", "speaker", "meta")
    return {
        **{name: utterance[name] for name in names},
        "reply-to": utterance["reply_to"],
        "timestamp": utterance["timestamp"],
        "vectors": [],
    }


def _types(metas: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """ConvoKit's meta index: each field's Python type, as `str(type(value))` of its first value."""
    index: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            index.setdefault(key, [str(type(value))])
    return index


def _components(metas: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    return {key: {"meta": dict(meta), "vectors": []} for key, meta in metas.items()}


def _component_meta(path: Path) -> dict[str, dict[str, Any]]:
    """Meta by id of speakers.json or conversations.json: `{id: {"meta": ...}}`, or the older `{id: meta}`."""
    if not path.is_file():
        return {}
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}:1: expected a JSON object of id: meta")
    metas = {}
    for key, entry in data.items():
        meta = entry.get("meta") if isinstance(entry, dict) and "meta" in entry else entry
        if not isinstance(meta, dict):
            raise InputError(f"{path}: entry {key!r} must be an object")
        metas[key] = meta
    return metas


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")
