"""Sheets: export for an annotator, fill in, import unblinded; malformed sheets name file, line and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from commonground.core.errors import InputError
from commonground.evaluation.human.batch import Batch, Key, build_batch
from commonground.evaluation.human.rubric import load_rubric
from commonground.evaluation.human.sheets import (
    blank_rows,
    columns,
    import_sheets,
    instructions_for,
    write_sheet,
)
from commonground.evaluation.human.sources import KINDS, read_outputs


def make(paths: dict[str, Path], kind: str, **options: object) -> tuple[Batch, Key]:
    spec = KINDS[kind]
    outputs = {system: read_outputs(path, spec) for system, path in paths.items()}
    return build_batch(spec, outputs, rubric=load_rubric().select(spec.criteria), **options)  # type: ignore[arg-type]


def export(batch: Batch, annotator: str, path: Path) -> list[dict[str, str]]:
    with path.open("w", encoding="utf-8", newline="") as sink:
        write_sheet(batch, blank_rows(batch, annotator), sink)
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def save(path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_sheet_columns_follow_the_kind_and_rubric(
    rephrasings: dict[str, Path], drafts: dict[str, Path]
) -> None:
    single, _ = make(rephrasings, "rephrase")
    assert columns(single) == [
        *("batch", "annotator", "position", "item", "context", "text"),
        *("meaning_kept", "civility", "fluency", "comment"),
    ]
    pair, _ = make(drafts, "draft")
    assert columns(pair)[5:9] == ["left", "right", "preference", "left_neutrality"]
    assert "right_fluency" in columns(pair)
    guide = instructions_for(pair)
    assert "`left`, `right` or `tie`" in guide and "- **5**: Even-handed" in guide


def test_filled_sheets_import_as_unblinded_judgements(drafts: dict[str, Path], tmp_path: Path) -> None:
    batch, key = make(drafts, "draft", seed=2)
    rows = export(batch, "alice", tmp_path / "alice.csv")
    assert [row["position"] for row in rows] == [str(n) for n in range(1, 13)]
    assert [row["item"] for row in rows] == [item.id for item in batch.order_for("alice")]
    for row in rows[:3]:  # alice prefers the first system's draft and rates its fluency 5, the other's 2
        systems = key.by_item[row["item"]].systems
        first_side = "left" if systems["left"] == "qwen-local" else "right"
        other_side = "right" if first_side == "left" else "left"
        row.update({"preference": first_side, f"{first_side}_fluency": "5", f"{other_side}_fluency": "2"})
    rows[3]["preference"] = "tie"
    judgements = import_sheets(batch, key, [save(tmp_path / "alice.csv", rows)])
    assert len(judgements) == 4  # blank rows are not judgements
    for judgement in judgements[:3]:
        assert judgement.preference == "qwen-local"
        assert judgement.ratings == {"qwen-local": {"fluency": 5}, "gpt-remote": {"fluency": 2}}
        assert judgement.source == key.by_item[judgement.item].source
    assert judgements[3].preference == "tie" and judgements[3].ratings == {}


def test_an_item_rated_twice_by_one_annotator_is_refused(
    rephrasings: dict[str, Path], tmp_path: Path
) -> None:
    batch, key = make(rephrasings, "rephrase")
    rows = export(batch, "bob", tmp_path / "bob.csv")
    rows[0]["civility"] = "4"
    first = save(tmp_path / "one.csv", rows, encoding="utf-8-sig")  # as a spreadsheet saves it
    second = save(tmp_path / "two.csv", rows)
    with pytest.raises(InputError, match=r"two.csv:2: bob already rated item-\d+ at .*one.csv:2"):
        import_sheets(batch, key, [first, second])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"civility": "7"}, r"column civility: '7' is not a rating from 1 to 5"),
        ({"fluency": "good"}, r"column fluency: 'good' is not a rating from 1 to 5"),
        ({"item": "item-999"}, r"column item: 'item-999' is not an item of this batch"),
        ({"batch": "0123"}, r"column batch: '0123' is not this batch"),
        ({"annotator": " "}, r"column annotator: empty"),
    ],
)
def test_a_bad_cell_names_file_line_and_column(
    rephrasings: dict[str, Path], tmp_path: Path, change: dict[str, str], message: str
) -> None:
    batch, key = make(rephrasings, "rephrase")
    rows = export(batch, "carol", tmp_path / "carol.csv")
    rows[0]["context"] = "a context\nover two lines"  # the bad row below starts on line 5
    rows[2].update({"civility": "3"} | change)
    with pytest.raises(InputError, match=rf"carol.csv:5: {message}"):
        import_sheets(batch, key, [save(tmp_path / "carol.csv", rows)])


def test_a_bad_preference_a_missing_column_and_a_foreign_key(drafts: dict[str, Path], tmp_path: Path) -> None:
    batch, key = make(drafts, "draft")
    rows = export(batch, "dan", tmp_path / "dan.csv")
    rows[1]["preference"] = "maybe"
    with pytest.raises(
        InputError, match=r"dan.csv:3: column preference: 'maybe' is not one of left, right, tie"
    ):
        import_sheets(batch, key, [save(tmp_path / "dan.csv", rows)])
    trimmed = [{k: v for k, v in row.items() if k != "right_civility"} for row in rows]
    with pytest.raises(InputError, match=r"dan.csv:1: missing column 'right_civility'"):
        import_sheets(batch, key, [save(tmp_path / "dan.csv", trimmed)])
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match=r"empty.csv:1: missing column 'batch', 'annotator'"):
        import_sheets(batch, key, [tmp_path / "empty.csv"])
    _, other_key = make(drafts, "draft", seed=9)
    with pytest.raises(
        InputError, match=rf"this key belongs to batch {other_key.batch}, not to batch {batch.id}"
    ):
        import_sheets(batch, other_key, [])
