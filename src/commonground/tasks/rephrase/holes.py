"""Holes a rewrite leaves: swear words removed from inside a clause with nothing in their place.

The fallback never makes these (it drops whole clauses, or only words that can go); a model's rewrite that
just deletes a word can ("we were up shit creek" → "we were up creek", "the tight ass award" → "the tight
award"), or cut from a sentence's start what the rest depended on ("fuck if i know" → "if i know", "fuck off
and pay" → "off and pay"). A word removed at a clause's edge ("stop this crap." → "stop this.", "shit i lost
it" → "i lost it") or one that only intensifies ("this is fucking great" → "this is great") leaves no hole.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from commonground.signals.incivility.lexicon import Lexicon, load_lexicon
from commonground.signals.incivility.text import canonical, fold
from commonground.tasks.fluency import words_of

# Words that only intensify: removing them leaves the sentence whole ("this is fucking great").
INTENSIFIERS = words_of(
    "fucking fuckin effing freaking bloody damn damned goddamn goddamned bleeding verdammt verdammte "
    "verdammter scheiß putain jodido jodida puto puta puñetero"
)
# Words a sentence cannot start on once the word they followed is gone: "(fuck) if i know", "(fuck) off".
DEPENDENT_OPENERS = words_of("if whether since because unless than though although off up out ob weil dass")
WORD_OR_MARK = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")


def _profane(lexicon: Lexicon, word: str) -> bool:
    entry = lexicon.lookup(canonical(fold(word)))
    return entry is not None and entry[0] == "profanity"


def holes_left(draft: str, rewrite: str, lang: str) -> list[str]:
    """Where `rewrite` removed swear words from inside a clause of `draft` and put nothing in their place,
    each as the words around the hole ("up … creek"); empty when it left none."""
    before = [token.lower() for token in WORD_OR_MARK.findall(draft)]
    after = [token.lower() for token in WORD_OR_MARK.findall(rewrite)]
    lexicon = load_lexicon((lang,))  # cached by the lexicon module
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
        if removed and all(_profane(lexicon, w) for w in removed):  # a phrase removed whole is no hole
            holes.append(f"{left} … {right}".lstrip())
    return holes
