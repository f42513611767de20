"""The bias suite's items and runner: deterministic held-out items, resume after an interruption, refusal of
another run's checkpoint. The model is the small embedded one: its outputs often fail, which is recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from commonground.core.errors import InputError
from commonground.core.settings import Settings
from commonground.evaluation.bias.checkpoint import NAME, Checkpoint, Cost, Entry
from commonground.evaluation.bias.runner import run_suite
from commonground.evaluation.bias.suite import Rephrasing, Suite
from commonground.llm import MemoryRecorder
from commonground.llm.local import LocalModel
from commonground.signals.incivility.data import split_of


def test_items_are_held_out_and_chosen_by_the_seed(test_data: Path) -> None:
    quick = Suite("quick").items(test_data)
    assert quick == Suite("quick").items(test_data)
    assert [item.dimension for item in quick].count("rephrase") == 4
    assert {item.dimension for item in quick} == {"pluralism", "rephrase", "translation", "neutrality"}
    english = [i for i in quick if isinstance(i, Rephrasing) and i.lang == "en"]
    assert len(english) == 2 and all(split_of(i.text) == "test" for i in english)  # ParaDetox held out
    assert {i.id for i in quick} < {i.id for i in Suite("standard").items(test_data)}
    reseeded = Suite("quick", seed=1).items(test_data)
    assert [i.id for i in reseeded if i.dimension == "rephrase"] != [
        i.id for i in quick if i.dimension == "rephrase"
    ]
    assert [i.dimension for i in Suite("standard", limit=1).items(test_data)] == [
        "pluralism",
        "rephrase",
        "translation",
        "neutrality",
    ]
    with pytest.raises(InputError, match="unknown size 'huge'"):
        Suite("huge")


def without_cost(dimensions: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "aggregate": section["aggregate"],
            "breakdown": section["breakdown"],
            "items": [{k: v for k, v in item.items() if k != "cost"} for item in section["items"]],
            "errors": [{k: v for k, v in error.items() if k != "cost"} for error in section["errors"]],
        }
        for name, section in dimensions.items()
    }


def test_resume_skips_finished_items_and_reports_as_an_uninterrupted_run(
    small_model: LocalModel,
    test_data: Path,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suite = Suite("quick", fluency=False)
    # A translation, then a rephrasing: the small model's rewrites fail checks and are sampled again.
    chosen = [i for i in suite.items(test_data) if i.dimension == "translation"][:1]
    chosen += [i for i in suite.items(test_data) if i.dimension == "rephrase"][1:2]
    options: dict[str, Any] = {"cache_dir": settings.cache_dir}
    whole = run_suite(suite, chosen, small_model, out=tmp_path / "whole", **options)
    lines = (tmp_path / "whole" / NAME).read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 1 + 2 and json.loads(lines[0])["model"] == small_model.name
    # Killed while writing the second item: the header, one finished item and half a line are on disk.
    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / NAME).write_text("".join(lines[:2]) + lines[2][:40], encoding="utf-8")
    calls = MemoryRecorder()
    monkeypatch.setattr(small_model, "recorder", calls)
    resumed = run_suite(suite, chosen, small_model, out=tmp_path / "cut", resume=True, **options)
    assert without_cost(resumed["dimensions"]) == without_cost(whole["dimensions"])
    kept = (tmp_path / "cut" / NAME).read_text(encoding="utf-8").splitlines(keepends=True)
    assert kept[:2] == lines[:2]  # the finished item untouched, the cut line dropped
    added = [json.loads(line) for line in kept[2:]]
    first = json.loads(lines[1])
    again = ([] if first["result"] else [first["id"]]) + [item.id for item in chosen[1:]]
    assert [entry["id"] for entry in added] == again  # the unfinished items, and the first if it failed
    assert len(calls.records) == 1 + sum(e["cost"]["calls"] for e in added)  # and the one-token check
    assert resumed["items"] == {"planned": 2, "finished": 2}


def test_a_separate_judge_judges_and_is_named(
    small_model: LocalModel,
    small_model_path: Path,
    test_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suite = Suite("quick", fluency=False)
    chosen = [i for i in suite.items(test_data) if i.dimension == "translation"][:1]
    judged, tested = MemoryRecorder(), MemoryRecorder()
    judge = LocalModel(small_model_path, name="judge", n_ctx=2048, timeout_s=120, recorder=judged)
    monkeypatch.setattr(small_model, "recorder", tested)
    report: Any = run_suite(suite, chosen, small_model, out=tmp_path, cache_dir=tmp_path, judge=judge)
    assert report["judge"] == {"backend": "local", "model": "judge", "base_url": None}
    assert {call.template for call in judged.records} == {"adhoc", "entailment"}
    assert "entailment" not in {call.template for call in tested.records}
    entry = (report["dimensions"]["translation"]["items"] or report["dimensions"]["translation"]["errors"])[0]
    assert (
        entry["cost"]["calls"] == len(tested.records) + len(judged.records) - 2
    )  # less the one-token checks
    header = json.loads((tmp_path / NAME).read_text(encoding="utf-8").splitlines()[0])
    assert header["judge"] == "local:judge"
    with pytest.raises(InputError, match="judge 'local:judge', this run None"):
        run_suite(suite, chosen, small_model, out=tmp_path, cache_dir=tmp_path)


def header(**changes: object) -> dict[str, object]:
    suite = Suite("quick", limit=1)
    return suite.identity() | {"backend": "local", "model": "smollm2-135m"} | changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": "qwen2.5-coder-1.5b"}, "model 'qwen2.5-coder-1.5b', this run 'smollm2-135m'"),
        ({"seed": 7}, "seed 7, this run 0"),
        ({"size": "standard"}, "size 'standard', this run 'quick'"),
    ],
)
def test_a_checkpoint_of_another_run_is_refused(
    small_model: LocalModel, test_data: Path, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    Checkpoint(tmp_path, header(**changes)).append(Entry(dimension="neutrality", id="camera", cost=Cost()))
    before = (tmp_path / NAME).read_text(encoding="utf-8")
    suite = Suite("quick", limit=1)
    with pytest.raises(InputError, match="checkpoint of another run") as caught:
        run_suite(suite, suite.items(test_data), small_model, out=tmp_path, cache_dir=tmp_path)
    assert message in str(caught.value) and (tmp_path / NAME).read_text(encoding="utf-8") == before


def test_a_damaged_checkpoint_or_none_to_resume_is_an_error(
    small_model: LocalModel, test_data: Path, tmp_path: Path
) -> None:
    suite = Suite("quick", limit=1)
    options: dict[str, Any] = {"cache_dir": tmp_path}
    run = (suite, suite.items(test_data), small_model)
    with pytest.raises(InputError, match="no checkpoint to resume"):
        run_suite(*run, out=tmp_path / "empty", resume=True, **options)
    lines = [json.dumps(header()), "{broken", json.dumps({"dimension": "rephrase", "id": "x"})]
    (tmp_path / NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{NAME}:2: invalid JSON"):
        run_suite(*run, out=tmp_path, **options)
    (tmp_path / NAME).write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{NAME}:2: cost: Field required"):
        run_suite(*run, out=tmp_path, **options)
