"""The attribution judge: do a party's own messages say the claim a mediator's text gives them?

A reported claim ("Lee says he got the cash") is judged against the reporter's messages only; a bare
statement of fact about a party ("Ana lent Marc 800 euros") against each party's in turn (a role swap):
it stands when someone's messages say it. A claim is misattributed when no one it may come from says it,
or when its own party says the opposite. One structured call per party judged (`prompt.toml`, versioned).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from commonground.core.conversation import Message
from commonground.llm.base import Model
from commonground.llm.templates import PromptTemplate
from commonground.llm.types import CallRecord
from commonground.tasks.attribution.claims import Claim, attributed_claims
from commonground.tasks.base import Check, check
from commonground.tasks.context import clip

MESSAGES_CHARS = 1500


class Attribution(BaseModel):
    verdict: Literal["said", "opposite", "not_said"]


@cache
def _template() -> PromptTemplate:
    return PromptTemplate.load(Path(__file__).with_name("prompt.toml"))


def judge_claim(
    model: Model, claim: Claim, messages: Sequence[Message]
) -> tuple[bool, str, list[CallRecord]]:
    """Whether `claim` is rightly attributed, the verdicts that say so, and the calls they took."""
    parties = list(dict.fromkeys(m.speaker for m in messages))
    judged = [claim.party] if claim.reported else [claim.party, *(p for p in parties if p != claim.party)]
    verdicts: dict[str, str] = {}
    calls: list[CallRecord] = []
    for party in judged:
        own = "\n".join(m.text for m in messages if m.speaker == party)
        if not own:
            verdicts[party] = "not_said"
            continue
        prompt = _template().render(party=party, messages=clip(own, MESSAGES_CHARS), claim=claim.text)
        structured = model.structured(prompt, Attribution)
        calls += [completion.record for completion in structured.completions]
        verdicts[party] = structured.value.verdict
        if verdicts[party] == "said" or verdicts[claim.party] == "opposite":
            break
    right = "said" in verdicts.values() and verdicts[claim.party] != "opposite"
    return right, ", ".join(f"{p} {v}" for p, v in verdicts.items()), calls


def check_attribution(model: Model, text: str, messages: Sequence[Message]) -> tuple[Check, list[CallRecord]]:
    """The share of the text's attributed claims that their party (or, for a fact, anyone) says."""
    parties = tuple(dict.fromkeys(m.speaker for m in messages))
    found = attributed_claims(text, parties)
    wrong: list[str] = []
    calls: list[CallRecord] = []
    for claim in found:
        right, verdicts, used = judge_claim(model, claim, messages)
        calls += used
        if not right:
            wrong.append(f"{claim.text[:60]} ({verdicts})")
    score = 1 - len(wrong) / len(found) if found else 1.0
    detail = "misattributed: " + " | ".join(wrong) if wrong else f"{len(found)} attributed claims"
    return check("attribution", score, threshold=1.0, detail=detail), calls
