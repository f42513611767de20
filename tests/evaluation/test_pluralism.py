"""Summary pluralism worked by hand, then on a real Polis export and a real dispute."""

from __future__ import annotations

import pytest

from commonground.core.transcripts import read_transcript
from commonground.evaluation.pluralism import (
    Group,
    Statement,
    groups_from_parties,
    score_pluralism,
)
from commonground.examples import EXAMPLES_DIR

SOURCES = {
    "1": "Bike lanes make the streets safer for children.",
    "2": "The city should plant more trees along the avenues.",
    "3": "Parking downtown should stay free on weekends.",
    "4": "The city should publish its traffic data.",
}
GROUPS = [Group(id="0", size=6, representative=["1", "2"]), Group(id="1", size=3, representative=["3"])]
MAJORITY = [
    Statement(text="Group 0 holds that bike lanes make streets safer for children.", cites=["1"], group="0"),
    Statement(text="Group 0 wants more trees planted along the avenues.", cites=["2"], group="0"),
]
MINORITY = Statement(text="Group 1 wants downtown parking to stay free on weekends.", cites=["3"], group="1")
CONSENSUS = Statement(text="Everyone wants the city to publish its traffic data.", cites=["4"])


def test_a_summary_covering_every_group_in_proportion() -> None:
    report = score_pluralism(GROUPS, [*MAJORITY, MINORITY, CONSENSUS], SOURCES)
    assert [(g.cited, g.meaning, g.coverage) for g in report.groups] == [(1.0, 1.0, 1.0), (1.0, 1.0, 1.0)]
    assert [(g.statements, g.statement_share, g.size_share) for g in report.groups] == [
        (2, pytest.approx(2 / 3), pytest.approx(2 / 3)),
        (1, pytest.approx(1 / 3), pytest.approx(1 / 3)),
    ]
    assert report.minority_ratio == 1.0
    assert report.proportionality == pytest.approx(1.0)
    assert report.aggregate["citation_validity"].value == 1.0
    assert report.aggregate["coverage"].value == 1.0


def test_a_summary_leaving_out_the_minority_scores_zero_for_it() -> None:
    report = score_pluralism(GROUPS, [*MAJORITY, CONSENSUS], SOURCES)
    minority = report.groups[1]
    assert (minority.cited, minority.meaning, minority.coverage, minority.statements) == (0.0, 0.0, 0.0, 0)
    assert report.groups[0].coverage == 1.0
    assert report.minority_ratio == 0.0
    # Statement shares 1 and 0 against participant shares 2/3 and 1/3: total variation distance 1/3.
    assert report.proportionality == pytest.approx(2 / 3)
    assert report.aggregate["coverage"].value == 0.5


def test_a_citation_of_a_missing_comment_is_invalid() -> None:
    wrong = MINORITY.model_copy(update={"cites": ["3", "99"]})
    report = score_pluralism(GROUPS, [*MAJORITY, wrong, CONSENSUS], SOURCES)
    assert [(c.cite, c.exists, c.valid) for c in report.citations if c.statement == 2] == [
        ("3", True, True),
        ("99", False, False),
    ]
    assert report.aggregate["citation_validity"].value == pytest.approx(4 / 5)
    unsupported = MINORITY.model_copy(update={"cites": ["1"]})
    report = score_pluralism(GROUPS, [*MAJORITY, unsupported, CONSENSUS], SOURCES)
    assert report.aggregate["citation_validity"].value == pytest.approx(3 / 4)
    assert report.groups[1].cited == 0.0 and report.groups[1].meaning == 1.0


def test_a_statement_for_another_group_covers_nothing_of_this_one() -> None:
    # Both groups have comment 1 among their representative ones: group 0 agreed with it, group 1 did not.
    groups = [Group(id="0", size=6, representative=["1"]), Group(id="1", size=3, representative=["1", "3"])]
    rejection = "Group 1 rejects that bike lanes make the streets safer for children."
    report = score_pluralism(groups, [Statement(text=rejection, cites=["1"], group="1")], SOURCES)
    assert [(g.cited, g.meaning, g.coverage) for g in report.groups] == [(0.0, 0.0, 0.0), (0.5, 0.5, 0.5)]


def test_no_statement_for_any_group() -> None:
    report = score_pluralism(GROUPS, [CONSENSUS], SOURCES)
    assert report.proportionality == 0.0
    assert [g.coverage for g in report.groups] == [0.0, 0.0]
    assert report.minority_ratio != report.minority_ratio  # NaN: the majority is left out too


def test_dispute_summary_parties_are_the_groups() -> None:
    camera = read_transcript(EXAMPLES_DIR / "camera.jsonl")
    groups = groups_from_parties(camera)
    assert [(g.id, g.size, g.representative) for g in groups] == [
        ("John", 1, ["1", "3", "5"]),
        ("Jane", 1, ["2", "4"]),
    ]
    statements = [
        Statement(text="John wants a full refund for the cracked camera.", cites=["1"], group="John"),
        Statement(text="Jane says the camera worked when she shipped it.", cites=["2"], group="Jane"),
    ]
    sources = {m.id: f"{m.speaker}: {m.text}" for m in camera.messages}
    report = score_pluralism(groups, statements, sources)
    assert [g.cited for g in report.groups] == [pytest.approx(1 / 3), 0.5]
    assert all(g.coverage >= g.cited for g in report.groups)
    assert report.proportionality == 1.0
    assert report.aggregate["citation_validity"].value == 1.0
