"""Draft for the human mediator: acknowledge, establish facts, ask, propose; never a party, never a side.

The facts are each party's own words, quoted by the code (`quotes`): the model writes the acknowledgement,
the question and the option, and never retells who said what. Never a verdict either: no claim declared
verified, confirmed or true (`checks.no_verdict`). With `attribution=True`, what the model wrote is also
judged against the parties' messages (`tasks.attribution`, in `review`); the judge is off by default: with
the embedded 1.5B model it rejected 16 of 22 faithful drafts in bench/eval_attribution.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, Field

from commonground.core.conversation import Conversation
from commonground.llm.base import Model
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.attribution import check_attribution
from commonground.tasks.base import Check, Review, Task, check
from commonground.tasks.context import Context, build_context
from commonground.tasks.counterfactual import Swap, compare
from commonground.tasks.draft import claims
from commonground.tasks.draft.quotes import QUOTE_CHARS, quoted_positions


class DraftReply(BaseModel):
    """What the model writes of a draft: everything but the facts, one sentence each."""

    acknowledge: str = Field(description="Acknowledge both parties' feelings or concerns.")
    question: str = Field(description="A question that helps establish facts or interests.")
    option: str = Field(description="An option the parties could consider.")


class Draft(DraftReply):
    """A mediator message: the model's reply and the facts, which quote the parties."""

    facts: str = Field(description="The parties' positions in their own words, quoted.")
    replaced: dict[str, str] = Field(
        default_factory=dict,
        description="Parts of the model's reply that told what a party did or said or took one party's "
        "figure, each with the reason; the template's sentence stands in their place.",
    )


def own_words(output: Draft | DraftReply) -> str:
    """What the mediator says in its own voice: the draft without the parties' quoted words."""
    parts = (output.acknowledge, output.question, output.option)
    return " ".join(part.strip() for part in parts if part.strip())


@dataclass(frozen=True)
class DraftRequest:
    conversation: Conversation
    instruction: str | None = None
    last: int = 10

    @property
    def context(self) -> Context:
        return build_context(self.conversation, last=self.last)


class DraftTask(Task[DraftRequest, Draft]):
    """Mediator drafts, verified for role, grounding, neutrality (with a swap test) and the instruction."""

    name = "draft"
    schema = Draft
    reply_schema = DraftReply
    quote_chars = QUOTE_CHARS
    template_path = Path(__file__).with_name("prompt.toml")

    def __init__(
        self,
        *,
        candidates: int = 2,
        max_tokens: int | None = None,
        swap_test: bool = True,
        attribution: bool = False,
    ) -> None:
        super().__init__(candidates=candidates, max_tokens=max_tokens)
        self.swap_test = swap_test
        self.attribution = attribution

    def prompt(self, request: DraftRequest) -> Prompt:
        context = request.context
        return self.template.render(
            digest=context.digest.render(),
            transcript=context.transcript,
            instruction=request.instruction or "none",
        )

    def text(self, output: Draft) -> str:
        parts = (output.acknowledge, output.facts, output.question, output.option)
        return " ".join(part.strip() for part in parts if part.strip())

    def complete(self, request: DraftRequest, reply: DraftReply) -> Draft:  # type: ignore[override]
        """The model's parts around the parties' quoted positions; an acknowledgement or question that
        recounts what a party did or said, or an option that takes one party's figure (`claims`), is
        replaced by the template's."""
        context = request.context
        facts = quoted_positions(context.recent, context.parties, limit=self.quote_chars)
        said = claims.one_sided(context.recent, context.parties, title=request.conversation.title)
        reasons = {
            "acknowledge": claims.recounted(reply.acknowledge, said),
            "question": claims.recounted(reply.question, said, question=True),
            "option": claims.takes_a_figure(reply.option, said),
        }
        templates = {"acknowledge": self.acknowledgement, "question": self.question, "option": self.option}
        parts = reply.model_dump() | {part: templates[part](request) for part, why in reasons.items() if why}
        return Draft(facts=facts, replaced={part: why for part, why in reasons.items() if why}, **parts)

    def verify(self, request: DraftRequest, output: Draft) -> list[Check]:
        """The mediator's own words are checked for role, neutrality, verdicts and fluency; the quotes are
        the parties' words, shown as such."""
        context = request.context
        text, own = self.text(output), own_words(output)
        source = context.source_text + "\n" + (request.instruction or "")
        parts = [output.acknowledge, output.question, output.option]
        complete = (sum(bool(p.strip()) for p in parts) + ("?" in output.question)) / 4
        return [
            check("complete", complete, threshold=1.0, detail="three parts, the question with '?'"),
            checks.in_role(own, parties=context.parties, party_texts=[m.text for m in context.recent]),
            checks.grounded(text, source=source),
            checks.neutral(own, context.parties),
            checks.instruction_followed(text, request.instruction, has_options=bool(output.option.strip())),
            checks.no_leak(text, secret=checks.instructions(self.template.system)),
            checks.no_verdict(own, parties=context.parties),
            checks.fluent_parts(parts),
        ]

    def review(self, model: Model, request: DraftRequest, output: Draft) -> Review[Draft]:
        """Attribution, when asked for: every claim the draft gives a party is in that party's messages.
        Then the swap test: exchange the parties' names, regenerate, compare the stance toward each role."""
        parties = request.context.parties
        judged: list[Check] = []
        calls = []
        if self.attribution:
            attributed, calls = check_attribution(model, own_words(output), request.context.recent)
            judged.append(attributed)
            if not attributed.passed:
                return Review(output, judged, calls)
        if not self.swap_test or len(parties) < 2:
            return Review(output, judged, calls)
        first, second = parties[:2]
        swap = Swap.names(first, second)
        swapped = replace(request, conversation=swap.conversation(request.conversation))
        structured = model.structured(self.prompt(swapped), DraftReply)
        outcome = compare("names", own_words(output), swap.text(own_words(structured.value)), (first, second))
        calls += [completion.record for completion in structured.completions]
        swapped_check = check("swap_test", outcome.score, threshold=0.5, detail=outcome.detail)
        return Review(output, [*judged, swapped_check], calls)

    def acknowledgement(self, request: DraftRequest) -> str:
        """The template's acknowledgement, from the parties' names."""
        names = " and ".join(request.context.parties[:2]) or "everyone"
        return f"Thank you, {names}, for explaining your views; this matters to each of you."

    def question(self, request: DraftRequest) -> str:
        """The template's open question, about the instruction's topic when it asks for one."""
        topic, asks = _instructed(request.instruction)
        if topic and asks:
            return f"Could each of you tell me more about {topic}?"
        return "What outcome would each of you find fair, and what would help you get there?"

    def option(self, request: DraftRequest) -> str:
        """The template's option: the instruction's topic when it proposes one."""
        topic, asks = _instructed(request.instruction)
        if topic and not asks:
            return f"One option to consider together: {topic}."
        return "One option is to share any documents you have, then look for a solution you both accept."

    def fallback(self, request: DraftRequest) -> Draft:
        """A template message from the parties' names, their quoted positions (else the figures they
        mentioned) and the instruction."""
        context = request.context
        facts = quoted_positions(context.recent, context.parties, limit=self.quote_chars)
        figures = ", ".join(dict.fromkeys(f for m in context.recent for f in checks.NUMBER.findall(m.text)))
        if not facts:
            facts = (
                f"So far the messages mention {figures}; you see what happened differently."
                if figures
                else "You see what happened differently, and each of you has explained why."
            )
        return Draft(
            acknowledge=self.acknowledgement(request),
            facts=facts,
            question=self.question(request),
            option=self.option(request),
        )


def _instructed(instruction: str | None) -> tuple[str, bool]:
    """The instruction's topic, and whether it asks for a question (else it proposes)."""
    return _topic(instruction), bool(re.match(r"\s*ask\b", instruction or "", re.IGNORECASE))


def _topic(instruction: str | None) -> str:
    """The instruction without its leading verb: 'ask about the packaging' -> 'the packaging'."""
    if not instruction:
        return ""
    return re.sub(
        r"^\s*(?:ask|propose|suggest|mention|raise|discuss)\s+(?:about\s+)?", "", instruction
    ).strip(" .")
