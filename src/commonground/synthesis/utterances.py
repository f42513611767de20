"""Real labelled utterances for the data-only generator, sorted into pools by language, kind and length.

Civil and uncivil messages come from the incivility detector's loaders (ParaDetox, Davidson et al. 2017,
GermEval 2018, TextDetox; English and German), one split only (training by default), cleaned of retweet
markers, mentions, links and HTML entities. Civil messages are sorted by tone: `polite` (courtesy or
hedging), `tense` (the other person addressed with a question, a negation or a reproach) or `plain`.
Uncivil messages are sorted by escalation type: threat, identity attack and dismissal from the detector's
lexicons, sarcasm and accusation from the patterns below, insult from the lexicon's insults; an uncivil
message matching none stays unused. The Habermas Machine statements give topical civil turns to
deliberations.
"""

from __future__ import annotations

import html
import json
import logging
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from commonground.signals.incivility.data import load_examples
from commonground.signals.incivility.features import parse
from commonground.synthesis.scenarios import HABERMAS_ATTRIBUTION, deliberations

log = logging.getLogger(__name__)

DATA_LANGUAGES = ("en", "de")
SOURCES = {
    "paradetox": "ParaDetox (Logacheva et al., ACL 2022), CC0",
    "davidson": "Davidson et al. 2017, t-davidson/hate-speech-and-offensive-language, MIT",
    "germeval": "GermEval 2018 (uds-lsv/GermEval-2018-Data), CC BY 4.0",
    "textdetox": "TextDetox 2024 (pan-webis-de/pan-code), MIT",
    "habermas": HABERMAS_ATTRIBUTION,
    "scenario": "commonground dispute scenarios, Apache-2.0",
}
MIN_WORDS, MAX_WORDS = 3, 60
SHORT_WORDS, LONG_WORDS = 10, 25  # terse personas take messages of at most 10 words, verbose of over 25
LEXICON_EVIDENCE = 0.5  # lexicon strength that makes a category the message's escalation type
LENGTH_OF = {"terse": "short", "moderate": "medium", "verbose": "long"}

_NOISE = re.compile(r"\bRT\b|@\w+:?|https?://\S+|\|LBR\|")
_SARCASM = {
    "en": re.compile(
        r"\b(?:oh|wow|yeah|sure),? (?:great|sure|right|brilliant|genius|nice|wonderful|perfect|really)\b|"
        r"\bgenius\b|\bcongrat\w*|\bthanks a lot\b|\bwhat a surprise\b|\bgood job\b|\bwell done\b|\bbravo\b|"
        r"\bslow clap\b|\byeah right\b|\bhow original\b|\bnobel prize\b|\bsure you (?:are|do|did)\b|/s\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\bna (?:toll|super|prima|klar)\b|\bglückwunsch\w*|\bgratuliere\b|\bbravo\b|\bgenial\b|\bja klar\b|"
        r"\bklar doch\b|\bgut gemacht\b|\bwie originell\b|\bnobelpreis\b|\bdanke auch\b|\bsuper idee\b",
        re.IGNORECASE,
    ),
}
_ACCUSATION = {
    "en": re.compile(
        r"\byou(?:'re| are|'ve| have)? (?:lying|lied|cheat\w*|stole|steal\w*|scam\w*|rip\w* (?:me|us|people) "
        r"off|always|never|deliberately)\b|\b(?:liar|lies|fraud|scammer|thief|hypocrite|corrupt)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\b(?:du|sie) (?:lügst|lügen|hast gelogen|haben gelogen|betrügst|betrügen|immer|nie)\b|"
        r"\b(?:lügner\w*|heuchler\w*|betrüger\w*|lüge\w*|korrupt\w*|verlogen\w*)\b",
        re.IGNORECASE,
    ),
}
_POLITE = {
    "en": re.compile(
        r"\b(?:please|thanks?|thank you|sorry|appreciate|i agree|fair point|good point|i understand|i see|"
        r"i think|i believe|perhaps|maybe|probably)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\b(?:bitte|danke\w*|entschuldigung|tut mir leid|ich verstehe|gerne|vielleicht|ich glaube|ich denke|"
        r"wahrscheinlich)\b",
        re.IGNORECASE,
    ),
}
_ADDRESS = {
    "en": re.compile(r"\b(?:you|your|you're|yourself)\b", re.IGNORECASE),
    "de": re.compile(r"\b(?:du|dich|dir|dein\w*|ihr|euch|euer)\b", re.IGNORECASE),
}
_PUSHBACK = {
    "en": re.compile(r"\?|\b(?:not|never|no|wrong|why|don't|can't|won't|didn't|should)\b", re.IGNORECASE),
    "de": re.compile(r"\?|\b(?:nicht|nie|kein\w*|falsch|warum|wieso|sollte\w*)\b", re.IGNORECASE),
}
_LEXICON_TYPES = (("threat", "threat"), ("identity_attack", "identity_attack"))


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    source: str


def clean(text: str) -> str:
    """A message without retweet markers, mentions, links or HTML entities, on one line."""
    return " ".join(_NOISE.sub(" ", html.unescape(text)).split()).strip(" :\"'")


def tone_of(text: str, lang: str) -> str:
    """polite, tense or plain (see the module docstring)."""
    if _POLITE[lang].search(text):
        return "polite"
    if _ADDRESS[lang].search(text) and _PUSHBACK[lang].search(text):
        return "tense"
    return "plain"


def escalation_of(text: str, lang: str) -> str | None:
    """The escalation type of an uncivil message, or None when it shows none clearly."""
    strengths = parse(text, (lang,)).strengths()
    for category, escalation in _LEXICON_TYPES:
        if strengths[category] >= LEXICON_EVIDENCE:
            return escalation
    if _SARCASM[lang].search(text):
        return "sarcasm"
    if _ACCUSATION[lang].search(text):
        return "accusation"
    if strengths["dismissive"] >= LEXICON_EVIDENCE:
        return "dismissal"
    if strengths["insult"] >= LEXICON_EVIDENCE:
        return "insult"
    return None


def length_of(text: str) -> str:
    words = len(text.split())
    return "short" if words <= SHORT_WORDS else "long" if words > LONG_WORDS else "medium"


class Pools:
    """Utterances by (language, kind, length); kind is a tone or an escalation type."""

    def __init__(
        self,
        utterances: dict[tuple[str, str, str], list[Utterance]],
        statements: dict[str, list[Utterance]],
        *,
        split: str,
    ) -> None:
        self._by_length = utterances
        self._any: dict[tuple[str, str], list[Utterance]] = defaultdict(list)
        for (lang, kind, _), found in sorted(utterances.items()):
            self._any[lang, kind] += found
        self._statements = statements
        self.split = split

    def count(self, lang: str, kind: str) -> int:
        return len(self._any.get((lang, kind), ()))

    def summary(self) -> dict[str, dict[str, int]]:
        """Utterance counts per language and kind."""
        kinds = sorted({kind for _, kind in self._any})
        return {lang: {kind: self.count(lang, kind) for kind in kinds} for lang in DATA_LANGUAGES}

    def pick(self, rng: random.Random, *, lang: str, kind: str, verbosity: str, avoid: set[str]) -> Utterance:
        """An utterance of `kind` in `lang`, of the persona's length when there is one, not in `avoid`."""
        pool = self._by_length.get((lang, kind, LENGTH_OF[verbosity])) or self._any[lang, kind]
        return _fresh(rng, pool, avoid)

    def statement(self, rng: random.Random, topic: str, *, avoid: set[str]) -> Utterance | None:
        """A deliberation statement on `topic`, if the topic has one."""
        pool = self._statements.get(topic)
        return _fresh(rng, pool, avoid) if pool else None


def _fresh(rng: random.Random, pool: list[Utterance], avoid: set[str], tries: int = 8) -> Utterance:
    for _ in range(tries):
        utterance = rng.choice(pool)
        if utterance.text not in avoid:
            return utterance
    return utterance


@cache
def load_pools(data_dir: Path, split: str = "train") -> Pools:
    """The pools of one split of the shared data (cached per process)."""
    utterances: dict[tuple[str, str, str], dict[str, Utterance]] = defaultdict(dict)
    for example in load_examples(data_dir):
        if example.split != split or example.lang not in DATA_LANGUAGES:
            continue
        text = clean(example.text)
        if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            continue
        kind = escalation_of(text, example.lang) if example.label else tone_of(text, example.lang)
        if kind is not None:
            key = (example.lang, kind, length_of(text))
            utterances[key].setdefault(text, Utterance(text, example.source))
    statements: dict[str, dict[str, Utterance]] = defaultdict(dict)
    if (data_dir / "habermas").is_dir():
        for question in deliberations(data_dir):
            for statement in question.openings["en"]:
                statements[question.topic].setdefault(statement, Utterance(statement, "habermas"))
    pools = Pools(
        {key: list(found.values()) for key, found in utterances.items()},
        {topic: list(found.values()) for topic, found in statements.items()},
        split=split,
    )
    log.info("utterance pools: %s", json.dumps(pools.summary()))
    return pools
