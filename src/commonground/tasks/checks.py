"""Verification shared by the tasks: role, grounding, stance, instruction, leaks, support, fluency.

Each function returns a `Check`; none calls the task's language model. They are lexical on purpose (the
language check asks the fastText identifier, the fluency check a 135M-parameter scorer for English):
cheap, explainable and testable, with the evidence in `detail`.
"""

from __future__ import annotations

import itertools
import re

from commonground.signals.language import detect_language, reads_as
from commonground.tasks.base import Check, check
from commonground.tasks.fluency import fluent as fluent  # the shared fluency check: checks.fluent

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
SENTENCE = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"”»’)])\s+")  # a closing quote may follow the stop
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
ADDRESSED = re.compile(r"[A-Z][a-z]{2,}\s+(?:and|&)\s+[A-Z]")
MONTHS = frozenset(
    re.findall(
        r"\w+", "january february march april may june july august september october november december"
    )
    + re.findall(r"\w+", "monday tuesday wednesday thursday friday saturday sunday")
)
NOUNS_CAPITALISED = frozenset({"de"})
ALWAYS_ALLOWED = {"mediator", "thank", "thanks", "both", "please", "hello", "dear", "let", "could", "would"}
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the and or but of to in on at for with about from by is are was were be been it its this "
        "that these those as into than then so if not no do does did can could would should will shall may "
        "might must you your yours i me my we our us he she they them their his her "
        "please ask propose suggest tell",
    )
)
PARTY_VOICE = re.compile(
    r"\b(?:I\s+(?:sold|bought|paid|shipped|sent|lent|loaned|owe|ordered|rented|fell|slipped|tested|packed|"
    r"lost my|want (?:a|my|the|full)|demand|am not (?:refunding|paying)|won't (?:pay|refund)|"
    r"never (?:got|received|told))"
    r"|my (?:camera|money|apartment|flat|rent|loan|seeds|order|wages|landlord|tenant|lawyer))\b",
    re.IGNORECASE,
)
ADVERSE = re.compile(
    r"\b(?:must|has to|have to|needs? to|should|owes?|is (?:responsible|at fault|wrong|lying|to blame)|"
    r"are (?:responsible|at fault|wrong|lying|to blame)|fault|liar|scam\w*)\b",
    re.IGNORECASE,
)
FAVOURABLE = re.compile(
    r"\b(?:is right|are right|is correct|are correct|rightly|justified|deserves?)\b", re.IGNORECASE
)
AND = re.compile(r",?\s*(?:and|&)\s*")
LISTED = re.compile(r"\s*,\s*")
"""What joins names listed together: "and" before the last of them, commas before the others (a comma
alone may follow a name addressed: "Ann, Bob must pay")."""
SOFTENED = re.compile(r"\b(?:could|would|might|may|perhaps|maybe)\b|\?", re.IGNORECASE)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def content_stems(text: str, *, size: int = 5) -> set[str]:
    """Content words cut to `size` letters: a crude, language-agnostic stemmer."""
    return {w[:size] for w in words(text) if w not in STOPWORDS and len(w) > 2}


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text.strip()) if s]


def names(text: str) -> list[str]:
    """Capitalised words that do not open a line or a sentence, and the names a sentence opens by
    addressing them ("Ann and Bob, …"): likely names."""
    found = []
    for line in text.splitlines():
        for sentence in sentences(line.strip().lstrip("-•* ")):
            opener = CAPITALISED.match(sentence) and not ADDRESSED.match(sentence)
            found += CAPITALISED.findall(sentence)[1 if opener else 0 :]
    return found


def _number(token: str) -> str:
    value = token.replace(",", "")
    return value[:-3] if value.endswith(".00") else value.rstrip(".")


def figures(text: str) -> set[str]:
    """The numbers of `text`, written alike: no thousands separators, no ".00"."""
    return {_number(n) for n in NUMBER.findall(text)}


def grounded(text: str, *, source: str, lang: str | None = None) -> Check:
    """Names, numbers and dates in `text` must all occur in `source`.

    Names are told by their capital letter, so in a language that capitalises every noun (German), where
    any new noun would look like an invented name, only numbers and dates are checked.
    """
    vocabulary = set(words(source))
    numbers = figures(source)
    claims = [("number", _number(n)) for n in NUMBER.findall(text)]
    claims += [("name", w) for w in names(text) if lang not in NOUNS_CAPITALISED]
    claims += [("date", w) for w in words(text) if w in MONTHS]
    unsupported = [
        value
        for kind, value in claims
        if (value not in numbers if kind == "number" else value.lower() not in vocabulary | ALWAYS_ALLOWED)
    ]
    score = 1 - len(unsupported) / len(claims) if claims else 1.0
    return check("grounded", score, threshold=1.0, detail=", ".join(dict.fromkeys(unsupported)))


def in_role(text: str, *, parties: tuple[str, ...], party_texts: list[str]) -> Check:
    """The text never speaks as a party: no party's first-person claims, no 'Name:' prefix."""
    flagged = []
    party_grams = {g for t in party_texts for g in _grams(t, 5) if {"i", "my", "me"} & set(g)}
    for sentence in sentences(text):
        as_party = any(sentence.lstrip().startswith(f"{name}:") for name in parties)
        copied = bool(party_grams & set(_grams(sentence, 5)))
        if as_party or copied or PARTY_VOICE.search(sentence):
            flagged.append(sentence[:60])
    total = max(len(sentences(text)), 1)
    return check("in_role", 1 - len(flagged) / total, threshold=1.0, detail=" | ".join(flagged))


def _grams(text: str, n: int) -> list[tuple[str, ...]]:
    tokens = words(text)
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def stance(text: str, parties: tuple[str, ...]) -> dict[str, float]:
    """Stance toward each party: favourable minus adverse cues.

    Each cue goes to the nearest party named before it in its sentence, or to every party of the names
    listed together there ("Ann and Bob, what would each of you need to…" leans toward neither); an adverse
    cue in a softened sentence (a question, 'could', 'would') counts half.
    """
    scores = dict.fromkeys(parties, 0.0)
    if not parties:
        return scores
    names = re.compile(r"\b(" + "|".join(re.escape(p) for p in parties) + r")\b")
    for sentence in sentences(text):
        weight = 0.5 if SOFTENED.search(sentence) else 1.0
        for pattern, sign in ((ADVERSE, -weight), (FAVOURABLE, 1.0)):
            for cue in pattern.finditer(sentence):
                for party in _nearest_named(sentence, list(names.finditer(sentence[: cue.start()]))):
                    scores[party] += sign
    return scores


def _nearest_named(sentence: str, before: list[re.Match[str]]) -> set[str]:
    """The last party named in `before`, with those listed together with it ("Ann, Bob and Cy")."""
    if not before:
        return set()
    group = {before[-1].group(1)}
    for joins, (right, left) in enumerate(itertools.pairwise(reversed(before))):
        joiner = (AND if joins == 0 else LISTED).fullmatch(sentence[left.end() : right.start()])
        if not joiner:
            break
        group.add(left.group(1))
    return group


def neutral(text: str, parties: tuple[str, ...]) -> Check:
    """Equal stance toward every party."""
    values = stance(text, parties)
    spread = max(values.values()) - min(values.values()) if values else 0.0
    detail = ", ".join(f"{name} {value:+g}" for name, value in values.items())
    return check("neutral", 1 / (1 + spread), threshold=1.0, detail=detail)


def instruction_followed(text: str, instruction: str | None, *, has_options: bool) -> Check:
    """Most content words of the instruction appear; 'ask' needs a question, 'propose' an option."""
    if not instruction:
        return check("instruction", 1.0, threshold=0.5, detail="no instruction")
    wanted = content_stems(instruction, size=4)
    found = wanted & content_stems(text, size=4)
    score = len(found) / len(wanted) if wanted else 1.0
    verb = words(instruction)[:1]
    if (verb == ["ask"] and "?" not in text) or (verb in (["propose"], ["suggest"]) and not has_options):
        score = min(score, 0.25)
    return check("instruction", score, threshold=0.5, detail="missing: " + ", ".join(sorted(wanted - found)))


def no_leak(text: str, *, secret: str, n: int = 8) -> Check:
    """No run of `n` words from `secret` (the system prompt's instructions) appears in `text`."""
    leaked = set(_grams(secret, n)) & set(_grams(text, n))
    detail = " ".join(next(iter(leaked), ()))
    return check("no_prompt_leak", 0.0 if leaked else 1.0, threshold=1.0, detail=detail)


def in_language(text: str, lang: str | None) -> Check:
    """The text is in language `lang` (`signals.language.reads_as`); not checked when `lang` is unknown."""
    if lang is None:
        return check("language", 1.0, threshold=1.0, detail="expected language unknown; not checked")
    verdict = reads_as(text, lang)
    found = detect_language(text).lang
    return check(
        "language", float(verdict is not False), threshold=1.0, detail=f"expected {lang}, read {found}"
    )


def fluent_parts(parts: list[str], lang: str | None = None, *, model: bool = False) -> Check:
    """Every part (a draft's sections, a summary's statements) is whole sentences (`fluent`), each in
    `lang` or, when it is None, in the language detected for it; the score is the worst part's. By default
    rules only: the English scorer's threshold was set on short messages, and names in long mediator
    texts surprise it."""
    parts = [p for p in parts if p.strip()]
    if not parts:
        return check("fluent", 1.0, threshold=1.0, detail="nothing to read")
    verdicts = [fluent(p, lang or detect_language(p).lang, model=model) for p in parts]
    worst = min(verdicts, key=lambda v: v.score)
    broken = [p[:40] for p, v in zip(parts, verdicts, strict=True) if not v.passed]
    detail = f"{worst.detail}: " + " | ".join(broken) if broken else worst.detail
    return worst.model_copy(update={"detail": detail})


def support(statement: str, evidence: str) -> float:
    """Share of the statement's content words found in the evidence."""
    wanted = content_stems(statement)
    return len(wanted & content_stems(evidence)) / len(wanted) if wanted else 0.0


def instructions(system: str) -> str:
    """A system prompt without its worked examples (which a good answer may echo in style)."""
    return system.partition("\n\nExample")[0]


VERDICT = re.compile(
    r"\b(?:(?:has|have|had)\s+been|(?:is|are|was|were)(?:\s+now)?)\s+(?:verified|confirmed|proven|proved|"
    r"established|validated|true|correct|accurate|a fact)\b|\bI\s+(?:can\s+|have\s+)?(?:verif(?:y|ied)|"
    r"confirm(?:ed)?)\b|\b(?:verified|confirmed|proven)\s+(?:that|as|statement|claim|fact|account|version)\b|"
    r"\b(?:(?:it|that|this)\s+is|that's|it's)\s+(?:true|a fact|correct|right)\b|"
    r"\b(?:vérifiée?s?|confirmée?s?|avérée?s?|est\s+vrai|bestätigt|überprüft|verifiziert|ist\s+wahr|"
    r"verificad[oa]s?|confirmad[oa]s?|es\s+(?:verdad|cierto))\b",
    re.IGNORECASE,
)
UNVERIFIED = re.compile(
    r"\b(?:not|neither|nor|no|nothing|none|yet|cannot|can't|unless|if|whether|pas|nicht|kein\w*|ni)\b", re.I
)


def no_verdict(text: str, *, parties: tuple[str, ...] = ()) -> Check:
    """The mediator never declares a claim verified, confirmed or true in its own voice: a question, a
    negation ("neither account has been verified") or a party's report ("Ana says it was confirmed") is
    not a declaration."""
    reporter = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in parties) + r")\b") if parties else None
    declared = []
    for sentence in sentences(text):
        cue = VERDICT.search(sentence)
        if cue is None or sentence.rstrip().endswith("?"):
            continue
        before = sentence[: cue.start()]
        if UNVERIFIED.search(before) or (reporter and reporter.search(before) and REPORTED.search(before)):
            continue
        declared.append(sentence[:60])
    return check("no_verdict", 0.0 if declared else 1.0, threshold=1.0, detail=" | ".join(declared))


REPORTED = re.compile(
    r"\b(?:says?|said|claims?|claimed|insists?|reports?|writes?|wrote|told|according)\b", re.I
)


def figures_kept(source: str, text: str) -> Check:
    """Every number of `source` is in `text` (thousands separators aside): amounts and dates are the facts."""
    missing = sorted(figures(source) - figures(text))
    return check("figures_kept", 0.0 if missing else 1.0, threshold=1.0, detail=" ".join(missing))
