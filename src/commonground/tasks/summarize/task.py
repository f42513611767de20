"""Dispute summary: positions, agreed facts, open issues and proposals, each citing its messages.

Verified: cited ids exist, each statement is supported by the messages it cites (word overlap or embedding
similarity), every party's position is there and cites that party's own messages (so does a proposal),
names and figures come from the messages, and no claim is declared verified or true. Support cannot see
a statement that turns around what its messages say ("John admits he packed it badly" when John denied
it), so the entailment judge then reads each statement but the open issues against its cited messages and
drops those that take the other side (stance "reversed"), and the attribution judge (`tasks.attribution`)
those giving a party a claim that party's messages do not make; a party left without a position gets its
first message quoted, as in the extractive fallback. Dropping statements rather than the whole summary keeps
the judge's mistakes cheap: with the default model it also calls some faithful statements reversed (on
the five example disputes it rejected four summaries of five when one such statement sank the summary).
Its "contradicts" alone is not enough: it said that of faithful statements too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from commonground.core.conversation import Conversation, Message
from commonground.llm.base import Model
from commonground.llm.types import CallRecord, Prompt
from commonground.tasks import checks
from commonground.tasks.attribution import attributed_claims, judge_claim
from commonground.tasks.base import Check, Review, Task, check
from commonground.tasks.context import Context, build_context, clip
from commonground.tasks.entailment import judge
from commonground.tasks.entailment.judge import MAX_CHARS
from commonground.tasks.similarity import support_scores

SUPPORTED = 0.3
KEPT = 0.5  # the share of judged statements a summary must keep after the reversed ones are dropped
REPORTING = re.compile(
    r"\b(?:says?|said|claims?|wants?|asks?|states?|thinks?|believes?|insists?|offers?)\b", re.I
)
PROPOSAL = re.compile(
    r"\b(?:i want|i just want|offer|propose|how about|would you|could|willing|can send)\b", re.I
)
STATEMENT_CHARS = 220


class Statement(BaseModel):
    kind: Literal["position", "fact", "open_issue", "proposal"]
    party: str = Field(description="The party it is about, or an empty string.")
    text: str
    cites: list[str] = Field(description="Ids of the messages the statement rests on.")


class Summary(BaseModel):
    statements: list[Statement]


@dataclass(frozen=True)
class SummaryRequest:
    conversation: Conversation
    last: int = 30

    @property
    def context(self) -> Context:
        return build_context(self.conversation, last=self.last)


class SummarizeTask(Task[SummaryRequest, Summary]):
    """Summaries whose every statement is checked against the messages it cites."""

    name = "summarize"
    schema = Summary
    template_path = Path(__file__).with_name("prompt.toml")

    def prompt(self, request: SummaryRequest) -> Prompt:
        context = request.context
        return self.template.render(digest=context.digest.render(), transcript=context.transcript)

    def text(self, output: Summary) -> str:
        return "\n".join(f"- {s.text} [{', '.join(s.cites)}]" for s in output.statements)

    def verify(self, request: SummaryRequest, output: Summary) -> list[Check]:
        by_id = {m.id: m for m in request.conversation.messages}
        context = request.context
        statements = output.statements
        cited = [c for s in statements for c in s.cites]
        missing = [c for c in cited if c not in by_id]
        existing = (1 - len(missing) / len(cited)) if cited else 0.0
        scores = _support(statements, by_id)
        weak = [s.text[:40] for s, score in zip(statements, scores, strict=True) if score < SUPPORTED]
        positions = {s.party for s in statements if s.kind == "position"}
        covered = [p for p in context.parties if p in positions]
        return [
            check("cites_exist", existing, threshold=1.0, detail="unknown ids: " + ", ".join(missing)),
            check(
                "supported",
                sum(score >= SUPPORTED for score in scores) / len(scores) if scores else 0.0,
                threshold=1.0,
                detail="weak: " + " | ".join(weak),
            ),
            check(
                "parties_covered",
                len(covered) / len(context.parties) if context.parties else 1.0,
                threshold=1.0,
                detail="positions for: " + ", ".join(covered),
            ),
            checks.grounded(self.text(output), source=context.source_text + "\n" + " ".join(by_id)),
            _own_words(statements, by_id),
            checks.no_verdict(self.text(output), parties=context.parties),
            checks.fluent_parts([s.text for s in statements]),
        ]

    def review(self, model: Model, request: SummaryRequest, output: Summary) -> Review[Summary]:
        """Entailment: drop the statements (open issues aside) that take the other side of the messages they
        cite, give a party left without a position its quoted one, and keep the summary if at least half
        of the judged statements stand."""
        by_id = {m.id: m for m in request.conversation.messages}
        judged = [s for s in output.statements if s.kind != "open_issue"]
        turned: list[Statement] = []
        calls: list[CallRecord] = []
        for statement in judged:
            verdict = judge(model, clip(_evidence(statement, by_id), MAX_CHARS), statement.text)
            calls += [completion.record for completion in verdict.completions]
            if verdict.value.stance == "reversed":
                turned.append(statement)
                continue
            for claim in attributed_claims(statement.text, request.context.parties):
                right, _, used = judge_claim(model, claim, request.context.recent)
                calls += used
                if not right:
                    turned.append(statement)
                    break
        score = 1 - len(turned) / len(judged) if judged else 1.0
        detail = " | ".join(f"dropped as reversed or misattributed: {s.text[:60]}" for s in turned)
        entailed = check("entailed", score, threshold=KEPT, detail=detail)
        if not turned:
            return Review(output, [entailed], calls)
        kept = [s for s in output.statements if not any(s is t for t in turned)]
        positions = {s.party for s in kept if s.kind == "position"}
        quoted = [
            quote
            for party in request.context.parties
            if party not in positions and (quote := _position_quote(request, party))
        ]
        return Review(Summary(statements=quoted + kept), [entailed], calls)

    def fallback(self, request: SummaryRequest) -> Summary:
        """Extractive: each party's opening message, open questions and proposals, quoted with their ids."""
        recent = request.context.recent
        statements = [
            quote for party in request.context.parties if (quote := _position_quote(request, party))
        ]
        for message in recent:
            for sentence in checks.sentences(message.text):
                if PROPOSAL.search(sentence):
                    statements.append(_quote("proposal", message, sentence))
                elif sentence.rstrip().endswith("?"):
                    statements.append(_quote("open_issue", message, sentence))
        return Summary(statements=statements)


def _own_words(statements: list[Statement], by_id: dict[str, Message]) -> Check:
    """A party's position or proposal cites at least one message of that party."""
    claimed = [s for s in statements if s.kind in ("position", "proposal") and s.party]
    strays = [
        s.text[:40] for s in claimed if not any(c in by_id and by_id[c].speaker == s.party for c in s.cites)
    ]
    score = 1 - len(strays) / len(claimed) if claimed else 1.0
    return check(
        "own_words", score, threshold=1.0, detail="citing none of the party's messages: " + " | ".join(strays)
    )


def _position_quote(request: SummaryRequest, party: str) -> Statement | None:
    """The first sentence of the party's first recent message (or of its first message at all)."""
    own = [m for m in request.context.recent if m.speaker == party] or [
        m for m in request.conversation.messages if m.speaker == party
    ][:1]
    return _quote("position", own[0], first_sentence(own[0].text)) if own else None


def _quote(kind: Literal["position", "proposal", "open_issue"], message: Message, sentence: str) -> Statement:
    return Statement(
        kind=kind,
        party=message.speaker,
        text=f"{message.speaker}: {clip(sentence, STATEMENT_CHARS)}",
        cites=[message.id],
    )


def first_sentence(text: str) -> str:
    return (checks.sentences(text) or [text])[0]


def _evidence(statement: Statement, by_id: dict[str, Message]) -> str:
    """The messages a statement cites, each as 'Speaker: text'."""
    return " ".join(f"{by_id[c].speaker}: {by_id[c].text}" for c in statement.cites if c in by_id)


def _support(statements: list[Statement], by_id: dict[str, Message]) -> list[float]:
    """How well each statement (reporting verbs dropped) is supported by the messages it cites."""
    evidence = [_evidence(s, by_id) for s in statements]
    return support_scores([REPORTING.sub(" ", s.text) for s in statements], evidence)
