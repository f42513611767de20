"""Summary pluralism: does a summary cover every opinion group, in proportion, citing what it claims?

Inputs: the opinion groups (`Group`: id, size, the ids of its representative statements — a Polis
group's representative comments, or a dispute party's messages), the source texts by id, and the
summary's statements (text, cited ids, and the group each speaks for, or none for a consensus or an
agreed fact). The JSON of `commonground summarize-polis` (`deliberation_inputs`, with the Polis export) and
of `commonground summarize` (`dispute_inputs`, with the transcript: the parties are the groups, each
represented by its messages) both map onto this.

- A Polis conversation's groups are the summary's own, or recomputed from the votes by
  `deliberation.opinion_groups` (`auto`, `polis`), not taken from the summarizer; either way a group's
  representative statements are the first `TOP` of the comments that set it apart (a comment sets one
  group apart; consensus comments none).
- Coverage of a group, by citation: the share of its representative statements cited by a summary
  statement that speaks for the group or for no group. By meaning: the share that such a statement
  expresses (`similarity.support_scores` of the representative text against the statement ≥ 0.8, about a
  cosine of 0.86). `coverage`: the share covered either way. A statement for another group covers
  nothing of this one, even when it cites the same comment (one group agreed with it, the other not).
- `minority_ratio`: coverage of the smallest group over coverage of the largest (the first listed among
  equals); 0 when the summary leaves the smallest group out, null when it leaves the largest out.
- `proportionality`: 1 − the total variation distance between the groups' shares of the statements
  that speak for a group and their shares of the participants (1: in proportion; 0 when no statement
  speaks for any group).
- Citation validity: the share of (statement, cited id) pairs whose id exists and whose text supports
  the statement (support ≥ 0.3, reporting and framing words such as "says" or "group 1" dropped, as the
  summary tasks verify them).
Means over groups and over citations carry bootstrap intervals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from commonground.core.conversation import Conversation
from commonground.core.errors import InputError, first_problem
from commonground.deliberation.opinion_groups import TOP, OpinionMap, opinion_map
from commonground.deliberation.polis import PolisExport
from commonground.evaluation.bootstrap import Estimate, mean
from commonground.evaluation.report import finite
from commonground.tasks.context import build_context
from commonground.tasks.similarity import support_matrix, support_scores

COVERED = 0.8
SPEAKING = re.compile(
    r"\b(?:says?|said|claims?|wants?|asks?|states?|thinks?|believes?|insists?|offers?|holds?|"
    r"groups?(?:\s+\d+)?|participants?|everyone|all|most|across|(?:dis)?agree[sd]?|rejects?|supports?)\b",
    re.IGNORECASE,
)
SUPPORTED = 0.3
GROUPINGS = ("given", "auto", "polis")


class Group(BaseModel):
    id: str
    size: int = Field(ge=1)
    representative: list[str]


class Statement(BaseModel):
    text: str
    cites: list[str]
    group: str | None = None


class GroupCoverage(BaseModel):
    id: str
    size: int
    size_share: float
    statements: int
    statement_share: float
    cited: float
    meaning: float
    coverage: float


class Citation(BaseModel):
    statement: int
    cite: str
    exists: bool
    support: float
    valid: bool


class PluralismReport(BaseModel):
    groups: list[GroupCoverage]
    citations: list[Citation]
    minority_ratio: float
    proportionality: float
    aggregate: dict[str, Estimate]

    def public(self) -> dict[str, Any]:
        return finite(self.model_dump(mode="python"))


@dataclass(frozen=True)
class Inputs:
    """What `score_pluralism` needs: the groups, the summary's statements, the source texts by id."""

    groups: list[Group]
    statements: list[Statement]
    sources: dict[str, str]


def groups_from_opinions(opinions: OpinionMap) -> list[Group]:
    """Polis-style opinion groups: their sizes and the `TOP` comments that set each apart."""
    return [
        Group(
            id=str(g.id), size=len(g.members), representative=[str(r.comment) for r in g.representative[:TOP]]
        )
        for g in opinions.groups
    ]


def groups_from_parties(conversation: Conversation) -> list[Group]:
    """A dispute's parties as groups of one, each represented by its own messages."""
    parties = build_context(conversation, last=len(conversation.messages) or 1).parties
    return [
        Group(id=party, size=1, representative=[m.id for m in conversation.messages if m.speaker == party])
        for party in parties
    ]


class _PolisStatement(BaseModel):
    text: str
    cites: list[int]
    group: int | None = None


class _PolisGroup(BaseModel):
    id: int
    size: int = Field(ge=1)
    representative: list[int]


class _DeliberationSummary(BaseModel):
    statements: list[_PolisStatement]
    groups: list[_PolisGroup] | None = None


class _DisputeStatement(BaseModel):
    text: str
    cites: list[str]
    party: str = ""


class _DisputeOutput(BaseModel):
    statements: list[_DisputeStatement]


class _DisputeSummary(BaseModel):
    output: _DisputeOutput | None = None
    statements: list[_DisputeStatement] = []


def _parsed(schema: type[BaseModel], data: Any, where: str) -> Any:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise InputError(f"{where}: {first_problem(error, root='summary')}") from None


def deliberation_inputs(
    data: Any, export: PolisExport, *, groups: str = "given", where: str = "summary"
) -> Inputs:
    """The JSON of `summarize-polis` with its export; the `groups` it gives, or recomputed from the votes
    ("auto": PCA and k-means; "polis": Polis's own)."""
    if groups not in GROUPINGS:
        raise InputError(f"groups must be {', '.join(GROUPINGS)}, not {groups!r}")
    summary = _parsed(_DeliberationSummary, data, where)
    if groups == "given":
        if summary.groups is None:
            raise InputError(f"{where}: no 'groups' in the summary; compute them (auto or polis)")
        found = [
            Group(id=str(g.id), size=g.size, representative=[str(c) for c in g.representative[:TOP]])
            for g in summary.groups
        ]
    else:
        found = groups_from_opinions(opinion_map(export, source="polis" if groups == "polis" else "auto"))
    statements = [
        Statement(
            text=s.text, cites=[str(c) for c in s.cites], group=None if s.group is None else str(s.group)
        )
        for s in summary.statements
    ]
    return Inputs(found, statements, {str(c.id): c.text for c in export.comments})


def dispute_inputs(data: Any, conversation: Conversation, *, where: str = "summary") -> Inputs:
    """The JSON of `summarize` (its `output`, or bare `statements`) with its transcript."""
    summary = _parsed(_DisputeSummary, data, where)
    given = summary.output.statements if summary.output else summary.statements
    statements = [Statement(text=s.text, cites=s.cites, group=s.party or None) for s in given]
    sources = {m.id: f"{m.speaker}: {m.text}" for m in conversation.messages}
    return Inputs(groups_from_parties(conversation), statements, sources)


def score_pluralism(
    groups: Sequence[Group], statements: Sequence[Statement], sources: Mapping[str, str]
) -> PluralismReport:
    """Coverage per group, minority ratio, proportionality and citation validity of one summary."""
    citations = _citations(statements, sources)
    support = _support(groups, statements, sources)
    speaking = [s.group for s in statements if s.group is not None]
    total = sum(g.size for g in groups)
    coverage = []
    for group in groups:
        wanted = group.representative
        own = [i for i, s in enumerate(statements) if s.group in (group.id, None)]
        cited = {c for i in own for c in statements[i].cites}
        by_citation = [c in cited for c in wanted]
        by_meaning = [bool(own) and c in support and support[c][own].max() >= COVERED for c in wanted]
        either = [a or b for a, b in zip(by_citation, by_meaning, strict=True)]
        count = speaking.count(group.id)
        coverage.append(
            GroupCoverage(
                id=group.id,
                size=group.size,
                size_share=group.size / total,
                statements=count,
                statement_share=count / len(speaking) if speaking else 0.0,
                cited=float(np.mean(by_citation)) if wanted else 0.0,
                meaning=float(np.mean(by_meaning)) if wanted else 0.0,
                coverage=float(np.mean(either)) if wanted else 0.0,
            )
        )
    distance = sum(abs(g.statement_share - g.size_share) for g in coverage) / 2
    return PluralismReport(
        groups=coverage,
        citations=citations,
        minority_ratio=_minority_ratio(coverage),
        proportionality=round(1 - distance, 6) if speaking else 0.0,
        aggregate={
            "coverage": mean([g.coverage for g in coverage]),
            "coverage_cited": mean([g.cited for g in coverage]),
            "coverage_meaning": mean([g.meaning for g in coverage]),
            "citation_validity": mean([float(c.valid) for c in citations]),
        },
    )


def _minority_ratio(coverage: Sequence[GroupCoverage]) -> float:
    if not coverage:
        return float("nan")
    largest = max(coverage, key=lambda g: g.size)
    smallest = min(reversed(coverage), key=lambda g: g.size)
    if largest.coverage == 0:
        return float("nan")
    return round(smallest.coverage / largest.coverage, 6)


def _plain(text: str) -> str:
    """A statement without its reporting and framing words ("says", "group 1 agrees")."""
    return SPEAKING.sub(" ", text)


def _citations(statements: Sequence[Statement], sources: Mapping[str, str]) -> list[Citation]:
    pairs = [(index, cite) for index, s in enumerate(statements) for cite in s.cites]
    known = [(index, cite) for index, cite in pairs if cite in sources]
    scores = support_scores(
        [_plain(statements[index].text) for index, _ in known], [sources[cite] for _, cite in known]
    )
    support = dict(zip(known, scores, strict=True))
    return [
        Citation(
            statement=index,
            cite=cite,
            exists=cite in sources,
            support=round(float(np.clip(support.get((index, cite), 0.0), 0.0, 1.0)), 3),
            valid=support.get((index, cite), 0.0) >= SUPPORTED,
        )
        for index, cite in pairs
    ]


def _support(
    groups: Sequence[Group], statements: Sequence[Statement], sources: Mapping[str, str]
) -> dict[str, np.ndarray]:
    """For each representative statement, how well each summary statement expresses it."""
    wanted = sorted({c for g in groups for c in g.representative if c in sources})
    scores = support_matrix([sources[c] for c in wanted], [_plain(s.text) for s in statements])
    return dict(zip(wanted, scores, strict=True))
