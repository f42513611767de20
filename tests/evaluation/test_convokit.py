"""ConvoKit corpus directories: written as `Corpus.dump` writes them, read back whole, malformed files named.

`fixtures/convokit-dump/` was written by ConvoKit 5.0.0's own `Corpus.dump` (texts written for this test).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.core.convokit import read_corpus, write_corpus
from commonground.core.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
CONVOKIT_DUMP = FIXTURES / "convokit-dump"
T0 = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)

CONVERSATIONS = [
    Conversation(
        id="camera",
        title="Broken camera",
        messages=[
            Message(id="m1", speaker="p-ann", text="It arrived broken.", timestamp=T0, lang="en"),
            Message(
                id="m2",
                speaker="p-bo",
                text="Es funktionierte beim Versand — ehrlich.",
                timestamp=T0 + timedelta(minutes=2),
                reply_to="m1",
                lang="de",
                meta={"incivility": 0.12, "flags": ["checked"], "nested": {"a": 1}},
            ),
            Message(id="m3", speaker="p-ann", text="Photos attached.", reply_to="m2"),
        ],
        meta={"languages": ["en", "de"], "policy": {"autonomy": "suggest_to_author"}},
    ),
    Conversation(
        id="park",
        kind="deliberation",
        messages=[
            Message(
                id="d1",
                speaker="p-cy",
                text="More benches, please.",
                timestamp=datetime(2026, 3, 2, 12, 0, tzinfo=timezone(timedelta(hours=2))),
            )
        ],
    ),
]
SPEAKERS = {"p-ann": {"name": "Ann", "role": "party"}, "p-bo": {"name": "Bo", "is_ai": False}}


def test_write_then_read_keeps_every_field(tmp_path: Path) -> None:
    directory = write_corpus(CONVERSATIONS, tmp_path / "corpus", speakers=SPEAKERS, meta={"name": "demo"})
    corpus = read_corpus(directory)
    assert corpus.conversations == CONVERSATIONS
    assert corpus.speakers == {**SPEAKERS, "p-cy": {}}
    assert corpus.meta == {"name": "demo"}
    assert corpus.conversations[1].messages[0].timestamp == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_files_are_laid_out_as_corpus_dump_writes_them(tmp_path: Path) -> None:
    directory = write_corpus(CONVERSATIONS, tmp_path / "corpus", speakers=SPEAKERS)
    ours = [json.loads(line) for line in (directory / "utterances.jsonl").read_text().splitlines()]
    theirs = json.loads((CONVOKIT_DUMP / "utterances.jsonl").read_text().splitlines()[0])
    assert [list(u) for u in ours] == [list(theirs)] * 3 + [list(theirs)]
    assert ours[1]["reply-to"] == "m1" and ours[1]["meta"]["lang"] == "de"
    assert ours[0]["timestamp"] == T0.timestamp() and ours[2]["timestamp"] is None
    index = json.loads((directory / "index.json").read_text())
    assert set(index) == set(json.loads((CONVOKIT_DUMP / "index.json").read_text()))
    assert index["utterances-index"]["incivility"] == ["<class 'float'>"]
    assert index["conversations-index"]["title"] == ["<class 'str'>"]
    speakers = json.loads((directory / "speakers.json").read_text())
    assert speakers["p-ann"] == {"meta": {"name": "Ann", "role": "party"}, "vectors": []}


def test_reads_a_corpus_dumped_by_convokit() -> None:
    corpus = read_corpus(CONVOKIT_DUMP)
    attack, calm = corpus.conversations
    assert [m.id for m in attack.messages] == ["u1", "u2", "u3"]
    assert [m.reply_to for m in attack.messages] == [None, "u1", "u2"]
    assert attack.messages[2].speaker == "alice" and attack.messages[2].lang == "en"
    assert attack.messages[2].meta == {"comment_has_personal_attack": True}
    assert attack.messages[0].timestamp == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert attack.meta == {"conversation_has_personal_attack": True} and attack.title == ""
    assert calm.id == "v1" and corpus.speakers["bob"] == {"role": "party"}
    assert corpus.meta == {"name": "tiny-cga"}


def test_older_field_names_and_flat_meta_are_read(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "user": "ann", "root": "c", "reply_to": None, "timestamp": "1700000000", "text": "Hi"},
        {"id": 2, "user": "bo", "root": "c", "reply_to": 1, "timestamp": "2026-03-01T10:00:00", "text": None},
    ]
    (tmp_path / "utterances.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    (tmp_path / "speakers.json").write_text(json.dumps({"ann": {"age": 3}}))
    corpus = read_corpus(tmp_path)
    first, second = corpus.conversations[0].messages
    assert (second.id, second.speaker, second.reply_to, second.text) == ("2", "bo", "1", "")
    assert first.timestamp == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert second.timestamp == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert corpus.speakers == {"ann": {"age": 3}} and corpus.meta == {}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({"id": "x", "speaker": "a", "conversation_id": "c"}, r"utterances.jsonl:2: missing field 'text'"),
        ({"id": "x", "text": "t", "conversation_id": "c"}, r"utterances.jsonl:2: missing field 'speaker'"),
        (
            {"id": "x", "speaker": "a", "conversation_id": "c", "text": "t", "timestamp": "soon"},
            r"utterances.jsonl:2: field 'timestamp' has 'soon'",
        ),
        ({"id": ["x"], "speaker": "a", "conversation_id": "c", "text": "t"}, r"jsonl:2: field 'id'"),
        ({"id": "x", "speaker": "a", "conversation_id": "c", "text": "t", "meta": 3}, r":2: field 'meta'"),
    ],
)
def test_malformed_utterances_name_file_line_and_field(tmp_path: Path, line: dict, expected: str) -> None:
    good = {"id": "ok", "speaker": "a", "conversation_id": "c", "text": "fine"}
    (tmp_path / "utterances.jsonl").write_text(json.dumps(good) + "\n" + json.dumps(line) + "\n")
    with pytest.raises(InputError, match=expected):
        read_corpus(tmp_path)


def test_not_a_corpus_bad_json_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a ConvoKit corpus"):
        read_corpus(tmp_path)
    good = json.dumps({"id": "a", "speaker": "s", "conversation_id": "c", "text": ""})
    (tmp_path / "utterances.jsonl").write_text(good + "\n{")
    with pytest.raises(InputError, match=r"utterances.jsonl:2: invalid JSON"):
        read_corpus(tmp_path)
    twice = [Conversation(id="c", messages=[Message(id="a", speaker="s", text="x")] * 2)]
    with pytest.raises(InputError, match="utterance id 'a' is used twice"):
        write_corpus(twice, tmp_path / "out")
