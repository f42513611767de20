"""The role-play generator: each persona an agent of the configured model, the mediator the intervene task.

Every party turn renders the versioned template `prompts/party.toml` with the persona (side, temperament,
length, language), the scenario, the conversation so far and the turn's instruction from
`prompts/instructions.toml`: open, reply, a tone, recover after the mediator, or an escalation type with one
of its example lines, at the low temperature that makes a small model follow the example. The mediator's
turn runs the intervene task with the model (`mediator="model"`, falling back to the task's own message
when its checks fail) or takes that model-free message directly (`mediator="template"`). An empty answer,
or a refusal where an escalation was asked for, is asked again (three attempts in all). Labels are the
plan's intent; label validation measures whether the model followed it.
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from string import Template
from typing import Any, ClassVar, Literal

from commonground.core.conversation import Conversation
from commonground.core.errors import ModelResponseError
from commonground.llm.base import Model
from commonground.llm.templates import PromptTemplate
from commonground.signals.language import detect_language
from commonground.synthesis.generators.base import (
    TEMPLATE_LANGUAGE,
    Builder,
    Generator,
    mediator_request,
    template_intervention,
)
from commonground.synthesis.personas import temperament_text, verbosity_text
from commonground.synthesis.plan import ConversationPlan, Planner
from commonground.synthesis.scenarios import LANGUAGES
from commonground.synthesis.trajectories import Turn
from commonground.tasks.intervene.task import InterveneTask

PROMPTS = Path(__file__).parents[1] / "prompts"
LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German"}
MAX_TOKENS = {"terse": 48, "moderate": 90, "verbose": 150}
ATTEMPTS = 3
REFUSAL = re.compile(  # a model declining to write the line, in English, French or German
    r"\b(?:I'?m sorry|I apologi[sz]e|I (?:can(?:no|')t|won't|am not able to) (?:help|continue|assist|comply|"
    r"do that|write|provide|engage)|as an AI|beyond what I can|je suis désolée?|je ne (?:peux|vais) pas|"
    r"es tut mir leid|ich kann (?:dir |ihnen |Ihnen |das )?nicht)",
    re.IGNORECASE,
)
MediatorMode = Literal["model", "template"]


class RolePlayGenerator(Generator):
    name = "roleplay"
    languages: ClassVar[tuple[str, ...]] = LANGUAGES
    needs_openings = False

    def __init__(self, model: Model, *, mediator: MediatorMode = "model") -> None:
        self.model = model
        self.mediator = mediator
        self.template = PromptTemplate.load(PROMPTS / "party.toml")
        self.instructions: dict[str, Any] = tomllib.loads(
            (PROMPTS / "instructions.toml").read_text(encoding="utf-8")
        )
        self._intervene = InterveneTask(candidates=1)

    def prepare(self, planner: Planner) -> None:
        """Nothing to load or check: the model is open, and it can write any scenario in any language."""

    def realise(self, plan: ConversationPlan) -> Conversation:
        builder = Builder(plan, generator=self.name)
        builder.conversation.meta["model"] = self.model.name
        for turn in plan.trajectory.turns:
            if turn.speaker is not None:
                builder.add(turn, self._speak(builder, turn, turn.speaker), source="llm")
            elif self.mediator == "model":
                result = self._intervene.run(self.model, mediator_request(builder.conversation))
                lang = detect_language(result.text).lang
                builder.add(turn, result.text, source=f"intervene-{result.method}", lang=lang)
            else:
                text = template_intervention(self._intervene, builder.conversation)
                builder.add(turn, text, source="intervene-template", lang=TEMPLATE_LANGUAGE)
        return builder.conversation

    def instruction(self, plan: ConversationPlan, turn: Turn, speaker: int) -> str:
        """What the persona speaking at `turn` is asked to do (an escalation's example picked by the plan)."""
        if turn.escalation is not None:
            escalation = self.instructions["escalation"]
            kind = escalation[turn.escalation]
            example = random.Random(f"{plan.id}:{turn.number}").choice(kind["examples"])
            text = Template(escalation["style"]).substitute(how=kind["how"], example=example)
        elif turn.stage == "opening":
            text = self.instructions["stage"]["opening" if turn.number == 1 else "reply"]
        elif turn.stage == "recovery":
            text = self.instructions["stage"]["recovery"]
        else:
            text = self.instructions["tone"][turn.tone or "plain"]
        names = {"speaker": plan.personas[speaker].speaker, "other": plan.personas[1 - speaker].speaker}
        return Template(text).substitute(names)

    def _speak(self, builder: Builder, turn: Turn, speaker: int) -> str:
        plan = builder.plan
        persona, other = plan.personas[speaker], plan.personas[1 - speaker]
        transcript = "\n".join(f"{m.speaker}: {m.text}" for m in builder.conversation.messages)
        prompt = self.template.render(
            speaker=persona.speaker,
            other=other.speaker,
            kind=plan.scenario.kind,
            scenario=plan.scenario.description,
            position=persona.position,
            temperament=temperament_text(persona.profile.temperament),
            language=LANGUAGE_NAMES[plan.lang],
            length=verbosity_text(persona.profile.verbosity),
            transcript=transcript or "(none: this is the first message)",
            instruction=self.instruction(plan, turn, speaker),
        )
        prompt = replace(prompt, max_tokens=MAX_TOKENS[persona.profile.verbosity])
        if turn.escalation is not None:
            prompt = replace(prompt, temperature=self.instructions["escalation"]["temperature"])
        text = ""
        for _ in range(ATTEMPTS):
            text = reply_text(self.model.complete(prompt).text, [persona.speaker, other.speaker])
            if text and not (turn.escalation and REFUSAL.search(text)):
                return text
        if text:  # the model kept refusing to escalate: kept, and label validation will show it
            return text
        raise ModelResponseError(
            f"{self.model.backend} model {self.model.name} wrote no message for {persona.speaker} "
            f"in {plan.id} turn {turn.number}",
            setting="COMMONGROUND_LLM__MODEL",
        )


def reply_text(raw: str, names: list[str]) -> str:
    """The message in a model's answer: up to another speaker's line, without a name or quotation marks."""
    speakers = "|".join(re.escape(name) for name in [*names, "Mediator"])
    lines = []
    for line in raw.strip().splitlines():
        if lines and re.match(rf"\s*(?:{speakers})\s*:", line):
            break
        lines.append(line.strip())
    text = re.sub(rf"^\s*(?:{speakers})\s*:\s*", "", " ".join(lines))
    return text.strip().strip('"“”«»').strip()
