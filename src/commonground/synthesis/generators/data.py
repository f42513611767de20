"""The data-only generator: conversations assembled from real labelled utterances, no model, fast.

Turn 1 and 2 use the scenario's written openings (a dispute case's claim and reply, a deliberation
question's affirming and negating statement). Civil turns draw a real civil message of the persona's tone
and length (deliberations: a statement on the same topic, unless the turn is tense); uncivil turns draw a
real uncivil message of the planned escalation type; the mediator's turn is the intervene task's own
model-free message. Each label is the data set's human label, so ground truth holds by construction.
The same seed gives byte-identical output.
"""

from __future__ import annotations

import random
from typing import ClassVar

from commonground.core.conversation import Conversation
from commonground.core.errors import InputError
from commonground.synthesis.generators.base import (
    TEMPLATE_LANGUAGE,
    Builder,
    Generator,
    template_intervention,
)
from commonground.synthesis.plan import ConversationPlan, Planner
from commonground.synthesis.trajectories import Turn
from commonground.synthesis.utterances import DATA_LANGUAGES, Pools, Utterance, load_pools
from commonground.tasks.intervene.task import InterveneTask

TONES = ("polite", "plain", "tense")


class DataGenerator(Generator):
    name = "data"
    languages: ClassVar[tuple[str, ...]] = DATA_LANGUAGES
    needs_openings = True

    def __init__(self, *, split: str = "train") -> None:
        self.split = split
        self._pools: Pools | None = None
        self._mediator = InterveneTask()

    def prepare(self, planner: Planner) -> None:
        pools = load_pools(planner.spec.data_dir, self.split)
        derailing = any(weight > 0 for kind, weight in planner.spec.mix.items() if kind != "civil")
        kinds = (*TONES, *(planner.spec.escalations if derailing else ()))
        for lang in planner.spec.languages:
            for kind in kinds:
                if not pools.count(lang, kind):
                    raise InputError(
                        f"no {kind} messages in the {lang} {self.split} data (--escalations, --languages)"
                    )
        self._pools = pools

    def realise(self, plan: ConversationPlan) -> Conversation:
        if self._pools is None:
            raise RuntimeError("prepare() the generator first")
        rng = random.Random(f"{plan.id}:text")
        builder = Builder(plan, generator=self.name)
        builder.conversation.meta["split"] = self.split
        used: set[str] = set()
        for turn in plan.trajectory.turns:
            if turn.speaker is None:
                text = template_intervention(self._mediator, builder.conversation)
                builder.add(turn, text, source="intervene-template", lang=TEMPLATE_LANGUAGE)
                continue
            verbosity = plan.personas[turn.speaker].profile.verbosity
            utterance = self._utterance(self._pools, plan, turn, verbosity=verbosity, rng=rng, used=used)
            used.add(utterance.text)
            builder.add(turn, utterance.text, source=utterance.source)
        return builder.conversation

    @staticmethod
    def _utterance(
        pools: Pools,
        plan: ConversationPlan,
        turn: Turn,
        *,
        verbosity: str,
        rng: random.Random,
        used: set[str],
    ) -> Utterance:
        scenario = plan.scenario
        if turn.stage == "opening":
            source = "habermas" if scenario.kind == "deliberation" else "scenario"
            return Utterance(scenario.openings[plan.lang][turn.number - 1], source)
        if turn.label == "civil" and turn.tone != "tense" and scenario.kind == "deliberation":
            statement = pools.statement(rng, scenario.topic, avoid=used)
            if statement is not None:
                return statement
        kind = turn.escalation if turn.label == "uncivil" else turn.tone
        return pools.pick(rng, lang=plan.lang, kind=str(kind), verbosity=verbosity, avoid=used)
