"""One voice of a deliberation summary: an opinion group's (or the consensus') statements, citing comments.

The model sees the comments the plan gives the voice, with how the group voted on each, and writes the
statements asked for; the code, not the model, says which group each statement speaks for. Verified: the
statements cite only the voice's comments and at least `COVERS` of them, there are about as many as asked
for, each is supported by what it cites, one citing only comments its group rejected says so, names and
numbers come from the comments, and the text is in the summary's language. The fallback quotes the
comments, in quotation marks, shared out among the statements, after a lead in the summary's language
(English when it has none): "Group 1 disagreed, more than the others: “…”, “…”. Group 1 agreed, …".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, Field

from commonground.deliberation.opinion_groups import OpinionMap, Representative
from commonground.deliberation.polis import PolisExport
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, check
from commonground.tasks.context import clip
from commonground.tasks.deliberation.plan import Voice
from commonground.tasks.similarity import support_scores
from commonground.tasks.summarize.task import REPORTING

COMMENT_CHARS = 160
SUPPORTED = 0.3
COVERS = 0.6
TOKENS, TOKENS_PER_STATEMENT = 40, 80
FRAMING = re.compile(
    r"\b(?:groups?(?:\s+\d+)?|participants?|everyone|all|most|across|agree\w*|disagree\w*|reject\w*|"
    r"hold\w*|support\w*)\b",
    re.IGNORECASE,
)
REJECTION = re.compile(
    r"\b(?:reject\w*|disagree\w*|oppos\w*|against|doubt\w*|dismiss\w*|not|no|never|den(?:y|ies)|"
    r"rejett\w*|désaccord|contre|refus\w*|lehn\w*|ablehn\w*|gegen|nicht|kein\w*|rechaz\w*|desacuerdo|"
    r"contra)\b|n't|反对|不",
    re.IGNORECASE,
)
LEADS: dict[str, tuple[str, str, str]] = {
    "en": (
        "Group {g} agreed, more than the others",
        "Group {g} disagreed, more than the others",
        "All groups agreed",
    ),
    "fr": (
        "Le groupe {g} était d'accord, plus que les autres",
        "Le groupe {g} était en désaccord, plus que les autres",
        "Tous les groupes étaient d'accord",
    ),
    "de": (
        "Gruppe {g} stimmte zu, mehr als die anderen",
        "Gruppe {g} lehnte ab, mehr als die anderen",
        "Alle Gruppen stimmten zu",
    ),
    "es": (
        "El grupo {g} estuvo de acuerdo, más que los demás",
        "El grupo {g} estuvo en desacuerdo, más que los demás",
        "Todos los grupos estuvieron de acuerdo",
    ),
    "zh": ("第{g}组比其他组更赞同", "第{g}组比其他组更反对", "所有组都赞同"),
}


QUOTES: dict[str, tuple[str, str, str]] = {
    "en": ("“", "”", "."),
    "fr": ("« ", " »", "."),
    "de": ("„", "“", "."),
    "es": ("«", "»", "."),
    "zh": ("“", "”", "。"),
}
"""Quotation marks and full stop of each language the fallback writes in (its quotes are whole comments)."""
SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？")


class Said(BaseModel):
    text: str
    cites: list[int] = Field(description="Ids of the listed comments the statement rests on.")


class VoiceOutput(BaseModel):
    statements: list[Said]


@dataclass(frozen=True)
class VoiceRequest:
    """A voice of the plan, in a conversation, written in `lang` (`language` its English name)."""

    export: PolisExport
    opinions: OpinionMap
    voice: Voice
    lang: str
    language: str

    def text(self, comment_id: int) -> str:
        return self.export.comment(comment_id).text

    @property
    def votes(self) -> dict[int, Representative]:
        """How the voice's group voted on each of its comments (empty for the consensus)."""
        group = next((g for g in self.opinions.groups if g.id == self.voice.group), None)
        return {r.comment: r for r in group.representative} if group else {}

    @property
    def heading(self) -> str:
        if self.voice.group is None:
            return "Comments every group agreed with"
        size = next(len(g.members) for g in self.opinions.groups if g.id == self.voice.group)
        return f"Group {self.voice.group} ({size} participants)"

    def line(self, comment: int) -> str:
        text = clip(self.text(comment), COMMENT_CHARS)
        item = self.votes.get(comment)
        if item is None:
            return f"[{comment}] agreed by all: {text}"
        shares = f"{item.group_share:.0%} vs {item.rest_share:.0%} of others"
        return f"[{comment}] {item.direction}d ({shares}): {text}"


class VoiceTask(Task[VoiceRequest, VoiceOutput]):
    """The statements of one group, or of the consensus, in the summary's language."""

    name = "deliberation-voice"
    schema = VoiceOutput
    template_path = Path(__file__).with_name("voice.toml")

    def prompt(self, request: VoiceRequest) -> Prompt:
        """The voice's prompt, with room for the statements asked for (`TOKENS_PER_STATEMENT` each)."""
        prompt = self.template.render(
            topic=request.export.topic or "(not given)",
            heading=request.heading,
            count=str(request.voice.statements),
            language=request.language,
            comments="\n".join(request.line(c) for c in request.voice.comments),
        )
        return replace(prompt, max_tokens=TOKENS + TOKENS_PER_STATEMENT * request.voice.statements)

    def text(self, output: VoiceOutput) -> str:
        return "\n".join(f"- {s.text} [{', '.join(map(str, s.cites))}]" for s in output.statements)

    def verify(self, request: VoiceRequest, output: VoiceOutput) -> list[Check]:
        shown = set(request.voice.comments)
        said = output.statements
        cited = {c for s in said for c in s.cites}
        stray = sorted(cited - shown)
        evidence = [" ".join(request.text(c) for c in s.cites if c in shown) for s in said]
        scores = support_scores([plain(s.text) for s in said], evidence)
        weak = [s.text[:40] for s, score in zip(said, scores, strict=True) if score < SUPPORTED]
        rejected = {c for c, r in request.votes.items() if r.direction == "disagree"}
        flipped = [
            s.text[:40]
            for s, proof in zip(said, evidence, strict=True)
            if s.cites and set(s.cites) <= rejected and not voices_rejection(s.text, proof)
        ]
        wanted = request.voice.statements
        return [
            check(
                "cites_shown",
                1.0 if said and not stray else 0.0,
                threshold=1.0,
                detail="not among the voice's comments: " + ", ".join(map(str, stray)),
            ),
            check(
                "covers",
                len(cited & shown) / len(shown) if shown else 1.0,
                threshold=COVERS,
                detail="left out: " + ", ".join(map(str, sorted(shown - cited))),
            ),
            check(
                "count",
                min(len(said), wanted) / wanted if wanted else 1.0,
                threshold=(wanted - 1) / wanted,
                detail=f"{len(said)} statements of {wanted} asked for",
            ),
            check(
                "supported",
                sum(s >= SUPPORTED for s in scores) / len(scores) if scores else 0.0,
                threshold=1.0,
                detail="weak: " + " | ".join(weak),
            ),
            check(
                "direction",
                1 - len(flipped) / len(said) if said else 0.0,
                threshold=1.0,
                detail="cites only comments its group rejected, without saying so: " + " | ".join(flipped),
            ),
            checks.grounded(
                " ".join(s.text for s in said),
                source="\n".join([request.heading, *LEADS.get(request.lang, LEADS["en"]), *evidence]),
                lang=request.lang,
            ),
            checks.in_language(" ".join(s.text for s in said), request.lang),
        ]

    def fallback(self, request: VoiceRequest) -> VoiceOutput:
        """The voice's comments quoted, shared out among its statements: each lead once, then its quotes."""
        leads = LEADS.get(request.lang, LEADS["en"])
        opening, closing, stop = QUOTES.get(request.lang, QUOTES["en"])
        votes = request.votes

        def lead(comment: int) -> int:
            """Which of the language's leads introduces the comment: agreed, disagreed, or all agreed."""
            item = votes.get(comment)
            return 2 if item is None else (0 if item.direction == "agree" else 1)

        def sentence(slot: list[int]) -> str:
            parts = []
            for which, group in itertools.groupby(slot, key=lead):
                texts = [clip(request.text(c), COMMENT_CHARS) for c in group]
                quotes = ", ".join(f"{opening}{text}{closing}" for text in texts)
                end = "" if texts[-1].endswith(SENTENCE_ENDS) else stop  # “… business.” needs no second stop
                parts.append(f"{leads[which].format(g=request.voice.group)}: {quotes}{end}")
            return " ".join(parts)

        slots = [sorted(part.comments, key=lead) for part in request.voice.parts()]
        return VoiceOutput(statements=[Said(text=sentence(slot), cites=slot) for slot in slots])


def plain(text: str) -> str:
    """A statement without its reporting and framing words ("says", "group 1 agrees")."""
    return FRAMING.sub(" ", REPORTING.sub(" ", text))


def voices_rejection(text: str, evidence: str) -> bool:
    """Whether `text` says something is rejected in its own words (not only by quoting the evidence)."""
    quoted = set(checks.words(evidence.replace("’", "'")))
    own = [w for w in checks.words(text.replace("’", "'")) if w not in quoted]
    return bool(REJECTION.search(" ".join(own)))
