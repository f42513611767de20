"""Rephrase before posting: a calmer wording that keeps the author's meaning, verified, with a fallback."""

from commonground.tasks.rephrase.task import RephraseRequest, RephraseTask, Rephrasing

__all__ = ["RephraseRequest", "RephraseTask", "Rephrasing"]
