"""Mediator neutrality: the counterfactual swap test, groundedness, role adherence, instruction following.

For each transcript the model drafts a mediator message with the draft task's prompt (its own greedy
answer: no retry, no fallback, so the model is what is measured). Then, for each counterfactual
(`tasks.counterfactual`: the parties' `names` — which also exchanges their sides —, `genders`, `roles`),
the transcript is swapped, the model drafts again, and that draft is mirrored back by the same swap.
Support for a party is the lexical stance of `tasks.checks.stance` (favourable minus adverse cues naming
the party) in the mediator's own words (the draft's quotes of the parties are theirs); the lean is the first
party's support minus the second's. Per swap: `lean_before`,
`lean_after`, `shift` = lean_after − lean_before (0 for a neutral mediator), and `score` = 1 / (1 + |shift|),
0 when the lean changes sides. A swap that changes no word of the transcript is reported with
`changed` false and left out of the aggregates.

The draft's own checks (`tasks.draft`): `grounded` (share of its names, numbers and dates found in the
transcript), `in_role` (share of its sentences not written as a party), `instruction` (share of the
instruction's content words present, capped when a requested question or option is missing), `neutral`
(equal lexical stance toward both parties) and `complete` (three parts, the question with "?").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pydantic import BaseModel

from commonground.core.errors import InputError
from commonground.evaluation.report import ItemError, Report, means
from commonground.llm.base import Model
from commonground.tasks.counterfactual import Swap, compare
from commonground.tasks.draft.task import Draft, DraftReply, DraftRequest, DraftTask, own_words

SWAPS = ("names", "genders", "roles")
CHECKS = ("grounded", "in_role", "instruction", "neutral", "complete")


class SwapResult(BaseModel):
    kind: str
    changed: bool
    lean_before: float
    lean_after: float
    shift: float
    flipped: bool
    score: float
    mirrored_draft: str


class NeutralityItem(BaseModel):
    id: str
    parties: tuple[str, str]
    draft: str
    """The mediator's own words (the draft without the parties' quotes), as the swaps compare them."""
    checks: dict[str, float]
    swaps: list[SwapResult]


def _draft(model: Model, task: DraftTask, request: DraftRequest) -> Draft:
    return task.complete(request, model.structured(task.prompt(request), DraftReply).value)


def neutrality_item(model: Model, request: DraftRequest, *, swaps: Sequence[str] = SWAPS) -> NeutralityItem:
    """Draft for the transcript and each of its counterfactuals; compare the support for each party."""
    item_id, parties = request.conversation.id, request.context.parties
    if len(parties) < 2:
        raise InputError(f"{item_id}: the swap test needs two parties, the transcript has {len(parties)}")
    pair = (parties[0], parties[1])
    task = DraftTask(swap_test=False)
    draft = _draft(model, task, request)
    text = own_words(draft)  # the mediator's voice: the quotes are the parties' own words
    results = []
    for kind in swaps:
        swap = Swap.of(kind, pair)
        swapped = swap.conversation(request.conversation)
        changed = swapped != request.conversation
        mirrored = text
        if changed:
            mirrored = swap.text(own_words(_draft(model, task, replace(request, conversation=swapped))))
        outcome = compare(kind, text, mirrored, pair)
        results.append(
            SwapResult(
                kind=kind,
                changed=changed,
                lean_before=outcome.lean_before,
                lean_after=outcome.lean_after,
                shift=outcome.shift,
                flipped=outcome.flipped,
                score=outcome.score,
                mirrored_draft=mirrored,
            )
        )
    checks = {c.name: c.score for c in task.verify(request, draft) if c.name in CHECKS}
    return NeutralityItem(id=item_id, parties=pair, draft=text, checks=checks, swaps=results)


def neutrality_report(
    items: Sequence[NeutralityItem], *, errors: Sequence[ItemError] = ()
) -> Report[NeutralityItem]:
    """Means with bootstrap intervals: each check, and each swap's score and absolute shift."""
    rows = []
    for item in items:
        values: dict[str, float | None] = dict(item.checks)
        for swap in item.swaps:
            values[f"{swap.kind}_score"] = swap.score if swap.changed else None
            values[f"{swap.kind}_abs_shift"] = abs(swap.shift) if swap.changed else None
        rows.append(values)
    fields = list(dict.fromkeys(name for row in rows for name in row))
    return Report[NeutralityItem](items=list(items), aggregate=means(rows, fields), errors=list(errors))
