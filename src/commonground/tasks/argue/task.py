"""Arguments: the strongest argument for each side of a contested point, balanced in length and tone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from commonground.core.conversation import Conversation
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, check
from commonground.tasks.context import Context, build_context, clip

HEAT = re.compile(
    r"!|\b(?:liar|lying|scam\w*|thief|junk|ridiculous|unbelievable|joke|stupid|idiot|harass\w*|spying)\b",
    re.I,
)
ARGUMENT_CHARS = 240


class Argument(BaseModel):
    party: str
    argument: str
    cites: list[str] = Field(description="Ids of the messages the argument rests on.")


class Arguments(BaseModel):
    point: str = Field(description="The contested point, in one neutral sentence.")
    arguments: list[Argument]


@dataclass(frozen=True)
class ArgueRequest:
    conversation: Conversation
    point: str | None = None
    last: int = 20

    @property
    def context(self) -> Context:
        return build_context(self.conversation, last=self.last)


class ArgueTask(Task[ArgueRequest, Arguments]):
    """One argument per party, checked for coverage, grounding, balance of length and of tone."""

    name = "argue"
    schema = Arguments
    template_path = Path(__file__).with_name("prompt.toml")

    def prompt(self, request: ArgueRequest) -> Prompt:
        context = request.context
        return self.template.render(
            digest=context.digest.render(), transcript=context.transcript, point=request.point or "not given"
        )

    def text(self, output: Arguments) -> str:
        return "\n".join([output.point, *(f"- {a.party}: {a.argument}" for a in output.arguments)])

    def verify(self, request: ArgueRequest, output: Arguments) -> list[Check]:
        context = request.context
        sides = {a.party: a for a in output.arguments}
        covered = [p for p in context.parties if p in sides]
        texts = [sides[p].argument for p in covered]
        lengths = [len(checks.words(t)) for t in texts]
        heat = [len(HEAT.findall(t)) for t in texts]
        ids = {m.id for m in request.conversation.messages}
        cites = [c for a in output.arguments for c in a.cites]
        source = context.source_text + "\n" + (request.point or "")
        return [
            check(
                "parties_covered",
                len(covered) / len(context.parties) if context.parties else 0.0,
                threshold=1.0,
                detail=", ".join(covered),
            ),
            check(
                "balanced_length",
                min(lengths) / max(lengths) if lengths and max(lengths) else 0.0,
                threshold=0.6,
                detail=f"words: {lengths}",
            ),
            check(
                "balanced_tone", 1 / (1 + max(heat, default=0)), threshold=1.0, detail=f"heated words: {heat}"
            ),
            check("cites_exist", sum(c in ids for c in cites) / len(cites) if cites else 0.0, threshold=1.0),
            checks.grounded(self.text(output), source=source),
        ]

    def fallback(self, request: ArgueRequest) -> Arguments:
        """Each party's most substantive calm sentence, cut to the same length as the other side's."""
        context = request.context
        picks = []
        for party in context.parties:
            own = [
                (len(checks.content_stems(s)), s, m.id)
                for m in context.recent
                if m.speaker == party
                for s in checks.sentences(m.text)
                if not HEAT.search(s)
            ]
            if own:
                _, sentence, message_id = max(own)
                picks.append((party, sentence, message_id))
        limit = min((len(s) for _, s, _ in picks), default=ARGUMENT_CHARS)
        limit = max(min(limit, ARGUMENT_CHARS), 60)
        return Arguments(
            point=request.point or "The parties disagree about what should happen next.",
            arguments=[
                Argument(party=p, argument=f"{p} says: {clip(s, limit)}", cites=[i]) for p, s, i in picks
            ],
        )
