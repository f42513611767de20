"""The claims a mediator's text attributes to a party, found by rule.

The text is cut into clauses at sentence ends, semicolons, colons and conjunctions before a name ("and
Marc", "while Lee"). A clause is a claim of party P when P reports it ("P says…", "according to P…",
"P, you said…": `reported`), or when P is its subject ("P lent Q 800 euros": a bare statement of fact,
`reported` false). Questions ask, they claim nothing, unless they put words in the party's mouth ("P, you
said…?"). Works for English, French, German and Spanish reporting verbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLAUSE = re.compile(
    r"(?<=[.!?])\s+|[;:]\s+|,?\s+(?:and|but|while|whereas|et|mais|und|aber|y|pero)\s+(?=[A-Z])"
)
REPORTING = (
    r"(?:says?|said|claims?|claimed|explains?|explained|states?|stated|mentions?|mentioned|insists?|insisted|"
    r"reports?|reported|writes?|wrote|tells?|told|notes?|noted|argues?|argued|maintains?|adds?|added|"
    r"recalls?|points? out|pointed out|feels?|felt|believes?|thinks?|remembers?|denies|denied|"
    r"dit|affirme|explique|indique|précise|sagt|erklärt|behauptet|meint|dice|afirma|explica)"
)
LEADING = re.compile(r"^(?:(?:so far|first|also|then|meanwhile|however|now|in short|here),?\s+)+", re.I)
ACCORDING = re.compile(r"\b(?:according to|selon|laut|según)\s+", re.I)


@dataclass(frozen=True)
class Claim:
    """A clause of the text and the party it is attributed to (`reported`: the party is said to say it)."""

    party: str
    text: str
    reported: bool


def clauses(text: str) -> list[str]:
    return [c.strip(" ,") for c in CLAUSE.split(" ".join(text.split())) if c.strip(" ,")]


def attributed_claims(text: str, parties: tuple[str, ...]) -> list[Claim]:
    """Every clause of `text` that reports a party's words or states a fact with a party as its subject."""
    if not parties:
        return []
    name = "(?P<name>" + "|".join(re.escape(p) for p in sorted(parties, key=len, reverse=True)) + ")"
    reported = re.compile(rf"^{name}\b(?:\s+\w+ly)?\s+{REPORTING}\b", re.I)
    addressed = re.compile(rf"^{name},\s+you\s+(?:also\s+)?{REPORTING}\b", re.I)
    according = re.compile(rf"{ACCORDING.pattern}{name}\b", re.I)
    subject = re.compile(rf"^{name}(?:'s)?\s+(?!(?:and|et|und|y)\s)\w", re.I)
    found = []
    for clause in clauses(text):
        body = LEADING.sub("", clause)
        match = addressed.match(body) or reported.match(body) or according.search(body)
        if match:
            found.append(Claim(match["name"], clause, reported=True))
        elif not clause.endswith("?") and (match := subject.match(body)):
            found.append(Claim(match["name"], clause, reported=False))
    return found
