"""Autonomous intervention: the draft generator, verified more strictly, labelled as AI, given its trigger."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, check
from commonground.tasks.draft.task import Draft, DraftRequest, DraftTask, own_words

Reason = Literal["inactivity", "heated", "cadence", "request"]
REASONS: dict[str, str] = {
    "inactivity": "the conversation has been quiet for a while; invite both parties back",
    "heated": "the exchange has become heated; help both parties calm down and refocus on the issue",
    "cadence": "a regular check-in; say where things stand and suggest a next step",
    "request": "a party asked the mediator for help",
}
OPENERS: dict[str, str] = {
    "inactivity": "{names}, it has been quiet here for a while, and I would like to help you continue.",
    "heated": "{names}, this exchange has become tense; let us take a breath and return to the issue.",
    "cadence": "{names}, let us take stock of where things stand.",
    "request": "{names}, you asked for help, and I am here to support you both.",
}
LABEL = "[AI mediator]"
MAX_WORDS = 90


@dataclass(frozen=True)
class InterventionRequest(DraftRequest):
    reason: Reason = "request"


class InterveneTask(DraftTask):
    """Posted without a human in the loop, so the swap test always runs and two more checks apply."""

    name = "intervene"
    template_path = Path(__file__).with_name("prompt.toml")
    quote_chars = 80  # posted to everyone: brief

    def __init__(
        self, *, candidates: int = 2, max_tokens: int | None = None, attribution: bool = False
    ) -> None:
        super().__init__(
            candidates=candidates, max_tokens=max_tokens, swap_test=True, attribution=attribution
        )

    def prompt(self, request: InterventionRequest) -> Prompt:  # type: ignore[override]
        context = request.context
        return self.template.render(
            digest=context.digest.render(), transcript=context.transcript, reason=REASONS[request.reason]
        )

    def text(self, output: Draft) -> str:
        return f"{LABEL} {super().text(output)}"

    def verify(self, request: InterventionRequest, output: Draft) -> list[Check]:  # type: ignore[override]
        body = super().text(output)
        own = own_words(output)
        named = [p for p in request.context.parties if p in body]
        addressed = 1.0 if "both" in body.lower() else len(named) / max(len(request.context.parties), 1)
        length = len(checks.words(body))
        return [
            *super().verify(request, output),
            check("addresses_all", addressed, threshold=1.0, detail=f"named: {', '.join(named)}"),
            check("brief", min(1.0, MAX_WORDS / max(length, 1)), threshold=1.0, detail=f"{length} words"),
            check("calm", 0.0 if "!" in own else 1.0, threshold=1.0, detail="no exclamation marks"),
        ]

    def acknowledgement(self, request: InterventionRequest) -> str:  # type: ignore[override]
        """The opener for the intervention's reason."""
        names = " and ".join(request.context.parties[:2]) or "Everyone"
        return OPENERS[request.reason].format(names=names)
