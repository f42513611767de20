"""Activity signals: inactivity, cadence, explicit requests for the mediator, deadlock.

Pure, deterministic functions of a conversation (and `now` where time matters). Each returns a Signal whose
value is 1.0 when the condition holds (inactivity and deadlock grade towards it) and whose detail says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.core.signals import Signal

_MENTION = re.compile(
    r"@(?:mediator|moderator|mediateur|mediatrice|moderateur|vermittler|schlichter|mediador)\b"
)
_MEDIATOR = re.compile(
    r"\b(?:mediator|moderator|mediateur|mediatrice|moderateur|vermittler(?:in)?|schlichter(?:in)?|mediador)\b"
)
_ASK = re.compile(
    r"\b(?:help|can|could|would|please|need|ask|call|step in|intervene|"  # en
    r"aide[rz]?|pouvez|pourriez|peut|besoin|svp|s'il vous plait|intervenir|appeler|"  # fr
    r"hilfe|helfen|konnen|konnten|kann|bitte|brauchen|einschreiten|eingreifen|rufen)\b"  # de
)
_REFUSAL = re.compile(
    r"\b(?:don't need|do not need|no need|without (?:a|the)|pas besoin|sans (?:le|la|un|une)|"
    r"brauchen keinen?|kein(?:en)? (?:vermittler|mediator|schlichter))\b"
)
_PROPOSAL = re.compile(
    r"\b(?:what if|how about|i propose|i suggest|i could|i can offer|i'd accept|would you accept|"
    r"compromise|meet (?:you )?halfway|split|je propose|et si|je peux|je pourrais|compromis|"
    r"ich schlage vor|wie ware es|ich konnte|ich kann|kompromiss)\b"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOPWORDS = frozenset(
    [
        "that",
        "this",
        "with",
        "have",
        "from",
        "they",
        "them",
        "then",
        "there",
        "their",
        "what",
        "when",
        "your",
        "just",
        "will",
        "would",
        "about",
        "been",
        "were",
        "more",
        "very",
        "also",
        "some",
        "than",
        "only",
        "dans",
        "pour",
        "avec",
        "vous",
        "nous",
        "sont",
        "mais",
        "plus",
        "elle",
        "tout",
        "cette",
        "comme",
        "nicht",
        "sind",
        "eine",
        "einen",
        "dass",
        "auch",
        "wird",
        "oder",
        "aber",
        "noch",
        "habe",
        "haben",
        "sich",
        "euch",
    ]
)


def _fold(text: str) -> str:
    """Lowercase without accents or umlauts, so 'médiateur' and 'können' match plain patterns."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("’", "'")


def inactivity(conversation: Conversation, *, now: datetime, after_s: float) -> Signal:
    """Idle time since the last timestamped message, as a share of `after_s` (1.0 once it is reached)."""
    if after_s <= 0:
        raise InputError("inactivity needs a positive after_s")
    stamps = [message.timestamp for message in conversation.messages if message.timestamp is not None]
    if not stamps:
        return Signal(name="inactivity", value=0.0, detail={"reason": "no timestamped message"})
    last = max(stamps)
    idle_s = max((now - last).total_seconds(), 0.0)
    return Signal(
        name="inactivity",
        value=min(idle_s / after_s, 1.0),
        detail={"idle_s": idle_s, "after_s": after_s, "last_message_at": last.isoformat()},
    )


def cadence(conversation: Conversation, *, every: int) -> Signal:
    """1.0 when the conversation has just reached a multiple of `every` messages (counting the
    `meta["earlier"]` ones of a conversation given by its last messages)."""
    if every <= 0:
        raise InputError("cadence needs a positive number of messages")
    count = conversation.meta.get("earlier", 0) + len(conversation.messages)
    due = count > 0 and count % every == 0
    last_id = conversation.messages[-1].id if conversation.messages else None
    return Signal(
        name="cadence", value=float(due), message_id=last_id, detail={"messages": count, "every": every}
    )


def request(message: Message) -> Signal:
    """1.0 when the message asks for the mediator (English, French, German, Spanish mentions)."""
    text = _fold(message.text)
    mention = _MENTION.search(text)
    asked = bool(_MEDIATOR.search(text) and _ASK.search(text)) and not _REFUSAL.search(text)
    match = mention or (_MEDIATOR.search(text) if asked else None)
    return Signal(
        name="request",
        value=float(match is not None),
        message_id=message.id,
        detail={"matched": match.group(0) if match else None},
    )


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    """The message's word stems; cached, as every new message compares a speaker's history again."""
    return frozenset(word[:6] for word in _WORD.findall(_fold(text)) if word not in _STOPWORDS)


def _containment(recent: frozenset[str], earlier: frozenset[str]) -> float:
    return len(recent & earlier) / len(recent) if recent else 1.0


def deadlock(conversation: Conversation, *, window: int = 2) -> Signal:
    """How much every active speaker repeats themselves, 0 when anything new is proposed.

    For each speaker among the authors of the last `2 * window` messages: the mean share of word stems in
    their last `window` messages already used in their earlier ones. The value is the smallest share over
    those speakers (all must be repeating), and 0 if a recent message brings a proposal marker or a number
    not seen before in the conversation. Fewer than two speakers with earlier messages gives 0.
    """
    if window <= 0:
        raise InputError("deadlock needs a positive window")
    messages = conversation.messages
    by_speaker: dict[str, list[Message]] = defaultdict(list)
    for message in messages:
        by_speaker[message.speaker].append(message)
    active = dict.fromkeys(message.speaker for message in messages[-2 * window :])
    repetition: dict[str, float] = {}
    for speaker in active:
        own = by_speaker[speaker]
        recent, earlier = own[-window:], own[:-window]
        if not earlier:
            continue
        earlier_stems = frozenset().union(*(_stems(message.text) for message in earlier))
        shares = [_containment(_stems(message.text), earlier_stems) for message in recent]
        repetition[speaker] = sum(shares) / len(shares)
    if len(repetition) < 2:
        return Signal(name="deadlock", value=0.0, detail={"reason": "fewer than two speakers with history"})
    novelty = _new_proposal(messages, recent_count=2 * window)
    value = 0.0 if novelty else min(repetition.values())
    return Signal(
        name="deadlock",
        value=value,
        message_id=messages[-1].id,
        detail={"repetition": repetition, "new_proposal_in": novelty},
    )


def _new_proposal(messages: Sequence[Message], *, recent_count: int) -> str | None:
    """Id of the first recent message with a proposal marker or a number new to the conversation."""
    seen = {number for message in messages[:-recent_count] for number in _NUMBER.findall(message.text)}
    for message in messages[-recent_count:]:
        numbers = set(_NUMBER.findall(message.text))
        if _PROPOSAL.search(_fold(message.text)) or numbers - seen:
            return message.id
        seen |= numbers
    return None
