"""Counterfactual swaps for the neutrality swap test: exchange the parties' names, gendered words and roles.

A `Swap` exchanges pairs of words in one pass (whole words, any case, the case of each occurrence kept),
so applying it twice gives the original text back. It turns a conversation into its counterfactual, and
mirrors a draft written for the counterfactual back into the original frame, where its support for each
party can be compared with the support of the draft written for the original.

Exchanging the parties' names in speaker labels and texts also exchanges their sides: each name now argues
what the other argued. Gendered words: he/she, him/her, his/her(s), himself/herself, Mr/Ms and family or
partner nouns; "her" becomes "his" before a word that is not a function word ("her camera"), unless a verb
taking two objects comes first ("owes her money"), else "him": a heuristic, so a rare sentence mirrors back
imperfectly.
Roles: buyer/seller, tenant/landlord, lender/borrower and other dispute roles, singular and plural.

Support for a party is the lexical stance of `checks.stance` (favourable minus adverse cues); the swap test
compares the lean toward the first party (its support minus the second's) before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from commonground.core.conversation import Conversation
from commonground.tasks import checks

GENDERED = (
    ("he", "she"),
    ("himself", "herself"),
    ("mr", "ms"),
    ("man", "woman"),
    ("men", "women"),
    ("husband", "wife"),
    ("boyfriend", "girlfriend"),
    ("father", "mother"),
    ("son", "daughter"),
    ("brother", "sister"),
    ("sir", "madam"),
)
ROLES = tuple(
    pair
    for singular in (
        ("buyer", "seller"),
        ("tenant", "landlord"),
        ("renter", "landlady"),
        ("lender", "borrower"),
        ("creditor", "debtor"),
        ("employee", "employer"),
        ("customer", "merchant"),
        ("client", "contractor"),
        ("guest", "host"),
    )
    for pair in (singular, (singular[0] + "s", singular[1] + "s"))
)
# After these words (or at the end of a clause) "her" is an object pronoun: "him", not "his".
OBJECT_CONTEXT = frozenset(
    re.findall(
        r"\w+",
        "a an the to that this these those and or but nor so yet if when while because about for with from "
        "at in on of by as than back up down out off over again it me you him them us what how why where "
        "some any all every no not is was be",
    )
)
# Before "her", these verbs make it an object too: "owes her money", "told her the price".
TWO_OBJECTS = frozenset(
    re.findall(
        r"\w+", "owe owes owed give gives gave tell tells told lend lends lent promise promised ask asked"
    )
)
NEXT_WORD = re.compile(r"[ \t]+([A-Za-z']+)")
PREVIOUS_WORD = re.compile(r"([A-Za-z']+)[ \t]+$")


@dataclass(frozen=True)
class Swap:
    """An exchange of word pairs; `gendered` adds the gendered words and their possessive rules."""

    kind: str
    pairs: tuple[tuple[str, str], ...] = ()
    gendered: bool = False

    @classmethod
    def names(cls, first: str, second: str) -> Swap:
        return cls("names", ((first, second),))

    @classmethod
    def of(cls, kind: str, parties: tuple[str, str]) -> Swap:
        """A swap of one kind: names, genders, roles, or all three at once."""
        pairs = {"names": (parties,), "genders": (), "roles": ROLES, "all": ((parties, *ROLES))}
        if kind not in pairs:
            raise ValueError(f"unknown swap {kind!r}; choose one of {', '.join(pairs)}")
        return cls(kind, pairs[kind], gendered=kind in ("genders", "all"))

    def text(self, text: str) -> str:
        """`text` with every pair exchanged."""
        mapping = {a.lower(): b for a, b in self.pairs} | {b.lower(): a for a, b in self.pairs}
        if self.gendered:
            mapping |= dict(GENDERED) | {b: a for a, b in GENDERED} | {"him": "her", "hers": "his"}
        words = sorted(mapping, key=len, reverse=True)
        extra = "|her|his" if self.gendered else ""
        pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))}{extra})\b", re.IGNORECASE)

        def exchange(match: re.Match[str]) -> str:
            word = match[0].lower()
            if word in ("her", "his"):
                following = NEXT_WORD.match(text, match.end())
                previous = PREVIOUS_WORD.search(text, 0, match.start())
                noun = following is not None and following[1].lower() not in OBJECT_CONTEXT
                noun = noun and not (word == "her" and previous and previous[1].lower() in TWO_OBJECTS)
                replacement = ("his" if noun else "him") if word == "her" else ("her" if noun else "hers")
            else:
                replacement = mapping[word]
            return _cased(replacement, match[0])

        return pattern.sub(exchange, text)

    def conversation(self, conversation: Conversation) -> Conversation:
        """The same conversation with the swap applied to every speaker label and text."""
        messages = [
            m.model_copy(update={"speaker": self.text(m.speaker), "text": self.text(m.text)})
            for m in conversation.messages
        ]
        return conversation.model_copy(update={"messages": messages})


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@dataclass(frozen=True)
class SwapOutcome:
    """Support for each party in the draft for the original and in the counterfactual's draft, mirrored."""

    kind: str
    parties: tuple[str, str]
    before: dict[str, float]
    after: dict[str, float]

    @property
    def lean_before(self) -> float:
        """Support for the first party minus support for the second, in the original's draft."""
        return self.before[self.parties[0]] - self.before[self.parties[1]]

    @property
    def lean_after(self) -> float:
        return self.after[self.parties[0]] - self.after[self.parties[1]]

    @property
    def shift(self) -> float:
        """How far the lean moved under the swap (0 for a neutral mediator)."""
        return self.lean_after - self.lean_before

    @property
    def flipped(self) -> bool:
        return self.lean_before * self.lean_after < 0

    @property
    def score(self) -> float:
        """1 when the lean does not move, 1 / (1 + |shift|) when it does, 0 when it changes sides."""
        return 0.0 if self.flipped else 1 / (1 + abs(self.shift))

    @property
    def detail(self) -> str:
        return (
            f"lean toward {self.parties[0]}: {self.lean_before:+g} as given, "
            f"{self.lean_after:+g} with {self.kind} swapped"
        )


def compare(kind: str, original: str, mirrored: str, parties: tuple[str, str]) -> SwapOutcome:
    """The swap outcome of a draft and the counterfactual's draft mirrored back by the same swap."""
    return SwapOutcome(
        kind=kind,
        parties=parties,
        before=checks.stance(original, parties),
        after=checks.stance(mirrored, parties),
    )
