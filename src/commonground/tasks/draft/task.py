"""Draft for the human mediator: acknowledge, establish facts, ask, propose; never a party, never a side.

Never a verdict either: no claim declared verified, confirmed or true (`checks.no_verdict`), and every
claim given to a party can be judged against that party's own messages (`tasks.attribution`, in `review`,
with `attribution=True`). The judge is off by default: with the embedded 1.5B model it rejected 16 of 22
faithful drafts in bench/eval_attribution.py, which would leave mediators with the template draft."""

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


class Draft(BaseModel):
    """A mediator message in four parts, one sentence each."""

    acknowledge: str = Field(description="Acknowledge both parties' feelings or concerns.")
    facts: str = Field(description="Restate the facts as the parties gave them, neutrally.")
    question: str = Field(description="A question that helps establish facts or interests.")
    option: str = Field(description="An option the parties could consider.")


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

    def verify(self, request: DraftRequest, output: Draft) -> list[Check]:
        context = request.context
        text = self.text(output)
        source = context.source_text + "\n" + (request.instruction or "")
        parts = (output.acknowledge, output.facts, output.question, output.option)
        complete = (sum(bool(p.strip()) for p in parts) + ("?" in output.question)) / 5
        return [
            check("complete", complete, threshold=1.0, detail="four parts, the question with '?'"),
            checks.in_role(text, parties=context.parties, party_texts=[m.text for m in context.recent]),
            checks.grounded(text, source=source),
            checks.neutral(text, context.parties),
            checks.instruction_followed(text, request.instruction, has_options=bool(output.option.strip())),
            checks.no_leak(text, secret=checks.instructions(self.template.system)),
            checks.no_verdict(text, parties=context.parties),
            checks.fluent_parts(list(parts)),
        ]

    def review(self, model: Model, request: DraftRequest, output: Draft) -> Review[Draft]:
        """Attribution, when asked for: every claim the draft gives a party is in that party's messages.
        Then the swap test: exchange the parties' names, regenerate, compare the stance toward each role."""
        parties = request.context.parties
        judged: list[Check] = []
        calls = []
        if self.attribution:
            attributed, calls = check_attribution(model, self.text(output), request.context.recent)
            judged.append(attributed)
            if not attributed.passed:
                return Review(output, judged, calls)
        if not self.swap_test or len(parties) < 2:
            return Review(output, judged, calls)
        first, second = parties[:2]
        swap = Swap.names(first, second)
        swapped = replace(request, conversation=swap.conversation(request.conversation))
        structured = model.structured(self.prompt(swapped), Draft)
        outcome = compare("names", self.text(output), swap.text(self.text(structured.value)), (first, second))
        calls += [completion.record for completion in structured.completions]
        swapped_check = check("swap_test", outcome.score, threshold=0.5, detail=outcome.detail)
        return Review(output, [*judged, swapped_check], calls)

    def fallback(self, request: DraftRequest) -> Draft:
        """A template message from the parties' names, the figures they mentioned and the instruction."""
        context = request.context
        names = " and ".join(context.parties[:2]) or "everyone"
        figures = ", ".join(dict.fromkeys(f for m in context.recent for f in checks.NUMBER.findall(m.text)))
        facts = "You see what happened differently, and each of you has explained why."
        if figures:
            facts = f"So far the messages mention {figures}; you see what happened differently."
        question = "What outcome would each of you find fair, and what would help you get there?"
        option = "One option is to share any documents you have, then look for a solution you both accept."
        topic = _topic(request.instruction)
        if topic and re.match(r"\s*ask\b", request.instruction or "", re.IGNORECASE):
            question = f"Could each of you tell me more about {topic}?"
        elif topic:
            option = f"One option to consider together: {topic}."
        return Draft(
            acknowledge=f"Thank you, {names}, for explaining your views; this matters to each of you.",
            facts=facts,
            question=question,
            option=option,
        )


def _topic(instruction: str | None) -> str:
    """The instruction without its leading verb: 'ask about the packaging' -> 'the packaging'."""
    if not instruction:
        return ""
    return re.sub(
        r"^\s*(?:ask|propose|suggest|mention|raise|discuss)\s+(?:about\s+)?", "", instruction
    ).strip(" .")
