"""The quality report of a set of synthetic conversations (JSON): composition, duplicates, label agreement
with the detector, diversity, persona coverage and the attribution of every data source used."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from commonground.core.conversation import Conversation
from commonground.synthesis import diversity, personas, quality
from commonground.synthesis.utterances import SOURCES


def composition(conversations: Sequence[Conversation]) -> dict[str, Any]:
    """Conversations per trajectory, escalation, language and generator; mean turns; derail turns."""

    def count(key: str) -> dict[str, int]:
        return dict(sorted(Counter(str(c.meta.get(key)) for c in conversations).items()))

    turns = [len(c.messages) for c in conversations]
    return {
        "conversations": len(conversations),
        "generator": count("generator"),
        "split": count("split"),  # of the data-only generator's utterances (the detector trained on "train")
        "trajectory": count("trajectory"),
        "escalation": count("escalation"),
        "language": count("lang"),
        "mean_turns": round(sum(turns) / len(turns), 2) if turns else 0.0,
        "derail_turn": {
            str(k): n
            for k, n in sorted(
                Counter(c.meta["derail_turn"] for c in conversations if c.meta.get("derail_turn")).items()
            )
        },
    }


def quality_report(
    conversations: Sequence[Conversation],
    *,
    duplicates_dropped: int = 0,
    validate_labels: bool = True,
    embed_sample: int = 0,
) -> dict[str, Any]:
    """Everything the report holds; `duplicates_dropped` counts duplicates removed during generation."""
    unique, duplicates = quality.deduplicate(conversations)
    sources = sorted({str(m.meta.get("source")) for c in conversations for m in c.messages})
    return {
        "composition": composition(conversations),
        "duplicates": {"dropped_during_generation": duplicates_dropped, "remaining": duplicates},
        "labels": quality.label_agreement(unique) if validate_labels else None,
        "diversity": {
            "lexical": diversity.lexical(unique),
            "topical": diversity.topical(unique, embed_sample=embed_sample),
        },
        "personas": diversity.persona_coverage(unique, personas.profiles()),
        "sources": {source: SOURCES[source] for source in sources if source in SOURCES},
    }
