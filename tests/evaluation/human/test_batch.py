"""Batches: blind, reproducible with a seed, a key that maps back; bad outputs, rubrics and files named."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from tests.evaluation.human.conftest import ORIGINALS, SYSTEMS, write_lines

from commonground.core.errors import InputError
from commonground.evaluation.human.answers import Answer, check_answer, matches
from commonground.evaluation.human.batch import build_batch, read_batch, read_key, write
from commonground.evaluation.human.rubric import load_rubric
from commonground.evaluation.human.sheets import blank_rows, write_sheet
from commonground.evaluation.human.sources import KINDS, read_outputs

RUBRIC = load_rubric()


def build(paths: dict[str, Path], kind: str = "rephrase", **options: object):
    spec = KINDS[kind]
    outputs = {system: read_outputs(path, spec) for system, path in paths.items()}
    rubric = RUBRIC.select(spec.criteria)
    return build_batch(spec, outputs, rubric=rubric, **options)  # type: ignore[arg-type]


def test_a_batch_and_its_sheet_name_no_system(rephrasings: dict[str, Path]) -> None:
    batch, key = build(rephrasings, seed=3)
    sheet = io.StringIO()
    write_sheet(batch, blank_rows(batch, "alice"), sheet)
    public = batch.model_dump_json() + sheet.getvalue()
    for secret in [*SYSTEMS, "m1", "m2", "llm"]:
        assert secret not in public
    assert len(batch.items) == 6 and sorted(key.systems) == sorted(SYSTEMS)
    assert {item.context for item in batch.items} == set(ORIGINALS.values())


def test_the_same_seed_gives_the_same_batch_and_another_seed_another_order(
    rephrasings: dict[str, Path],
) -> None:
    first, first_key = build(rephrasings, seed=3)
    again, again_key = build(rephrasings, seed=3)
    assert first.model_dump_json() == again.model_dump_json()
    assert first_key.model_dump_json() == again_key.model_dump_json()
    other, _ = build(rephrasings, seed=4)
    assert [i.texts for i in other.items] != [i.texts for i in first.items]
    assert other.id != first.id


def test_the_key_maps_every_item_back_to_its_source_and_system(rephrasings: dict[str, Path]) -> None:
    batch, key = build(rephrasings, seed=1)
    for item in batch.items:
        entry = key.by_item[item.id]
        system, source = entry.systems["text"], entry.source
        assert item.texts["text"] == SYSTEMS[system](source)
        assert item.context == ORIGINALS[source]


def test_pairs_put_each_system_left_about_half_the_time(drafts: dict[str, Path]) -> None:
    batch, key = build(drafts, kind="draft", seed=0)
    assert len(batch.items) == 12
    left = Counter(key.by_item[item.id].systems["left"] for item in batch.items)
    assert set(left) == set(SYSTEMS) and min(left.values()) >= 3
    for item in batch.items:
        sides = key.by_item[item.id].systems
        source = key.by_item[item.id].source
        assert item.texts == {side: SYSTEMS[sides[side]](source) for side in ("left", "right")}
        assert item.context == f"John: transcript {source[1:]}"


def test_each_annotator_has_an_own_reproducible_order(rephrasings: dict[str, Path]) -> None:
    batch, _ = build(rephrasings)
    alice, bob = batch.order_for("alice"), batch.order_for("bob")
    assert sorted(i.id for i in alice) == sorted(i.id for i in bob)
    assert [i.id for i in alice] != [i.id for i in bob]
    assert [i.id for i in batch.order_for("alice")] == [i.id for i in alice]


def test_attention_checks_say_what_to_answer_and_the_key_knows_it(drafts: dict[str, Path]) -> None:
    batch, key = build(drafts, kind="draft", attention_checks=2, seed=5)
    checks = [e for e in key.entries if e.expected is not None]
    assert len(batch.items) == 14 and len(checks) == 2
    for entry in checks:
        expected = entry.expected
        text = batch.by_id[entry.item].texts["left"]
        value = next(iter(expected.ratings["left"].values()))
        assert f"prefer the {expected.preference} text and rate every question {value}" in text
        assert matches(expected, expected)
        assert not matches(expected.model_copy(update={"preference": "tie"}), expected)


def test_batch_and_key_files_round_trip_and_are_not_mistaken(
    rephrasings: dict[str, Path], tmp_path: Path
) -> None:
    batch, key = build(rephrasings)
    write(tmp_path / "batch.json", batch)
    write(tmp_path / "key.json", key)
    assert read_batch(tmp_path / "batch.json") == batch
    assert read_key(tmp_path / "key.json") == key
    with pytest.raises(InputError, match=r"key.json: expected an annotation batch, got an annotation key"):
        read_batch(tmp_path / "key.json")
    broken = json.loads((tmp_path / "batch.json").read_text()) | {"kind": "poem"}
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    with pytest.raises(InputError, match=r"broken.json: kind: Input should be"):
        read_batch(tmp_path / "broken.json")


def test_pairwise_needs_two_systems_and_a_shared_source(drafts: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(InputError, match="compares two or more systems; got 1"):
        build({"only": drafts["qwen-local"]}, kind="draft")
    other = write_lines(tmp_path / "other.jsonl", [{"id": "elsewhere", "text": "A draft."}])
    with pytest.raises(InputError, match="nothing to rate"):
        build({"a": drafts["qwen-local"], "b": other}, kind="draft")


def test_malformed_outputs_name_file_line_and_field(tmp_path: Path) -> None:
    spec = KINDS["rephrase"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "rephrased": "y"}\n\n{"id": "b", "text": "x"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:3: field 'rephrased' missing"):
        read_outputs(bad, spec)
    bad.write_text('{"id": "a", "text": "x", "rephrased": "y"}\n{"id": "a", "text": "x", "rephrased": "z"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: id 'a' repeats line 1"):
        read_outputs(bad, spec)
    bad.write_text('{"id": "a", "text": "x", "rephrased": "y"\n')
    with pytest.raises(InputError, match=r"bad.jsonl:1: invalid JSON"):
        read_outputs(bad, spec)
    bad.write_text('{"id": "a", "error": "model down"}\n{"text": "x", "rephrased": "y"}\n')
    assert [(o.source, o.text) for o in read_outputs(bad, spec)] == [("2", "y")]


def test_rubric_selection_and_custom_rubric_files(tmp_path: Path) -> None:
    assert RUBRIC.names == ["meaning_kept", "civility", "neutrality", "helpfulness", "fluency"]
    assert all(len(c.anchors) == 5 for c in RUBRIC.criteria)
    with pytest.raises(InputError, match="unknown criterion 'politeness'; choose from meaning_kept"):
        RUBRIC.select(["politeness"])
    custom = tmp_path / "rubric.json"
    anchors = {str(point): f"anchor {point}" for point in range(1, 6)}
    custom.write_text(
        json.dumps({"criteria": [{"name": "warmth", "question": "How warm?", "anchors": anchors}]})
    )
    assert load_rubric(custom).names == ["warmth"]
    custom.write_text(
        json.dumps({"criteria": [{"name": "warmth", "question": "How warm?", "anchors": {"1": "x"}}]})
    )
    with pytest.raises(InputError, match=r"rubric.json: criteria.0.anchors: .*one anchor for each point"):
        load_rubric(custom)


def test_answers_outside_the_rubric_are_refused() -> None:
    rubric = RUBRIC.select(["civility"])
    check_answer(Answer(ratings={"text": {"civility": 4}}), sides=("text",), rubric=rubric)
    with pytest.raises(InputError, match=r"ratings\.text\.fluency: not a criterion"):
        check_answer(Answer(ratings={"text": {"fluency": 4}}), sides=("text",), rubric=rubric)
    with pytest.raises(InputError, match="preference: this batch rates single texts"):
        check_answer(Answer(preference="left"), sides=("text",), rubric=rubric)
    with pytest.raises(InputError, match="the answer is empty"):
        check_answer(Answer(), sides=("left", "right"), rubric=rubric)
