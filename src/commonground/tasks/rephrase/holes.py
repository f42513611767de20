"""Holes a rewrite leaves: words removed from inside a clause with nothing in their place.

The fallback never makes these (it drops whole clauses, or only words that can go); a model's rewrite that
just deletes a word can ("we were up shit creek" → "we were up creek", "the tight ass award" → "the tight
award"), or cut from a sentence's start what the rest depended on ("fuck if i know" → "if i know", "fuck off
and pay" → "off and pay"). A word removed at a clause's edge ("stop this crap." → "stop this.", "shit i lost
it" → "i lost it") or one that only intensifies ("this is fucking great" → "this is great") leaves no hole.
In English the draft's parse also judges any other word removed inside a clause: a modifier ("your stupid
little plan" → "your plan") or a conjunct with its conjunction ("an ass and a liar" → "a liar") can go; a
word the clause needs cannot ("how dishonest you are" → "how you are", "greed but stupidity runs it" → "greed
but runs it").
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from commonground.signals.incivility.lexicon import Lexicon, load_lexicon
from commonground.signals.incivility.text import canonical, fold
from commonground.tasks.fluency import english_parser, words_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Words that only intensify: removing them leaves the sentence whole ("this is fucking great").
INTENSIFIERS = words_of(
    "fucking fuckin effing freaking bloody damn damned goddamn goddamned bleeding verdammt verdammte "
    "verdammter scheiß putain jodido jodida puto puta puñetero"
)
# Words a sentence cannot start on once the word they followed is gone: "(fuck) if i know", "(fuck) off".
DEPENDENT_OPENERS = words_of("if whether since because unless than though although off up out ob weil dass")
WORD_OR_MARK = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")
APOSTROPHES = str.maketrans("", "", "'’")
# Dependencies of words a clause can lose without a hole (spaCy's English labels).
MODIFIERS = frozenset(
    {"amod", "advmod", "compound", "npadvmod", "nummod", "det", "intj", "punct", "cc", "prep"}
)


def _profane(lexicon: Lexicon, word: str) -> bool:
    entry = lexicon.lookup(canonical(fold(word)))
    return entry is not None and entry[0] == "profanity"


def holes_left(draft: str, rewrite: str, lang: str) -> list[str]:
    """Where `rewrite` removed words from inside a clause of `draft` and put nothing in their place, each as
    the words around the hole ("up … creek"); empty when it left none."""
    found = list(WORD_OR_MARK.finditer(draft))
    before = [token.group().lower().translate(APOSTROPHES) for token in found]
    after = [token.lower().translate(APOSTROPHES) for token in WORD_OR_MARK.findall(rewrite)]
    lexicon = load_lexicon((lang,))  # cached by the lexicon module
    parsed = _parsed(draft) if lang == "en" else None
    holes = []
    for tag, start, end, _, _ in SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "delete" or end == len(before):
            continue
        left, right = (before[start - 1] if start else ""), before[end]
        if start and not (left[0].isalnum() and right[0].isalnum()):
            continue  # at a clause's edge
        if not start and right not in DEPENDENT_OPENERS:
            continue  # the rest starts a sentence of its own
        removed = [w for w in before[start:end] if w not in INTENSIFIERS]
        if not removed:
            continue
        swearing = all(_profane(lexicon, w) for w in removed)  # a phrase removed whole is no hole
        needed = start and parsed is not None and not _removable(parsed, found[start:end])
        if swearing or needed:
            holes.append(f"{left} … {right}".lstrip())
    return holes


def _parsed(text: str) -> Doc | None:
    parser = english_parser()
    return None if parser is None else parser(text)


def _removable(doc: Doc, removed: list[re.Match[str]]) -> bool:
    """The removed words are modifiers, or a conjunct with its conjunction, of what stays."""
    run = {t.i for m in removed if (span := doc.char_span(*m.span(), alignment_mode="expand")) for t in span}
    for token in (doc[i] for i in run):
        if (token.head.i in run and token.head.i != token.i) or token.dep_ in MODIFIERS:
            continue
        if any(child.dep_ == "conj" and child.i not in run for child in token.children):
            continue  # the next conjunct takes its place: "an ass and a liar" → "a liar"
        joined = [c for c in (*token.children, *token.head.children) if c.dep_ == "cc"]
        if token.dep_ == "conj" and any(c.i in run for c in joined):
            continue  # removed with its conjunction: "lazy and stupid" → "lazy"
        return False
    return True
