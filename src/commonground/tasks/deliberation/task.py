"""Deliberation summary: each opinion group's distinctive views and the consensus, in distinct voices.

The plan (`plan.py`) gives every group statements in proportion to how many comments set it apart, and the
consensus its own; each statement is written by its own model call (`voice.py`) from the comments its voice
deals it, so the prompts stay bounded however large the conversation, and falls back alone to quoting them. A
comment sets one group apart (`deliberation.opinion_groups`), so no two voices present the same comment. The
summary is in the reader's language when one is asked for, else in the conversation's (detected from its
comments), and says which. Verified as a whole: cited ids exist, a group's statements cite only that group's
distinctive comments and the consensus' only consensus comments, every group and the consensus are there, no
two statements cite a comment with opposite claims (one rejecting what the other does not, or two groups
claiming it), and each voice's own checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from commonground.deliberation.opinion_groups import OpinionMap
from commonground.deliberation.polis import PolisExport
from commonground.llm.base import Model
from commonground.llm.types import CallRecord, Prompt
from commonground.signals.language import detect_language
from commonground.tasks.base import Check, Task, TaskResult, check
from commonground.tasks.deliberation.plan import Voice, plan_voices
from commonground.tasks.deliberation.voice import Said, VoiceOutput, VoiceRequest, VoiceTask, voices_rejection
from commonground.tasks.translate.task import language_named

SAMPLE_COMMENTS = 40


class Statement(BaseModel):
    text: str
    cites: list[int] = Field(description="Ids of the comments the statement rests on.")
    group: int | None = Field(description="The group whose view it states, or null for the consensus.")


class DeliberationSummary(BaseModel):
    statements: list[Statement]
    language: str = Field(default="en", description="The language the statements are written in.")
    language_source: Literal["conversation", "reader"] = "conversation"


@dataclass(frozen=True)
class DeliberationRequest:
    """A conversation, its opinion map, and the reader's language (None: the conversation's)."""

    export: PolisExport
    opinions: OpinionMap
    reader_lang: str | None = None

    def text(self, comment_id: int) -> str:
        return self.export.comment(comment_id).text

    @property
    def lang(self) -> str:
        """The summary's language: the reader's, else the one most of the comments are in."""
        if self.reader_lang:
            return _code(self.reader_lang)
        sample = " ".join(c.text for c in self.export.comments[:SAMPLE_COMMENTS])
        return detect_language(sample).lang or "en"

    @property
    def voices(self) -> list[Voice]:
        return plan_voices(self.opinions, len(self.export.comments))

    def voice_request(self, voice: Voice) -> VoiceRequest:
        lang = self.lang
        return VoiceRequest(self.export, self.opinions, voice, lang, language_named(lang).name)


class DeliberationTask(Task[DeliberationRequest, DeliberationSummary]):
    """Summaries of a Polis conversation in which every opinion group has its own voice."""

    name = "deliberation"
    schema = DeliberationSummary
    template_path = Path(__file__).with_name("voice.toml")

    def __init__(self, *, candidates: int = 2, max_tokens: int | None = None) -> None:
        super().__init__(candidates=candidates, max_tokens=max_tokens)
        self.voice = VoiceTask(candidates=candidates, max_tokens=max_tokens)

    def prompt(self, request: DeliberationRequest) -> Prompt:
        """The first statement's prompt (each statement has its own: `voice_prompts`)."""
        return self.voice_prompts(request)[0]

    def voice_prompts(self, request: DeliberationRequest) -> list[Prompt]:
        """One prompt per statement, voice by voice."""
        return [self.voice.prompt(request.voice_request(p)) for v in request.voices for p in v.parts()]

    def text(self, output: DeliberationSummary) -> str:
        return "\n".join(f"- {s.text} [{', '.join(map(str, s.cites))}]" for s in output.statements)

    def run(self, model: Model, request: DeliberationRequest) -> TaskResult[DeliberationSummary]:
        """Every voice in turn, one statement per call; a statement the model fails is quoted instead, and
        the summary counts as a fallback (naming the voices) if any was."""
        statements: list[Statement] = []
        calls: list[CallRecord] = []
        checks: list[Check] = []
        reasons = []
        for voice in request.voices:
            for part in voice.parts():
                result = self.voice.run(model, request.voice_request(part))
                statements += [
                    Statement(text=s.text, cites=s.cites, group=voice.group) for s in result.output.statements
                ]
                calls += result.calls
                checks += [c for c in result.checks if not c.passed]
                if result.fallback_reason:
                    reasons.append(f"{_voice_name(voice)}: {result.fallback_reason}")
        output = self._summary(request, statements)
        checks = self._whole(request, output) + checks
        method: Literal["llm", "fallback"] = "fallback" if reasons else "llm"
        return self._result(method, output, checks, calls, reason="; ".join(reasons) or None)

    def verify(self, request: DeliberationRequest, output: DeliberationSummary) -> list[Check]:
        """The whole summary's checks, then every voice's on its own statements."""
        found = self._whole(request, output)
        for voice in request.voices:
            own = [Said(text=s.text, cites=s.cites) for s in output.statements if s.group == voice.group]
            found += self.voice.verify(request.voice_request(voice), VoiceOutput(statements=own))
        return found

    def fallback(self, request: DeliberationRequest) -> DeliberationSummary:
        """Every voice quoting its comments."""
        statements = [
            Statement(text=s.text, cites=s.cites, group=voice.group)
            for voice in request.voices
            for s in self.voice.fallback(request.voice_request(voice)).statements
        ]
        return self._summary(request, statements)

    def _summary(self, request: DeliberationRequest, statements: list[Statement]) -> DeliberationSummary:
        source: Literal["conversation", "reader"] = "reader" if request.reader_lang else "conversation"
        return DeliberationSummary(statements=statements, language=request.lang, language_source=source)

    def _whole(self, request: DeliberationRequest, output: DeliberationSummary) -> list[Check]:
        known = set(request.export.comment_ids)
        statements = output.statements
        cited = [c for s in statements for c in s.cites]
        missing = sorted({c for c in cited if c not in known})
        basis = _basis(request.opinions)
        strays = [
            s.text[:40] for s in statements if not s.cites or not set(s.cites) <= basis.get(s.group, set())
        ]
        spoken = {s.group for s in statements}
        uncovered = [g.id for g in request.opinions.groups if g.id not in spoken]
        opposed = contradictions(request, statements)
        return [
            check(
                "cites_exist",
                1 - len(missing) / len(cited) if cited else 0.0,
                threshold=1.0,
                detail="unknown ids: " + ", ".join(map(str, missing)),
            ),
            check(
                "attributed",
                1 - len(strays) / len(statements) if statements else 0.0,
                threshold=1.0,
                detail="citing comments that do not set their group apart (or are not consensus): "
                + " | ".join(strays),
            ),
            check(
                "groups_covered",
                1 - len(uncovered) / len(request.opinions.groups) if request.opinions.groups else 1.0,
                threshold=1.0,
                detail="left out: " + ", ".join(f"group {g}" for g in uncovered),
            ),
            check(
                "consensus_covered",
                1.0 if None in spoken or not request.opinions.consensus else 0.0,
                threshold=1.0,
                detail="" if request.opinions.consensus else "no consensus comments",
            ),
            check(
                "contradictions",
                0.0 if opposed else 1.0,
                threshold=1.0,
                detail=" | ".join(f"{a.text[:40]} / {b.text[:40]}" for a, b in opposed),
            ),
        ]


def contradictions(
    request: DeliberationRequest, statements: list[Statement]
) -> list[tuple[Statement, Statement]]:
    """Pairs of statements citing a common comment with opposite claims: for two groups, or one rejecting
    what the other does not."""
    pairs = []
    for a, b in combinations(statements, 2):
        shared = set(a.cites) & set(b.cites) & set(request.export.comment_ids)
        if not shared:
            continue
        proof = " ".join(request.text(c) for c in sorted(shared))
        if a.group != b.group or voices_rejection(a.text, proof) != voices_rejection(b.text, proof):
            pairs.append((a, b))
    return pairs


def summary_record(opinions: OpinionMap, result: TaskResult[DeliberationSummary]) -> dict[str, Any]:
    """The JSON of `summarize-polis`: the groups, the consensus, the statements, how they were made."""
    return {
        "groups": [
            {"id": g.id, "size": len(g.members), "representative": [r.comment for r in g.representative]}
            for g in opinions.groups
        ],
        "consensus": list(opinions.consensus),
        "statements": [s.model_dump() for s in result.output.statements],
        "language": result.output.language,
        "language_source": result.output.language_source,
        "method": result.method,
        "grouping": opinions.method,
        "checks": [c.model_dump() for c in result.checks],
        "passed": result.passed,
        "fallback_reason": result.fallback_reason,
    }


def _basis(opinions: OpinionMap) -> dict[int | None, set[int]]:
    """The comments a statement about each group (None: about all groups) may cite."""
    basis: dict[int | None, set[int]] = {None: set(opinions.consensus)}
    return basis | {g.id: {item.comment for item in g.representative} for g in opinions.groups}


def _voice_name(voice: Voice) -> str:
    return "consensus" if voice.group is None else f"group {voice.group}"


def _code(lang: str) -> str:
    language = language_named(lang)
    return getattr(language, "alpha_2", language.alpha_3)
