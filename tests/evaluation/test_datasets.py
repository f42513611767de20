"""Evaluation loaders on samples of the development data (tests/data) and on small files with known contents;
malformed files named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.core.convokit import write_corpus
from commonground.core.errors import InputError
from commonground.datasets import (
    Columns,
    ForecastCase,
    corpus_cases,
    detect_format,
    read_cga,
    read_labelled,
    read_paradetox,
    read_paradetox_cannot_rewrite,
    read_textdetox,
)

CONVOKIT_DUMP = Path(__file__).parent / "fixtures" / "convokit-dump"


def test_paradetox_rows_keep_quoted_fields_that_span_lines(test_data: Path) -> None:
    path = test_data / "paradetox" / "paradetox.tsv"
    rows = read_paradetox(path)
    assert len(rows) == 294
    assert (rows[0].toxic, rows[0].neutrals, rows[0].line) == (
        "he had steel balls too !",
        ("he was brave too!",),
        2,
    )
    spanning = next(row for row in rows if row.line == 65)
    assert spanning.neutrals[1] == "schandelmeier , who are you trying to impress with this\narticle ?"
    assert rows[rows.index(spanning) + 1].line == 67
    texts = read_labelled(path)
    assert detect_format(path) == "paradetox"
    assert len(texts) == len(rows) + sum(len(row.neutrals) for row in rows)
    assert [(t.label, t.id) for t in texts[:2]] == [(1, "2"), (0, "2.1")]


def test_paradetox_cannot_rewrite_and_textdetox(test_data: Path) -> None:
    reasons = read_paradetox_cannot_rewrite(test_data / "paradetox" / "paradetox_cannot_rewrite.tsv")
    assert reasons[0] == (
        "your thinking is the train wreck of stupidity lib troll , the opposition is better even if they do "
        "nothing",
        frozenset({"toxic_content"}),
    )
    assert sum(r == frozenset({"unclear", "toxic_content"}) for _, r in reasons) == 50
    path = test_data / "textdetox" / "clef24_dev_inputs_9lang.tsv"
    rows = read_textdetox(path)
    assert len(rows) == 202 and {row.lang for row in rows} == {
        "en",
        "es",
        "de",
        "ru",
        "uk",
        "zh",
        "ar",
        "hi",
        "am",
    }
    texts = read_labelled(path)
    assert all(t.label == 1 for t in texts) and texts[0].lang == "zh" and texts[0].where.endswith(":2")


def test_labelled_csv_jsonl_and_named_columns(tmp_path: Path) -> None:
    csv_file = tmp_path / "data.csv"
    csv_file.write_text(
        'text,label,lang,identity\n"Hi, friend",0,en,muslim\nyou idiot,1,,\n"Two\nlines",true,de,\n'
    )
    first, second, third = read_labelled(csv_file)
    assert (first.text, first.label, first.lang, first.identity, first.score) == (
        "Hi, friend",
        0,
        "en",
        "muslim",
        None,
    )
    assert (second.lang, second.identity, second.where) == (None, None, f"{csv_file}:3")
    assert (third.text, third.label, third.where) == ("Two\nlines", 1, f"{csv_file}:4")
    jsonl = tmp_path / "data.jsonl"
    jsonl.write_text(
        '{"body": "ok", "toxic": false, "p": 0.25, "key": 7}\n\n{"body": "bad", "toxic": 1, "p": "0.75"}\n'
    )
    columns = Columns(text="body", label="toxic", score="p", id="key")
    texts = read_labelled(jsonl, columns=columns)
    assert [(t.label, t.score, t.id) for t in texts] == [(0, 0.25, "7"), (1, 0.75, None)]
    tsv = tmp_path / "data.tsv"
    tsv.write_text("text\tlabel\nfine\t0\n")
    assert detect_format(tsv) == "tsv" and read_labelled(tsv)[0].label == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.csv", "text,lang\nhi,en\n", r"a.csv:1: missing column 'label'"),
        ("b.csv", "text,label\nhi,0\nho,maybe\n", r"b.csv:3: column 'label' has 'maybe'; expected 0 or 1"),
        ("c.csv", "text,label\nhi\n", r"c.csv:2: too few columns"),
        ("d.jsonl", '{"text": "hi", "label": 0}\n{"text": "ho"}\n', r"d.jsonl:2: missing column 'label'"),
        ("e.jsonl", '{"text": "hi", "label": 0, "score": "high"}\n', r"e.jsonl:1: column 'score' has 'high'"),
        ("f.jsonl", '{"text": "hi", "label": 0}\n{"text": \n', r"f.jsonl:2: invalid JSON"),
        ("g.jsonl", '{"text": 3, "label": 0}\n', r"g.jsonl:1: column 'text' must be a string"),
        ("h.csv", b"text,label\n\xff,0\n", r"h.csv: not UTF-8 text"),
    ],
)
def test_malformed_labelled_files_name_file_line_and_column(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=expected):
        read_labelled(path)


def test_conversations_gone_awry(test_data: Path, tmp_path: Path) -> None:
    cases = read_cga(test_data / "conversations-gone-awry-cmv" / "cmv_base_valid.json")
    assert len(cases) == 100 and sum(case.derails for case in cases) == 50
    assert (cases[0].id, cases[0].derails, len(cases[0].texts), cases[0].scores) == ("3409943", True, 3, None)
    assert cases[0].texts[0].startswith("i don't think your 4th point makes much sense.")
    scored = tmp_path / "scored.json"
    lines = [
        {"src": "a [SEP] b", "tgt": True, "convo_id": 1, "scores": [0.2, 0.7]},
        {"src": "c [SEP] d", "tgt": False, "convo_id": 2, "score": 0.4},
        {"src": "e", "tgt": "False", "convo_id": "3"},
    ]
    scored.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert read_cga(scored) == [
        ForecastCase("1", ("a", "b"), True, (0.2, 0.7)),
        ForecastCase("2", ("c", "d"), False, (None, 0.4)),
        ForecastCase("3", ("e",), False, None),
    ]
    scored.write_text(json.dumps({"src": "a [SEP] b", "tgt": True, "convo_id": 1, "scores": [0.2]}) + "\n")
    with pytest.raises(InputError, match=r"scored.json:1: column 'scores' must be a list of 2 numbers"):
        read_cga(scored)
    scored.write_text(json.dumps({"src": "a", "convo_id": 1}) + "\n")
    with pytest.raises(InputError, match=r"scored.json:1: missing column 'tgt'"):
        read_cga(scored)


def test_convokit_corpus_gives_the_context_before_the_attack() -> None:
    attack, calm = corpus_cases(CONVOKIT_DUMP)
    assert attack == ForecastCase("u1", ("The camera arrived broken.", "It worked when I sent it."), True)
    assert calm == ForecastCase("v1", ("Shall we meet on Friday?",), False)
    texts = read_labelled(CONVOKIT_DUMP, columns=Columns(label="comment_has_personal_attack"))
    assert [(t.id, t.label, t.lang) for t in texts][2] == ("u3", 1, "en")


def test_convokit_cases_carry_scores_and_name_bad_labels(tmp_path: Path) -> None:
    messages = [
        Message(id=f"m{i}", speaker="a", text=f"t{i}", meta={"score": score, "attack": i == 2})
        for i, score in enumerate([0.1, 0.6, 0.9])
    ]
    write_corpus([Conversation(id="c", messages=messages, meta={"derails": 1})], tmp_path / "ok")
    cases = corpus_cases(tmp_path / "ok", derails_key="derails", attack_key="attack")
    assert cases == [ForecastCase("c", ("t0", "t1"), True, (0.1, 0.6))]
    with pytest.raises(InputError, match=r"conversation c: missing meta 'conversation_has_personal_attack'"):
        corpus_cases(tmp_path / "ok")
    write_corpus(
        [Conversation(id="c", messages=messages[:2], meta={"derails": True})], tmp_path / "no-attack"
    )
    with pytest.raises(InputError, match="derails, but no utterance has meta 'attack' true"):
        corpus_cases(tmp_path / "no-attack", derails_key="derails", attack_key="attack")
    with pytest.raises(InputError, match="no utterance has the label 'label'"):
        read_labelled(tmp_path / "ok")
