"""Each party's position in their own words: the facts part of a mediator's message is quoted, not retold.

Asked to restate who said what, the embedded 1.5B model gave claims to the wrong party in half of the
held-out disputes of `bench/eval_attribution.py` ("Hugo says he backed into Aisha's car"; it was Aisha).
A quote cannot be given to the wrong party: the code names the speaker of the message it quotes. Each
party's first recent message that says something (`MIN_WORDS` words or more) and holds no insult, swear
word or threat of the incivility lexicon is quoted from its start, whole sentences up to `QUOTE_CHARS` (a
longer first sentence is cut at a word, with an ellipsis). A mediator never repeats an insult, and quoting
one side alone would tilt the message: when some party has no such message, nobody is quoted.
"""

from __future__ import annotations

from collections.abc import Sequence

from commonground.core.conversation import Message
from commonground.signals.incivility.lexicon import load_lexicon
from commonground.signals.incivility.text import canonical, fold
from commonground.tasks import checks

QUOTE_CHARS = 110
MIN_WORDS = 5
MAX_QUOTED = 3
"""Parties quoted at most: a larger group gets no quotes (the message would be all quotes)."""


def quoted_positions(recent: Sequence[Message], parties: Sequence[str], *, limit: int = QUOTE_CHARS) -> str:
    """'Ines wrote: “…” Gary wrote: “…”' for every party (each quote at most `limit` characters), or ""
    when some party has nothing to quote."""
    if not parties or len(parties) > MAX_QUOTED:
        return ""
    quotes = []
    for party in parties:
        said = next((m.text for m in recent if m.speaker == party and _quotable(m.text)), None)
        if said is None:
            return ""
        quotes.append(f"{party} wrote: “{opening(said, limit)}”")
    return " ".join(quotes)


def opening(text: str, limit: int = QUOTE_CHARS) -> str:
    """The first sentences of `text` that fit in `limit` characters; a longer one after fewer than
    `MIN_WORDS` words ("Hi.") is cut at a word."""
    kept = ""
    for sentence in checks.sentences(" ".join(text.split())):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit and len(checks.words(kept)) >= MIN_WORDS:
            break
        kept = joined
        if len(kept) > limit:
            break
    if len(kept) <= limit:
        return kept
    return kept[: kept.rfind(" ", 0, limit - 1)].rstrip(",;:") + "…"


def _quotable(text: str) -> bool:
    """Says something and holds no insult, swear word or threat (identity mentions are words like others)."""
    words = checks.words(text)
    lexicon = load_lexicon(("en",))  # cached by the lexicon module
    weights = (lexicon.lookup(canonical(fold(w))) for w in words)
    return len(words) >= MIN_WORDS and not any(entry and entry[1] > 0 for entry in weights)
