"""A small Polis export written for the tests: two opinion groups on a city's cycling plan, and consensus."""

from __future__ import annotations

import csv
from pathlib import Path

COMMENTS = {
    0: "Protected bike lanes make the streets safer for children.",
    1: "Removing parking spaces will hurt the shops on Main Street.",
    2: "The city should publish its traffic accident data every year.",
    3: "Cycling to work should be encouraged with tax breaks.",
    4: "Buses, not bikes, should get the new lanes.",
    5: "Street trees should be planted along every new bike lane.",
    6: "Delivery vans need loading zones on every block.",
    7: "The plan was decided without asking the residents.",
}
# Group A (8 people) agrees with 0, 3, 5 and rejects 1, 4, 6, 7, group B (4 people) the opposite, both agree
# with 2; but a quarter of each group votes with the other side on the comments that matter less to it
# (group A on 5, 6, 7; group B on 0, 1, 3).
GROUP_A = {0: 1, 1: -1, 2: 1, 3: 1, 4: -1, 5: 1, 6: -1, 7: -1}
GROUP_B = {c: (1 if c == 2 else -v) for c, v in GROUP_A.items()}
SOFT = {0: (5, 6, 7), 1: (0, 1, 3)}


def _vote(person: int, comment: int) -> int:
    group = 0 if person < 8 else 1
    side = GROUP_A if group == 0 else GROUP_B
    turned = comment in SOFT[group] and person % 4 == 0
    return -side[comment] if turned else side[comment]


def write_export(directory: Path, comments: dict[int, str] = COMMENTS) -> Path:
    """The export in `directory`: comments.csv, votes.csv, participants-votes.csv, summary.csv."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "comment-id", "author-id", "moderated", "comment-body"])
        writer.writerows([1, c, 0, 1, text] for c, text in comments.items())
    votes, groups = [], []
    for person in range(12):
        groups.append([person, 0 if person < 8 else 1])
        votes += [[person * 10 + c, c, person, _vote(person, c)] for c in comments]
    with (directory / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["timestamp", "comment-id", "voter-id", "vote"], *votes])
    with (directory / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["participant", "group-id"], *groups])
    (directory / "summary.csv").write_text("topic,A cycling plan for the city\n", encoding="utf-8")
    return directory
