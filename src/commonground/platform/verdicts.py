"""How far a model's text was checked, said in words that do not overclaim.

Check scores are not shown to people: a task keeps only a candidate that passes every check, so a shown
score would always read "fine", and the similarity scores behind "meaning" and "fidelity" rate a reversed
meaning as highly as a kept one. A page gets instead a verdict code (for its message catalogue), the codes
of the checks that passed, and the verdict as an English sentence. The scores stay in the database.
"""

from __future__ import annotations

from typing import Any, Literal

NO_ANSWER = "The language model did not answer; try again."
Verdict = Literal["pending", "unavailable", "checked", "template", "translated", "not_translated"]

MEANING_BY_SIMILARITY = frozenset({"meaning", "fidelity"})
"""Checks that compare embeddings: they tell a text on the same topic from an unrelated one, no more."""

LABELS = {
    "civil": "civil",
    "meaning": "on the same topic",
    "fidelity": "on the same topic",
    "length": "of a similar length",
    "grounded": "no names or numbers the conversation does not have",
    "point_of_view": "the author's point of view kept",
    "addressee_kept": "the same person addressed",
    "no_added_apology": "no apology added",
    "language": "in the expected language",
    "figures_kept": "the numbers kept",
    "complete": "every part there",
    "in_role": "in the mediator's voice",
    "neutral": "neutral wording",
    "instruction": "the instruction followed",
    "no_prompt_leak": "no instructions leaked",
    "swap_test": "the same when the parties' names are swapped",
    "addresses_all": "everyone addressed",
    "brief": "brief",
    "calm": "calm",
    "cites_exist": "citing messages that exist",
    "supported": "supported by the cited messages",
    "parties_covered": "every party's position",
    "entailed": "not contradicting the cited messages (judged by the language model)",
}

MEANING_UNCHECKED = "Whether it keeps the meaning was not checked."
SENTENCES: dict[Verdict, str] = {
    "pending": "Being written.",
    "unavailable": NO_ANSWER,
    "checked": "Checked automatically: {checked}.",
    "template": "Written from a template without the language model: none of its answers passed the checks.",
    "translated": "Machine translation. Checked automatically: {checked}. " + MEANING_UNCHECKED,
    "not_translated": "No translation passed the checks; the message is shown as written.",
}


def passed(checks: list[dict[str, Any]]) -> list[str]:
    """The names of the checks that passed, in their order."""
    return [c["name"] for c in checks if c.get("passed")]


def _listed(names: list[str]) -> str:
    labels = list(dict.fromkeys(LABELS.get(name, name.replace("_", " ")) for name in names))
    return ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1] if labels else "nothing"


def of_suggestion(
    status: str, *, written: bool, method: str | None, checks: list[dict[str, Any]]
) -> tuple[Verdict, str]:
    """The verdict on a rephrasing, draft, intervention or summary (`written`: it has its text), and its
    sentence; the meaning counts as checked only where the entailment judge looked at it."""
    if not written:
        return ("pending", SENTENCES["pending"]) if status == "pending" else ("unavailable", NO_ANSWER)
    if method == "fallback":
        return "template", SENTENCES["template"]
    names = passed(checks)
    sentence = SENTENCES["checked"].format(checked=_listed(names))
    return "checked", sentence if "entailed" in names else f"{sentence} {MEANING_UNCHECKED}"


def beyond_similarity(checks: list[dict[str, Any]]) -> list[str]:
    """The passed checks of a translation that say something (not the embedding similarity)."""
    return [name for name in passed(checks) if name not in MEANING_BY_SIMILARITY]


def of_translation(status: str, checks: list[dict[str, Any]]) -> tuple[Verdict, str]:
    """The verdict on a translation, and its sentence."""
    if status in ("pending", "unavailable"):
        return status, SENTENCES[status]  # type: ignore[return-value]
    if status != "translated":
        return "not_translated", SENTENCES["not_translated"]
    return "translated", SENTENCES["translated"].format(checked=_listed(beyond_similarity(checks)))
