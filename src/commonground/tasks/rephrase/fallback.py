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
from commonground.tasks.fluency import fluent, words_of

CLAUSE_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*[,;]\s+|\s+[-–—]\s+")
# Words that only intensify: removing them leaves the sentence whole ("this is fucking great").
INTENSIFIERS = words_of(
    "fucking fuckin effing freaking bloody damn damned goddamn goddamned bleeding verdammt verdammte "
    "verdammter scheiß putain jodido jodida puto puta puñetero"
)
# Words that open a vocative insult at the end of a clause: "you idiot", "you stupid little man", "du Idiot".
VOCATIVE_OPENERS = words_of("you ya u du ihr tu toi vous tú vosotros")
IMPERATIVES = re.compile(
    r"^(?:give|send|pay|return|refund|stop|fix|tell|answer|call|show|explain|leave|get|bring|take|let)\b",
    re.IGNORECASE,
)
REPEATED_PUNCTUATION = re.compile(r"([!?])[!?1]+|\.{2,}")
SHOUTED = re.compile(r"\b[A-ZÄÖÜÉÈÀÑ]{3,}\b")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
MIN_WORDS = 3

Scorer = Callable[[str], IncivilityScore]


def rewrite(text: str, *, score: Scorer, lang: str | None) -> str:
    """A calmer text made of whole clauses of `text`, or "" when no fluent, civil one can be made."""
    kept = [clause for part in _clauses(text) if (clause := _kept(part, score=score, lang=lang))]
    sentence = " ".join(_finished(clause) for clause in _joined(kept))
    if len(WORD.findall(sentence)) < MIN_WORDS:
        return ""
    if score(sentence).probability >= DEFAULT_THRESHOLD or not fluent(sentence, lang).passed:
        return ""
    return sentence


def _clauses(text: str) -> list[str]:
    calm = REPEATED_PUNCTUATION.sub(lambda m: m.group(1) or ".", text)
    calm = SHOUTED.sub(lambda m: m.group() if m.group() in {"USA", "EU", "UK"} else m.group().lower(), calm)
    return [part.strip() for part in CLAUSE_BREAK.split(calm) if part and part.strip()]


def _kept(clause: str, *, score: Scorer, lang: str | None) -> str:
    """The clause, the clause without a removable insult, or "" (dropped)."""
    found = score(clause)
    if found.probability < DEFAULT_THRESHOLD and not found.spans:
        return clause
    trimmed = _without_removable(clause, found)
    if trimmed is None or len(WORD.findall(trimmed)) < 2:
        return ""
    again = score(trimmed)
    if again.probability >= DEFAULT_THRESHOLD or again.spans or not fluent(trimmed, lang).passed:
        return ""
    return trimmed


def _without_removable(clause: str, found: IncivilityScore) -> str | None:
    """The clause without its blamed words if every blamed word is an intensifier or in an end vocative."""
    words = list(WORD.finditer(clause))
    blamed = [i for i, w in enumerate(words) if any(s < w.end() and w.start() < e for s, e, _ in found.spans)]
    if not blamed:
        return None
    drop = {i for i in blamed if words[i].group().lower() in INTENSIFIERS}
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


def _joined(clauses: list[str]) -> list[str]:
    """Clauses joined back into sentences: a clause after one without an end mark continues it."""
    sentences: list[str] = []
    for clause in clauses:
        if sentences and sentences[-1][-1] not in ".!?…":
            sentences[-1] = f"{sentences[-1]}, {clause}"
        else:
            sentences.append(clause)
    return sentences


def _finished(sentence: str) -> str:
    """Capitalised, ending with a mark, an imperative request asked politely."""
    sentence = sentence.strip(" ,;:-")
    if IMPERATIVES.match(sentence):
        sentence = "Please " + sentence[:1].lower() + sentence[1:]
    sentence = sentence[:1].upper() + sentence[1:]
    if sentence[-1] == "!":
        sentence = sentence[:-1] + "."
    return sentence if sentence[-1] in ".?…" else sentence + "."
