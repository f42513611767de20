"""Polis openData export directories: comments, the participants × comments vote matrix, Polis's own groups.

An export holds `comments.csv`, `votes.csv` (agree 1, disagree −1, pass 0; a later vote replaces an
earlier one) and `participants-votes.csv` (one row per participant with Polis's `group-id`). Comments a
moderator rejected (`moderated` −1) are left out, as Polis leaves them out of its analysis. Malformed
files raise InputError naming the file, the line and the missing or bad column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from commonground.core.errors import InputError
from commonground.core.records import table_rows

VOTES = {"1": 1.0, "-1": -1.0, "0": 0.0}
REJECTED = -1


@dataclass(frozen=True)
class Comment:
    id: int
    text: str
    moderated: int


@dataclass(frozen=True)
class PolisExport:
    """A conversation's comments and votes; `votes[p, c]` is 1, −1, 0 or NaN (not seen)."""

    name: str
    comments: tuple[Comment, ...]
    participants: tuple[int, ...]
    votes: np.ndarray
    polis_groups: dict[int, int]
    topic: str = ""

    @property
    def comment_ids(self) -> tuple[int, ...]:
        return tuple(comment.id for comment in self.comments)

    def comment(self, comment_id: int) -> Comment:
        return self.comments[self.comment_ids.index(comment_id)]


def load_export(directory: Path) -> PolisExport:
    """Read a Polis export directory; raises InputError on a missing file, column or bad value."""
    if not directory.is_dir():
        raise InputError(f"{directory}: not a Polis export directory")
    columns = ("comment-id", "moderated", "comment-body")
    comments_path = directory / "comments.csv"
    comments = tuple(
        Comment(
            id=_integer(row, "comment-id", comments_path, number),
            text=row["comment-body"],
            moderated=_integer(row, "moderated", comments_path, number),
        )
        for number, row in table_rows(comments_path, columns)
    )
    kept = [comment for comment in comments if comment.moderated != REJECTED]
    column_of = {comment.id: index for index, comment in enumerate(kept)}
    latest: dict[tuple[int, int], tuple[int, float]] = {}
    path = directory / "votes.csv"
    for number, row in table_rows(path, ("timestamp", "comment-id", "voter-id", "vote")):
        vote = row["vote"].strip()
        if vote not in VOTES:
            raise InputError(f"{path}:{number}: column 'vote' has {vote!r}; expected 1, -1 or 0")
        key = (_integer(row, "voter-id", path, number), _integer(row, "comment-id", path, number))
        stamp = _integer(row, "timestamp", path, number)
        if key[1] in column_of and (key not in latest or stamp >= latest[key][0]):
            latest[key] = (stamp, VOTES[vote])
    polis_groups = _polis_groups(directory / "participants-votes.csv")
    participants = tuple(sorted({voter for voter, _ in latest} | set(polis_groups)))
    row_of = {participant: index for index, participant in enumerate(participants)}
    votes = np.full((len(participants), len(kept)), np.nan)
    for (voter, comment_id), (_, value) in latest.items():
        votes[row_of[voter], column_of[comment_id]] = value
    return PolisExport(
        name=directory.name,
        comments=tuple(kept),
        participants=participants,
        votes=votes,
        polis_groups=polis_groups,
        topic=_topic(directory / "summary.csv"),
    )


def _topic(path: Path) -> str:
    """The conversation's topic from `summary.csv` (key, value rows), or an empty string."""
    if not path.is_file():
        return ""
    with path.open(encoding="utf-8", newline="") as handle:
        return next((row[1] for row in csv.reader(handle) if len(row) > 1 and row[0] == "topic"), "")


def _polis_groups(path: Path) -> dict[int, int]:
    """Participant → Polis group id, for participants Polis placed in a group."""
    return {
        _integer(row, "participant", path, number): _integer(row, "group-id", path, number)
        for number, row in table_rows(path, ("participant", "group-id"))
        if row["group-id"].strip()
    }


def _integer(row: dict[str, str], name: str, path: Path, number: int) -> int:
    try:
        return int(row[name])
    except ValueError:
        raise InputError(f"{path}:{number}: column {name!r} has {row[name]!r}; expected an integer") from None
