"""Polis exports: loading with clear errors, opinion groups, representative and consensus comments."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from commonground.core.errors import InputError
from commonground.deliberation.opinion_groups import (
    UNGROUPED,
    cluster,
    consensus,
    opinion_map,
    representatives,
)
from commonground.deliberation.polis import load_export

N = np.nan
# Five participants (group A) agree with comment 0 and reject comment 1; three (group B, the minority) do the
# opposite; everyone agrees with comment 2 and passes on comment 3; the last participant voted once.
VOTES = np.array([[1, -1, 1, 0]] * 5 + [[-1, 1, 1, 0]] * 3 + [[1, N, N, N]])
GROUPS = np.array([0, 0, 0, 0, 0, 1, 1, 1, UNGROUPED])


def test_clustering_finds_the_two_groups_largest_first() -> None:
    labels, method = cluster(VOTES)
    assert labels.tolist() == GROUPS.tolist()  # the one-vote participant is left ungrouped
    assert method.startswith("pca-kmeans (k=2")
    assert cluster(VOTES, k=2)[0].tolist() == GROUPS.tolist()


def test_representative_comments_worked_by_hand() -> None:
    # Minority group B on comment 1: 3 of 3 agree, 0 of the 5 others.
    # pa = (1+3)/(2+3) = 0.8, rest (1+0)/(2+5) = 1/7, ra = 5.6; pat = 2·√4·(4/4 − 1/2) = 2;
    # rat: (4/4 − 1/6) / √(0.5·0.5·(1/4 + 1/6)) = 2.582; repness = 5.6 · 2.582 · 0.8 · 2 = 23.13.
    minority = representatives(VOTES, GROUPS, 1)
    assert {(r.comment, r.direction) for r in minority} == {(0, "disagree"), (1, "agree")}
    agree = next(r for r in minority if r.comment == 1)
    rat = (1 - 1 / 6) / math.sqrt(0.25 * (1 / 4 + 1 / 6))
    assert agree.group_share == 0.8 and agree.rest_share == round(1 / 7, 3)
    assert agree.score == pytest.approx(5.6 * rat * 0.8 * 2, abs=1e-3)
    majority = representatives(VOTES, GROUPS, 0)
    assert {(r.comment, r.direction) for r in majority} == {(0, "agree"), (1, "disagree")}


def test_consensus_is_what_every_group_agrees_with() -> None:
    # Comment 2: group A (1+5)/(2+5) = 0.857, group B (1+3)/(2+3) = 0.8, both ≥ 0.6; passes on comment 3
    # count as seen: (1+0)/(2+5) = 0.14.
    assert consensus(VOTES, GROUPS) == [2]


def test_a_group_without_significant_comments_keeps_its_best_one() -> None:
    mixed = np.array([1, 1, 0, 0, 0, 1, 1, 0, UNGROUPED])  # group 1 splits evenly on comments 0 and 1
    assert len(representatives(VOTES, mixed, 1)) == 1


@pytest.mark.parametrize(
    ("name", "comments", "participants", "polis_sizes"),
    [("15-per-hour-seattle", 31, 30, [18, 9]), ("scoop-hivemind.biodiversity", 30, 21, [6, 12])],
)
def test_real_exports_every_group_represented(
    test_data: Path, name: str, comments: int, participants: int, polis_sizes: list[int]
) -> None:
    export = load_export(test_data / "polis" / name)
    assert export.votes.shape == (participants, comments)  # comments a moderator rejected are left out
    assert set(np.unique(export.votes[~np.isnan(export.votes)])) <= {-1.0, 0.0, 1.0}
    for source in ("auto", "polis"):
        opinions = opinion_map(export, source=source)
        assert len(opinions.groups) >= 2, source
        assert all(group.representative for group in opinions.groups), source
        known = set(export.comment_ids)
        assert all({r.comment for r in g.representative} <= known for g in opinions.groups)
        assert set(opinions.consensus) <= known
    polis = opinion_map(export, source="polis")
    assert [len(g.members) for g in polis.groups] == polis_sizes


def _export(directory: Path, files: dict[str, str] | None = None) -> Path:
    defaults = {
        "comments.csv": "timestamp,comment-id,author-id,moderated,comment-body\n1,0,0,1,Parks matter\n",
        "votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,-1\n",
        "participants-votes.csv": "participant,group-id\n0,0\n1,\n",
    }
    for name, text in (defaults | (files or {})).items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_a_small_valid_export_loads(tmp_path: Path) -> None:
    export = load_export(_export(tmp_path))
    assert export.votes.tolist() == [[1.0], [-1.0]] and export.polis_groups == {0: 0}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"votes.csv": "timestamp,comment-id,voter-id\n1,0,0\n"}, "votes.csv:1: missing column 'vote'"),
        (
            {"votes.csv": "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,yes\n"},
            "votes.csv:3: column 'vote'",
        ),
        (
            {"comments.csv": "comment-id,moderated,comment-body\nx,1,Hi\n"},
            "comments.csv:2: column 'comment-id'",
        ),
        (
            {"participants-votes.csv": "participant\n0\n"},
            "participants-votes.csv:1: missing column 'group-id'",
        ),
    ],
)
def test_malformed_files_name_file_line_and_column(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    with pytest.raises(InputError, match=expected):
        load_export(_export(tmp_path, files))
