"""Quality control of synthetic conversations: deduplication and label validation with the detector.

Two conversations are duplicates when their messages read the same once lowercased and stripped of
punctuation. Label validation scores every message with the project's incivility detector and reports, per
ground-truth label (and per escalation type, stage and language), the share of messages the detector
agrees with, with a 95 % bootstrap interval, and Cohen's kappa over all of them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from commonground.core.conversation import Conversation, Message
from commonground.evaluation.bootstrap import estimate
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector

LABELS = ("civil", "uncivil")
_NOT_WORD = re.compile(r"[\W_]+")
DISAGREEMENT_EXAMPLES = 5


def normalised(text: str) -> str:
    """`text` lowercased, its punctuation and spacing reduced to single spaces."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def fingerprint(conversation: Conversation) -> str:
    """A digest of the conversation's normalised message texts."""
    normalised_texts = "\n".join(normalised(message.text) for message in conversation.messages)
    return hashlib.sha256(normalised_texts.encode("utf-8")).hexdigest()


class Deduplicator:
    """Admits each conversation once; counts the duplicates it turned away."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self.dropped = 0

    def admit(self, conversation: Conversation) -> bool:
        key = fingerprint(conversation)
        if key in self._seen:
            self.dropped += 1
            return False
        self._seen.add(key)
        return True


def deduplicate(conversations: Iterable[Conversation]) -> tuple[list[Conversation], int]:
    """The conversations without duplicates (first kept) and how many were dropped."""
    deduplicator = Deduplicator()
    kept = [conversation for conversation in conversations if deduplicator.admit(conversation)]
    return kept, deduplicator.dropped


def label_agreement(
    conversations: Sequence[Conversation], *, detector: IncivilityDetector | None = None
) -> dict[str, Any]:
    """How often the incivility detector agrees with each message's ground-truth label."""
    labelled = [(c, m) for c in conversations for m in c.messages if m.meta.get("label") in LABELS]
    detector = detector or IncivilityDetector.load()
    scores = detector.score_many([m.text for _, m in labelled], [m.lang for _, m in labelled])
    rows = [
        (conversation, message, score.probability)
        for (conversation, message), score in zip(labelled, scores, strict=True)
        if score.supported
    ]
    truth = np.array([message.meta["label"] == "uncivil" for _, message, _ in rows], dtype=bool)
    flagged = np.array([probability >= DEFAULT_THRESHOLD for *_, probability in rows], dtype=bool)
    agree = truth == flagged
    report: dict[str, Any] = {
        "detector": detector.version,
        "threshold": DEFAULT_THRESHOLD,
        "messages": len(rows),
        "unsupported_language": len(labelled) - len(rows),
        "agreement": _share(agree),
        "cohen_kappa": _kappa(truth, flagged),
    }
    for name, key in (
        ("by_label", _label),
        ("by_escalation", _escalation),
        ("by_stage", _stage),
        ("by_language", _language),
    ):
        report[name] = _grouped(rows, agree, key)
    report["disagreements"] = _examples(rows, agree)
    return report


def _label(message: Message) -> str | None:
    return message.meta["label"]


def _escalation(message: Message) -> str | None:
    return message.meta.get("escalation")


def _stage(message: Message) -> str | None:
    return message.meta.get("stage")


def _language(message: Message) -> str | None:
    return message.lang


def _grouped(
    rows: Sequence[tuple[Conversation, Message, float]],
    agree: np.ndarray,
    key: Callable[[Message], str | None],
) -> dict[str, dict[str, float | int | None]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for (_, message, _), agreed in zip(rows, agree, strict=True):
        if (group := key(message)) is not None:
            groups[group].append(bool(agreed))
    return {group: _share(np.array(values)) for group, values in sorted(groups.items())}


def _share(agree: np.ndarray) -> dict[str, float | int | None]:
    """The share of agreement with its bootstrap interval (None where undefined)."""
    if not len(agree):
        return {"value": None, "low": None, "high": None, "n": 0}
    result = estimate(np.mean, agree.astype(float)).as_dict()
    return {key: None if math.isnan(value) else round(value, 4) for key, value in result.items()}


def _kappa(truth: np.ndarray, flagged: np.ndarray) -> float | None:
    """Cohen's kappa, or None when it is undefined (one class only on both sides)."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(truth) | set(flagged)) < 2:
        return None
    return round(float(cohen_kappa_score(truth, flagged)), 4)


def _examples(rows: Sequence[tuple[Conversation, Message, float]], agree: np.ndarray) -> list[dict[str, Any]]:
    examples: list[dict[str, Any]] = []
    per_label: dict[str, int] = defaultdict(int)
    for (conversation, message, probability), agreed in zip(rows, agree, strict=True):
        label = message.meta["label"]
        if not agreed and per_label[label] < DISAGREEMENT_EXAMPLES:
            per_label[label] += 1
            examples.append(
                {
                    "conversation": conversation.id,
                    "message": message.id,
                    "label": label,
                    "probability": round(probability, 3),
                    "text": message.text,
                }
            )
    return examples
