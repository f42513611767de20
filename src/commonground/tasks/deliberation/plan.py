"""How many statements each voice of a deliberation summary gets, and which comments each one shows.

A voice is an opinion group (or the consensus) and the comments it is summarized from. The summary has one
statement per `COMMENTS_PER_STATEMENT` comments of the conversation (between `MIN_STATEMENTS` and
`MAX_STATEMENTS`); the consensus gets one statement per two consensus comments (at most two), and the
groups share the rest in proportion to how many comments set each apart (largest remainders), each at
least `GROUP_MIN` and at most one per distinctive comment. A voice shows `CITES` comments per statement,
and at least the `TOP` that Polis shows as representative, best first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from commonground.deliberation.opinion_groups import TOP, OpinionMap

COMMENTS_PER_STATEMENT = 10
MIN_STATEMENTS = 6
MAX_STATEMENTS = 24
GROUP_MIN = 2
CITES = 2
MAX_CONSENSUS_STATEMENTS = 2


@dataclass(frozen=True)
class Voice:
    """An opinion group (`group` None: the consensus), the comments its statements draw on, how many."""

    group: int | None
    comments: tuple[int, ...]
    statements: int

    def parts(self) -> list[Voice]:
        """The voice as one-statement voices, its comments dealt out in turn: a small model writes one
        statement from two comments more reliably than several at once."""
        count = min(self.statements, len(self.comments))
        return [Voice(self.group, self.comments[i :: self.statements], 1) for i in range(count)]


def plan_voices(opinions: OpinionMap, comment_count: int) -> list[Voice]:
    """Each group's voice (largest share of statements to the group most set apart), then the consensus."""
    total = min(max(round(comment_count / COMMENTS_PER_STATEMENT), MIN_STATEMENTS), MAX_STATEMENTS)
    agreed = min(math.ceil(len(opinions.consensus) / CITES), MAX_CONSENSUS_STATEMENTS)
    weights = [len(g.representative) for g in opinions.groups]
    counts = _shares(max(total - agreed, 0), weights)
    voices = [
        Voice(g.id, tuple(r.comment for r in g.representative[: max(n * CITES, TOP)]), n)
        for g, n in zip(opinions.groups, counts, strict=True)
    ]
    if agreed:
        voices.append(Voice(None, opinions.consensus[: agreed * CITES], agreed))
    return voices


def _shares(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` by largest remainders, each in [GROUP_MIN, weight]."""
    whole = sum(weights) or 1
    exact = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in exact]
    for index in sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True):
        if sum(counts) >= total:
            break
        counts[index] += 1
    return [min(max(n, GROUP_MIN), w) for n, w in zip(counts, weights, strict=True)]
