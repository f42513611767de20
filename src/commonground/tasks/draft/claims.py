"""Whether the mediator's own sentences tell what a party did or said.

Told to name no one's actions, the embedded 1.5B model still wrote them into its own words in 5 of 22
held-out disputes of `bench/eval_attribution.py`: "you have been walking Chloe's dog" (Chloe walked Sam's),
"why did you forward them to Victor?", "a dispute about your son's football breakage" (the father denies
it). The parties' positions are quoted in the facts part, so the acknowledgement and the question need none
of their content. One of them recounts when it holds a word only one party used (other than the case's
title, the parties' names, function words and the vocabulary of mediation), says what "you have done" or
"have been doing", or, as a question, asks why or whether someone did something. An option may name the
evidence one side offers, but not a figure only one party gave ("before discussing the €160" when the buyer
says she paid €180): that takes a side in what is contested. The draft task writes such a part itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from commonground.core.conversation import Message
from commonground.tasks import checks

STEM = 5
"""Letters a word is cut to (`checks.content_stems`): "walked" and "walking" are one word."""
MEDIATOR_WORDS = checks.content_stems(
    "have has had been being agree agreement help fair solution resolve issue situation concern view "
    "feel hear understand discuss reach outcome option together matter stressful explain thank",
    size=STEM,
)
"""The vocabulary of mediation itself: never a party's claim, whoever used it first."""
DONE = re.compile(r"\byou(?:\s+both)?\s+(?:have|'ve|had)\s+(?:been\s+)?\w+(?:ed|en|ing)\b", re.IGNORECASE)
PRESUPPOSING = re.compile(
    r"\bwhy\b|\b(?:did|have|has|had|were|was)\s+(?:you|either|each|both)\b", re.IGNORECASE
)


STOP_STEMS = {w[:STEM] for w in checks.STOPWORDS | ENGLISH_STOP_WORDS}


def _stems(text: str) -> set[str]:
    """Content stems, without any that a function word (English or `checks.STOPWORDS`) shares."""
    return checks.content_stems(text, size=STEM) - STOP_STEMS


def one_sided(messages: Sequence[Message], parties: Sequence[str], *, title: str = "") -> set[str]:
    """Word stems and figures (`checks.figures`) that only one of two or more parties used: the content
    of their own claims."""
    if len(parties) < 2:
        return set()
    said = {party: set[str]() for party in parties}
    for message in messages:
        if message.speaker in said:
            said[message.speaker] |= _stems(message.text) | checks.figures(message.text)
    common = _stems(" ".join([title, *parties])) | checks.figures(title) | MEDIATOR_WORDS
    return {
        stem
        for party, stems in said.items()
        for stem in stems - set().union(*(said[other] for other in said if other != party))
    } - common


def recounted(text: str, one_sided_words: set[str], *, question: bool = False) -> str:
    """What in an acknowledgement or question tells what a party did or said ("" when nothing): the words
    only one party used, a "you have done", and in a question a "why" or "did you"."""
    found = sorted((_stems(text) | checks.figures(text)) & one_sided_words)
    reasons = [f"one party's words: {', '.join(found)}"] if found else []
    reasons += [f"recounts: {m.group(0)!r}" for m in DONE.finditer(text)]
    if question:
        reasons += [f"presupposes: {m.group(0)!r}" for m in PRESUPPOSING.finditer(text)]
    return "; ".join(reasons)


def takes_a_figure(option: str, one_sided_words: set[str]) -> str:
    """The figures in an option that only one party gave ("" when none)."""
    found = sorted(checks.figures(option) & one_sided_words)
    return f"one party's figures: {', '.join(found)}" if found else ""
