"""The non-LLM fallback: sentences, not holes. Offending clauses go whole; what is left must read well.

The draft is cut into clauses (at sentence ends, commas, semicolons and dashes). A clause the detector does
not blame is kept, de-shouted and with calmer punctuation. A blamed clause is kept only when the blame falls
on words that can go without leaving a hole — a vocative insult at its end ("… now you idiot"; one set off
by a comma is a clause of its own), a swear word used as an intensifier ("fucking", "damn") — and what is
left passes the fluency check; otherwise the whole clause is dropped. A bare imperative request becomes a
polite one ("Please give me my money back."). The result must be civil, fluent and keep a few words of the
draft; when it cannot be, there is no suggestion (an empty text) and the author keeps the feedback alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityScore
from commonground.tasks.fluency import fluent, lexicon, words_of
from commonground.tasks.rephrase.holes import INTENSIFIERS

SENTENCE_BREAK = re.compile(r"(?<=[.!?…])(?<!\b[^\W\d_]\.)\s+")  # not inside "i. e."
CLAUSE_BREAK = re.compile(r"\s*[,;]\s+")
SUBJECTS = words_of(
    "i we you he she they it there je tu il elle on nous vous ils elles ça cela ich du er sie es wir ihr man "
    "yo tú él ella nosotros vosotros ellos ellas"
)
# Words that open a vocative insult at the end of a clause: "you idiot", "you stupid little man", "du Idiot".
VOCATIVE_OPENERS = words_of("you ya u du ihr tu toi vous tú vosotros")
IMPERATIVES = re.compile(
    r"^(?:give|send|pay|return|refund|stop|fix|tell|answer|call|show|explain|leave|get|bring|take|let)\b",
    re.IGNORECASE,
)
REPEATED_PUNCTUATION = re.compile(r"[!?.](?:\s*[!?.1])+")
SHOUTED = re.compile(r"\b[A-ZÄÖÜÉÈÀÑ]{3,}\b")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
OPENING_DETERMINERS = frozenset().union(*(lexicon(lang).determiners for lang in ("en", "fr", "de", "es")))
MIN_WORDS = 3

Scorer = Callable[[str], IncivilityScore]


def rewrite(text: str, *, score: Scorer, lang: str | None) -> str:
    """A calmer text made of whole clauses of `text`, or "" when no fluent, civil one can be made."""
    kept = [
        _finished(sentence)
        for clauses in _sentences(text)
        if (sentence := _sentence(clauses, score=score, lang=lang))
    ]
    result = SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(kept))
    if len(WORD.findall(result)) < MIN_WORDS or _same_words(result, text):
        return ""
    if score(result).probability >= DEFAULT_THRESHOLD or not fluent(result, lang).passed:
        return ""
    return result


def _same_words(one: str, other: str) -> bool:
    """Nothing was taken out: the suggestion would be the draft again, a "please" aside."""
    return _words(one) == _words(other)


def _words(text: str) -> list[str]:
    return [w for w in map(str.lower, WORD.findall(text)) if w != "please"]


def _sentences(text: str) -> list[list[str]]:
    """The calmed text's sentences, each cut into clauses."""
    calm = REPEATED_PUNCTUATION.sub(lambda m: "?" if "?" in m.group() else m.group()[0], text)
    calm = SHOUTED.sub(lambda m: m.group() if m.group() in {"USA", "EU", "UK"} else m.group().lower(), calm)
    sentences = [s.strip() for s in SENTENCE_BREAK.split(calm) if _whole(s)]
    return [[c.strip() for c in CLAUSE_BREAK.split(s) if WORD.search(c)] for s in sentences]


def _whole(sentence: str) -> bool:
    """Two words at least ("P.", "< 6." are stubs) and balanced double quotes."""
    quotes = sum(sentence.count(mark) for mark in '"“”«»')
    return len(WORD.findall(sentence)) >= 2 and quotes % 2 == 0


def _sentence(clauses: list[str], *, score: Scorer, lang: str | None) -> str:
    """What can stay of one sentence: its clauses after the last one dropped, if they open with a subject.

    A clause before a dropped one may need it ("Does that belief, regardless of reality, [make him an
    idiot]?"); a clause after it stands alone only when it starts as a sentence does ("…, I want my money
    back"). A vocative on its own ("you idiot") goes without cutting the sentence.
    """
    kept: list[str] = []
    cut = False
    for clause in clauses:
        found = score(clause)
        if found.probability < DEFAULT_THRESHOLD and not found.spans:
            kept.append(clause)
        elif _vocative(clause, found):
            continue
        elif trimmed := _trimmed(clause, found, score=score, lang=lang):
            kept.append(trimmed)
        else:
            kept, cut = [], True
    if cut and kept and not _opens_with_subject(kept[0]):
        return ""
    return ", ".join(kept)


def _vocative(clause: str, found: IncivilityScore) -> bool:
    """A "you" and blamed words only: "you idiot", "you fucking scammer", "du Vollidiot"."""
    words = [w.group().lower() for w in WORD.finditer(clause)]
    blamed = _blamed(list(WORD.finditer(clause)), found)
    rest = [w for i, w in enumerate(words) if i not in blamed and w not in INTENSIFIERS]
    return bool(blamed) and len(rest) == 1 and rest[0] in VOCATIVE_OPENERS and words[0] == rest[0]


def _opens_with_subject(clause: str) -> bool:
    """The clause starts as a sentence does: with a subject pronoun ("I…", "j'ai…", "ich…"). One opening
    with a noun may be a phrase in apposition ("…, a theatrical display which…"): not enough."""
    first = (WORD.findall(clause) or [""])[0].lower()
    return first in SUBJECTS or first.startswith(("j'", "c'"))


def _trimmed(clause: str, found: IncivilityScore, *, score: Scorer, lang: str | None) -> str:
    """The clause without a removable insult if what is left is civil and fluent, else ""."""
    trimmed = _without_removable(clause, found)
    if trimmed is None or len(WORD.findall(trimmed)) < 2:
        return ""
    again = score(trimmed)
    if again.probability >= DEFAULT_THRESHOLD or again.spans or not fluent(trimmed, lang).passed:
        return ""
    return trimmed


def _blamed(words: list[re.Match[str]], found: IncivilityScore) -> list[int]:
    return [i for i, w in enumerate(words) if any(s < w.end() and w.start() < e for s, e, _ in found.spans)]


def _without_removable(clause: str, found: IncivilityScore) -> str | None:
    """The clause without its blamed words if every blamed word is an intensifier or in an end vocative."""
    words = list(WORD.finditer(clause))
    blamed = _blamed(words, found)
    if not blamed:
        return None
    drop = {i for i in blamed if words[i].group().lower() in INTENSIFIERS}
    if 1 in drop and words[0].group().lower() not in SUBJECTS | OPENING_DETERMINERS:
        return None  # "hot damn these people…", "holy fucking…": an exclamation, not an intensifier
    rest = [i for i in blamed if i not in drop]
    if rest:
        first, last = min(rest), max(rest)
        vocative = first > 0 and words[first - 1].group().lower() in VOCATIVE_OPENERS
        if last != len(words) - 1 or not vocative:
            return None
        drop |= set(range(first - 1, len(words)))
    if len(drop) >= len(words):
        return None
    pieces, cursor = [], 0
    for i in sorted(drop):
        pieces.append(clause[cursor : words[i].start()])
        cursor = words[i].end()
    pieces.append(clause[cursor:])
    return " ".join("".join(pieces).split()).strip(" ,;:")


def _finished(sentence: str) -> str:
    """Capitalised, ending with a mark, an imperative request asked politely."""
    sentence = sentence.strip(" ,;:-")
    if IMPERATIVES.match(sentence):
        sentence = "Please " + sentence[:1].lower() + sentence[1:]
    sentence = sentence[:1].upper() + sentence[1:]
    if sentence[-1] == "!":
        sentence = sentence[:-1] + "."
    return sentence if sentence[-1] in ".?…" else sentence + "."
