"""Pre-send feedback: a short, specific, localised note on which words may land badly and why.

Template-based and instant (no model): it reads the detector's score, categories and spans.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template

from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityScore

MESSAGES_PATH = Path(__file__).with_name("messages.toml")
MAX_NOTES = 3
_SHOUTING = re.compile(r"\b[A-ZÄÖÜÉÈÀ]{4,}\b|[!?]{3,}")


@dataclass(frozen=True)
class Note:
    start: int
    end: int
    category: str
    text: str


@dataclass(frozen=True)
class Feedback:
    flagged: bool
    lang: str
    summary: str
    notes: list[Note] = field(default_factory=list)
    choice: str = ""

    @property
    def text(self) -> str:
        """The whole note as one paragraph."""
        return " ".join([self.summary, *(note.text for note in self.notes), self.choice]).strip()


@cache
def _messages() -> dict[str, dict[str, str]]:
    return tomllib.loads(MESSAGES_PATH.read_text(encoding="utf-8"))


def presend_feedback(
    text: str, score: IncivilityScore, *, threshold: float = DEFAULT_THRESHOLD, held: bool = False
) -> Feedback:
    """Feedback for a draft, in the draft's language when it is one of the localised ones (else English).

    A draft the detector could not score is flagged with a note saying so (and, when `held`, that a
    mediator will read it): unknown is not civil.
    """
    messages = _messages()
    lang = score.lang if score.lang in messages else "en"
    say = messages[lang]
    if score.probability is None:
        notes = [Note(0, 0, "held", say["held"])] if held else []
        return Feedback(flagged=True, lang=lang, summary=say["unscored"], notes=notes, choice=say["choice"])
    if score.probability < threshold:
        return Feedback(flagged=False, lang=lang, summary=say["civil"])
    notes, seen = [], set()
    for start, end, category in sorted(score.spans):
        passage = text[start:end]
        if category in say and passage.lower() not in seen and len(notes) < MAX_NOTES:
            seen.add(passage.lower())
            notes.append(Note(start, end, category, Template(say[category]).substitute(word=passage)))
    if _SHOUTING.search(text) and len(notes) < MAX_NOTES:
        notes.append(Note(0, 0, "shouting", say["shouting"]))
    return Feedback(flagged=True, lang=lang, summary=say["flagged"], notes=notes, choice=say["choice"])
