"""Holes a rewrite leaves: words removed from inside a clause with nothing in their place.

The fallback never makes these (it drops whole clauses, or only words that can go); a model's rewrite that
just deletes a word can ("we were up shit creek" → "we were up creek", "the tight ass award" → "the tight
award"), or cut from a sentence's start what the rest depended on ("fuck if i know" → "if i know", "fuck off
and pay" → "off and pay"). A word removed at a clause's edge ("stop this crap." → "stop this.", "shit i lost
it" → "i lost it") or one that only intensifies ("this is fucking great" → "this is great") leaves no hole.
In English the draft's parse also judges any other removed word: it leaves a hole when the clause needs it
(a predicate, "how dishonest you are" → "how you are"; a conjunct without its conjunction, "greed but
stupidity runs it" → "greed but runs it") or when words that modified it stay behind ("they were a lying
bitch" → "they were a lying"); a modifier ("your stupid little plan" → "your plan") or a conjunct with its
conjunction ("an ass and a liar" → "a liar") can go. A hole filled with a word the sentence already had
("posting crap and lies" → "posting lies and lies") is one too (`doubled`).
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from functools import cache, partial
from typing import TYPE_CHECKING

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from commonground.signals.incivility.lexicon import Lexicon, load_lexicon
from commonground.signals.incivility.text import canonical, fold
from commonground.tasks.fluency import english_parse, lexicon, words_of

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
LETTERS = re.compile(r"[^\W\d_]+")
APOSTROPHES = str.maketrans("", "", "'’")
# spaCy's English dependencies: a clause cannot lose a predicate; a word cannot lose the noun it modifies.
PREDICATES = frozenset({"acomp", "attr"})
MODIFYING = frozenset({"amod", "poss", "nummod", "compound", "det"})
STANDALONE_DETERMINERS = words_of("this that these those some any all no each either neither another")


def _profane(lexicon: Lexicon, word: str) -> bool:
    entry = lexicon.lookup(canonical(fold(word)))
    return entry is not None and entry[0] == "profanity"


def holes_left(draft: str, rewrite: str, lang: str) -> list[str]:
    """Where `rewrite` removed words from inside a clause of `draft` and put nothing in their place, each as
    the words around the hole ("up … creek"); empty when it left none."""
    found = list(WORD_OR_MARK.finditer(draft))
    before = [_matched(token.group()) for token in found]
    after = [_matched(token) for token in WORD_OR_MARK.findall(rewrite)]
    lexicon = load_lexicon((lang,))  # cached by the lexicon module
    draft_parse = cache(partial(english_parse, draft))  # parsed when a deletion first needs it
    holes = []
    for tag, start, end, _, _ in SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "delete" or (not start and (end == len(before) or before[end] not in DEPENDENT_OPENERS)):
            continue  # what is left starts a sentence of its own
        left, right = (before[start - 1] if start else ""), (before[end] if end < len(before) else "")
        inside = bool(start) and left[0].isalnum() and right[:1].isalnum()
        removed = [w for w in before[start:end] if w not in INTENSIFIERS]
        if not removed:
            continue
        swearing = (inside or not start) and all(_profane(lexicon, w) for w in removed)
        needed = (
            not swearing
            and start
            and lang == "en"
            and (doc := draft_parse()) is not None
            and _needed(doc, found[start:end], inside=inside)
        )
        if swearing or needed:
            holes.append(f"{left} … {right}".strip())
    return holes


def doubled(draft: str, rewrite: str, lang: str) -> list[str]:
    """Content words `rewrite` repeats more often than `draft` had them ("lies and lies", "gunfire rather
    than gunfire"), each as "lies … lies"; short and function words ("der Vertrag … der Mann") may repeat."""
    had = Counter(w.lower() for w in LETTERS.findall(draft))
    has = Counter(w.lower() for w in LETTERS.findall(rewrite))
    common = _function_words(lang)
    return [f"{w} … {w}" for w, n in has.items() if n > max(had[w], 1) and len(w) > 3 and w not in common]


@cache
def _function_words(lang: str) -> frozenset[str]:
    """Words too common to count as doubled: English stop words, and the fluency rules' word lists."""
    words = lexicon(lang)
    return frozenset(
        (ENGLISH_STOP_WORDS if lang == "en" else frozenset())
        | words.determiners
        | words.not_after_determiner
        | words.not_final
        | words.copulas
    )


def _matched(token: str) -> str:
    """A token as the alignment compares it: lowercased, a contraction without its apostrophe ("he's")."""
    return token.lower().translate(APOSTROPHES) or token


def _needed(doc: Doc, removed: list[re.Match[str]], *, inside: bool) -> bool:
    """The removed words were a predicate of the clause around them or a conjunct without its conjunction
    (`inside` a clause), or words that modified them stay."""
    run = {t.i for m in removed if (span := doc.char_span(*m.span(), alignment_mode="expand")) for t in span}
    for token in (doc[i] for i in run if doc[i].head.i not in run or doc[i].head.i == i):
        kept = [child for child in token.children if child.i not in run]
        if any(c.dep_ == "conj" for c in kept):
            continue  # the next conjunct takes its place: "an ass and a liar" → "a liar"
        stranded = [c for c in kept if c.dep_ in MODIFYING and c.lower_ not in STANDALONE_DETERMINERS]
        joined = [c for c in (*token.children, *token.head.children) if c.dep_ == "cc" and c.i in run]
        lone_conjunct = token.dep_ == "conj" and not joined
        if stranded or (inside and (token.dep_ in PREDICATES or lone_conjunct)):
            return True
    return False
