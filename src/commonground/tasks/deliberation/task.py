"""Deliberation summary: each opinion group's distinctive views and the consensus, citing comments.

The prompt shows only each group's top representative comments and the top consensus comments, clipped,
so it stays bounded however large the conversation. Verification: cited ids exist, each statement is
supported by the comments it cites and cites its own group's representative comments (or, unattributed,
the consensus), a comment a group rejected is reported as rejected, every group and the consensus appear,
and no name or number is invented. The fallback quotes the representative and consensus comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from commonground.deliberation.opinion_groups import OpinionMap, Representative
from commonground.deliberation.polis import PolisExport
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, TaskResult, check
from commonground.tasks.context import clip
from commonground.tasks.similarity import support_scores
from commonground.tasks.summarize.task import REPORTING

PROMPT_REPRESENTATIVE = 3
FALLBACK_REPRESENTATIVE = 2
FALLBACK_CONSENSUS = 2
COMMENT_CHARS = 160
SUPPORTED = 0.3
FRAMING = re.compile(
    r"\b(?:groups?(?:\s+\d+)?|participants?|everyone|all|most|across|agree\w*|disagree\w*|reject\w*|"
    r"hold\w*|support\w*)\b",
    re.IGNORECASE,
)


REJECTION = re.compile(
    r"\b(?:reject\w*|disagree\w*|oppos\w*|against|doubt\w*|dismiss\w*|not|no|never|den(?:y|ies))\b|n't",
    re.IGNORECASE,
)


class Statement(BaseModel):
    text: str
    cites: list[int] = Field(description="Ids of the comments the statement rests on.")
    group: int | None = Field(description="The group whose view it states, or null for the consensus.")


class DeliberationSummary(BaseModel):
    statements: list[Statement]


@dataclass(frozen=True)
class DeliberationRequest:
    """A conversation, its opinion map, and how many comments per group the prompt shows."""

    export: PolisExport
    opinions: OpinionMap
    shown: int = PROMPT_REPRESENTATIVE

    def text(self, comment_id: int) -> str:
        return self.export.comment(comment_id).text

    @property
    def digest(self) -> str:
        """The groups' top representative comments and the top consensus comments, clipped."""
        lines = []
        for group in self.opinions.groups:
            lines.append(f"Group {group.id} ({len(group.members)} participants):")
            lines += [self._line(item) for item in group.representative[: self.shown]]
        agreed = self.opinions.consensus[: self.shown]
        lines.append("All groups agreed:" + ("" if agreed else " (no comment)"))
        lines += [f"[{c}] {clip(self.text(c), COMMENT_CHARS)}" for c in agreed]
        return "\n".join(lines)

    def _line(self, item: Representative) -> str:
        shares = f"{item.group_share:.0%} vs {item.rest_share:.0%} of others"
        text = clip(self.text(item.comment), COMMENT_CHARS)
        return f"[{item.comment}] {item.direction}d ({shares}): {text}"


class DeliberationTask(Task[DeliberationRequest, DeliberationSummary]):
    """Summaries of a Polis conversation in which no opinion group is left out."""

    name = "deliberation"
    schema = DeliberationSummary
    template_path = Path(__file__).with_name("prompt.toml")

    def prompt(self, request: DeliberationRequest) -> Prompt:
        wanted = [f"group {g.id}" for g in request.opinions.groups]
        if request.opinions.consensus:
            wanted.append("all groups (null)")
        return self.template.render(
            topic=request.export.topic or "(not given)", digest=request.digest, groups=", ".join(wanted)
        )

    def text(self, output: DeliberationSummary) -> str:
        return "\n".join(f"- {s.text} [{', '.join(map(str, s.cites))}]" for s in output.statements)

    def verify(self, request: DeliberationRequest, output: DeliberationSummary) -> list[Check]:
        known = set(request.export.comment_ids)
        statements = output.statements
        cited = [c for s in statements for c in s.cites]
        missing = sorted({c for c in cited if c not in known})
        evidence = [" ".join(request.text(c) for c in s.cites if c in known) for s in statements]
        plain = [FRAMING.sub(" ", REPORTING.sub(" ", s.text)) for s in statements]  # framing words dropped
        scores = support_scores(plain, evidence)
        weak = [s.text[:40] for s, score in zip(statements, scores, strict=True) if score < SUPPORTED]
        basis = _basis(request.opinions)
        misattributed = [s for s in statements if not basis.get(s.group, set()) & set(s.cites)]
        covered = {s.group for s in statements if s not in misattributed}
        rejected = _rejected(request.opinions)
        flipped = [
            s
            for s, proof in zip(statements, evidence, strict=True)
            if s.cites
            and set(s.cites) <= rejected.get(s.group, set())
            and not _voices_rejection(s.text, proof)
        ]
        uncovered = [g.id for g in request.opinions.groups if g.id not in covered]
        groups = len(request.opinions.groups)
        return [
            check(
                "cites_exist",
                1 - len(missing) / len(cited) if cited else 0.0,
                threshold=1.0,
                detail="unknown ids: " + ", ".join(map(str, missing)),
            ),
            check(
                "supported",
                sum(score >= SUPPORTED for score in scores) / len(scores) if scores else 0.0,
                threshold=1.0,
                detail="weak: " + " | ".join(weak),
            ),
            check(
                "attributed",
                1 - len(misattributed) / len(statements) if statements else 0.0,
                threshold=1.0,
                detail="not citing their group's comments (or consensus): "
                + " | ".join(s.text[:40] for s in misattributed),
            ),
            check(
                "direction",
                1 - len(flipped) / len(statements) if statements else 0.0,
                threshold=1.0,
                detail="cites only comments its group rejected, without saying so: "
                + " | ".join(s.text[:40] for s in flipped),
            ),
            check(
                "groups_covered",
                1 - len(uncovered) / groups if groups else 1.0,
                threshold=1.0,
                detail="left out: " + ", ".join(f"group {g}" for g in uncovered),
            ),
            check(
                "consensus_covered",
                1.0 if None in covered or not request.opinions.consensus else 0.0,
                threshold=1.0,
                detail="" if request.opinions.consensus else "no consensus comments",
            ),
            checks.grounded(
                " ".join(s.text for s in statements), source=request.digest + "\n" + "\n".join(evidence)
            ),
        ]

    def fallback(self, request: DeliberationRequest) -> DeliberationSummary:
        """Extractive: each group's top representative comments and the top consensus comments, quoted."""

        def quote(lead: str, comment: int, group: int | None) -> Statement:
            text = f"{lead}: {clip(request.text(comment), COMMENT_CHARS)}"
            return Statement(text=text, cites=[comment], group=group)

        statements = [
            quote(f"Group {group.id} {item.direction}d, more than others", item.comment, group.id)
            for group in request.opinions.groups
            for item in group.representative[:FALLBACK_REPRESENTATIVE]
        ]
        statements += [
            quote("All groups agreed", c, None) for c in request.opinions.consensus[:FALLBACK_CONSENSUS]
        ]
        return DeliberationSummary(statements=statements)


def summary_record(opinions: OpinionMap, result: TaskResult[DeliberationSummary]) -> dict[str, Any]:
    """The JSON of `summarize-polis`: the groups, the consensus, the statements, how they were made."""
    return {
        "groups": [
            {"id": g.id, "size": len(g.members), "representative": [r.comment for r in g.representative]}
            for g in opinions.groups
        ],
        "consensus": list(opinions.consensus),
        "statements": [s.model_dump() for s in result.output.statements],
        "method": result.method,
        "grouping": opinions.method,
        "checks": [c.model_dump() for c in result.checks],
        "passed": result.passed,
        "fallback_reason": result.fallback_reason,
    }


def _basis(opinions: OpinionMap) -> dict[int | None, set[int]]:
    """The comments a statement about each group (None: about all groups) must cite at least one of."""
    basis: dict[int | None, set[int]] = {None: set(opinions.consensus)}
    return basis | {g.id: {item.comment for item in g.representative} for g in opinions.groups}


def _rejected(opinions: OpinionMap) -> dict[int | None, set[int]]:
    """The representative comments each group disagreed with."""
    return {g.id: {r.comment for r in g.representative if r.direction == "disagree"} for g in opinions.groups}


def _voices_rejection(text: str, evidence: str) -> bool:
    """Whether `text` says something is rejected in its own words (not only by quoting the evidence)."""
    quoted = set(checks.words(evidence.replace("’", "'")))
    own = [w for w in checks.words(text.replace("’", "'")) if w not in quoted]
    return bool(REJECTION.search(" ".join(own)))
