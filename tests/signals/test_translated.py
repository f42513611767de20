"""The shipped translations that give TextDetox's toxic-only languages their civil training messages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from commonground.signals.incivility.data import EVAL_SETS_DIR, written_examples
from commonground.signals.incivility.translated import (
    LANGUAGES,
    load_translated,
    translated_examples,
)
from commonground.signals.language import reads_as


def test_the_shipped_translations_are_civil_in_their_language_and_keep_their_source_split() -> None:
    rows = load_translated()
    assert {row.label for row in rows} == {0}
    assert {row.split for row in rows} == {"train", "validation"}
    assert {row.source for row in rows} == {"paradetox", "civil-comments", "written"}
    kept = Counter(row.lang for row in rows if row.passed)
    assert all(kept[lang] >= 60 for lang in ("ru", "uk", "es", "zh", "ar", "hi"))
    assert set(kept) <= set(LANGUAGES)
    assert all(reads_as(row.text, row.lang) is not False for row in rows if row.passed)


def test_only_translations_that_passed_their_checks_are_training_examples(tmp_path: Path) -> None:
    path = tmp_path / "translated.jsonl"
    rows = [
        {"text": "Спасибо за ответ.", "passed": True},
        {"text": "Thanks for the reply.", "passed": False},
    ]
    path.write_text(
        "".join(
            json.dumps(
                {"label": 0, "lang": "ru", "source": "paradetox", "split": "train", "english": "Thanks."}
                | row,
                ensure_ascii=False,
            )
            + "\n"
            for row in rows
        ),
        encoding="utf-8",
    )
    examples = translated_examples(path)
    assert [(e.text, e.label, e.lang, e.source, e.split) for e in examples] == [
        ("Спасибо за ответ.", 0, "ru", "translated", "train")
    ]
    assert load_translated(tmp_path / "missing.jsonl") == []


def test_written_civil_messages_train_outside_the_test_split_and_apart_from_the_held_out_sets() -> None:
    written = written_examples()
    held_out = {
        json.loads(line)["text"]
        for path in EVAL_SETS_DIR.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    assert len(written) >= 100
    assert {(e.label, e.lang, e.source) for e in written} == {(0, "en", "written")}
    assert {e.split for e in written} == {"train", "validation"}
    assert not {e.text for e in written} & held_out
    translated_from = {row.english for row in load_translated() if row.source == "written"}
    assert translated_from <= {e.text for e in written}
