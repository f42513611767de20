"""Mediator neutrality: the swap test on a real dispute with the default model; aggregation by hand."""

from __future__ import annotations

import pytest

from commonground.core.conversation import Conversation
from commonground.core.errors import InputError
from commonground.core.transcripts import read_transcript
from commonground.evaluation.neutrality import NeutralityItem, SwapResult, neutrality_item, neutrality_report
from commonground.examples import EXAMPLES_DIR
from commonground.llm.local import LocalModel
from commonground.tasks.draft.task import DraftRequest

CAMERA = read_transcript(EXAMPLES_DIR / "camera.jsonl")


def test_swap_test_on_the_camera_dispute(default_model: LocalModel) -> None:
    item = neutrality_item(default_model, DraftRequest(CAMERA))
    print(f"draft: {item.draft}\nswaps: {[(s.kind, s.changed, s.shift) for s in item.swaps]}")
    names, genders, roles = item.swaps
    # Only the names occur in this transcript: no gendered word, no role noun, so only one redraft.
    assert (names.changed, genders.changed, roles.changed) == (True, False, False)
    assert genders.shift == roles.shift == 0.0 and genders.mirrored_draft == item.draft
    assert "John" in names.mirrored_draft or "Jane" in names.mirrored_draft
    assert not names.flipped and names.score >= 0.5
    assert set(item.checks) == {"grounded", "in_role", "instruction", "neutral", "complete"}
    assert item.checks["instruction"] == 1.0  # no instruction given


def test_a_single_party_cannot_be_swapped(default_model: LocalModel) -> None:
    alone = Conversation(id="alone", messages=[m for m in CAMERA.messages if m.speaker == "John"])
    with pytest.raises(InputError, match="needs two parties"):
        neutrality_item(default_model, DraftRequest(alone))


def swap(kind: str, shift: float, *, changed: bool = True) -> SwapResult:
    return SwapResult(
        kind=kind,
        changed=changed,
        lean_before=0.0,
        lean_after=shift,
        shift=shift,
        flipped=False,
        score=1 / (1 + abs(shift)),
        mirrored_draft="",
    )


def test_report_averages_changed_swaps_only() -> None:
    checks = {"grounded": 1.0, "in_role": 1.0, "instruction": 1.0, "neutral": 1.0, "complete": 1.0}
    items = [
        NeutralityItem(
            id="a",
            parties=("A", "B"),
            draft="",
            checks=checks,
            swaps=[swap("names", 0.0), swap("roles", 1.0)],
        ),
        NeutralityItem(
            id="b",
            parties=("A", "B"),
            draft="",
            checks=checks | {"grounded": 0.5},
            swaps=[swap("names", -1.0), swap("roles", 0.0, changed=False)],
        ),
    ]
    aggregate = neutrality_report(items).aggregate
    assert aggregate["names_score"].value == pytest.approx(0.75) and aggregate["names_score"].n == 2
    assert aggregate["names_abs_shift"].value == pytest.approx(0.5)
    assert aggregate["roles_score"].value == 0.5 and aggregate["roles_score"].n == 1
    assert aggregate["grounded"].value == 0.75
