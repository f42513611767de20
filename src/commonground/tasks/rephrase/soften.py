"""The non-LLM fallback: a conservative edit that removes the words the detector blamed and calms the rest."""

from __future__ import annotations

import re

from commonground.signals.incivility import IncivilityScore

# Pronoun-and-article frames left dangling once the insult after them is gone: "you are a [idiot]".
_DANGLING = re.compile(
    r"\b(?:you(?:'re| are)|du bist|tu es|t'es|eres|sois)\s+(?:such\s+)?(?:an?|the|ein(?:e)?|un(?:e)?|so)?\s*"
    r"(?=[\s,.;:!?]*(?:$|,|\.|;|!|\?|\band\b|\bet\b|\bund\b|\by\b))",
    re.IGNORECASE,
)
# A bare vocative left once its insult is gone: "You [idiot], I paid…", "…, du [Idiot]."
_VOCATIVE = re.compile(
    r"^\s*(?:you|du|tu|toi|tú)\s*[,!:]\s*|,\s*(?:you|du|tu|toi|tú)\s*(?=[.!?]|$)", re.IGNORECASE
)
_REPEATED_PUNCTUATION = re.compile(r"([!?])[!?1]+")
_SHOUTED = re.compile(r"\b[A-ZÄÖÜÉÈÀ]{4,}\b")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
_ORPHAN_PUNCTUATION = re.compile(r"(?:^|(?<=[.!?]))\s*[,;:]+\s*|,\s*(?=[.!?])")


def soften(text: str, score: IncivilityScore) -> str:
    """`text` without the spans that drove its score, de-shouted, with calmer punctuation."""
    kept, cursor = [], 0
    for start, end, _ in sorted(score.spans):
        if start >= cursor:
            kept.append(text[cursor:start])
            cursor = end
    kept.append(text[cursor:])
    softened = "".join(kept)
    softened = _DANGLING.sub("", softened)
    softened = _VOCATIVE.sub("", softened.strip())
    softened = _REPEATED_PUNCTUATION.sub(r"\1", softened)
    softened = _SHOUTED.sub(lambda match: match.group().lower(), softened)
    softened = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(softened.split()))
    softened = _ORPHAN_PUNCTUATION.sub(" ", softened).strip(" ,;:")
    return softened[:1].upper() + softened[1:] if softened else ""
