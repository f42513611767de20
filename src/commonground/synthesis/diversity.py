"""Diversity of a set of synthetic conversations: lexical, topical, and persona coverage.

Lexical: distinct-n (distinct n-grams over all n-grams of every message, Li et al. 2016) and the share of
messages whose text also occurs in another conversation. Topical: scenarios and topics covered, the entropy
of the topic distribution, and, on a sample, the mean pairwise cosine of conversation embeddings
(multilingual-e5-small: unrelated texts score about 0.78, so lower means more varied). Personas: how many
of the chosen profiles, temperaments, verbosities, languages and stances appear, and how often.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from commonground.core.conversation import Conversation
from commonground.synthesis.personas import Profile
from commonground.synthesis.quality import normalised
from commonground.tasks.checks import words

EMBEDDED_CHARS = 1000  # of each conversation's text, for the topical embedding


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Distinct n-grams over all n-grams of the texts (0 when there are none)."""
    grams: list[tuple[str, ...]] = []
    for text in texts:
        tokens = words(text)
        grams += [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return round(len(set(grams)) / len(grams), 4) if grams else 0.0


def lexical(conversations: Sequence[Conversation]) -> dict[str, Any]:
    texts = [message.text for conversation in conversations for message in conversation.messages]
    owners: dict[str, set[str]] = {}
    for conversation in conversations:
        for message in conversation.messages:
            owners.setdefault(normalised(message.text), set()).add(conversation.id)
    reused = sum(len(owners[normalised(text)]) > 1 for text in texts)
    return {
        "messages": len(texts),
        "mean_words": round(sum(len(words(text)) for text in texts) / len(texts), 2) if texts else 0.0,
        "distinct_1": distinct_n(texts, 1),
        "distinct_2": distinct_n(texts, 2),
        "distinct_3": distinct_n(texts, 3),
        "reused_messages": round(reused / len(texts), 4) if texts else 0.0,
    }


def topical(conversations: Sequence[Conversation], *, embed_sample: int = 0) -> dict[str, Any]:
    topics = Counter(str(conversation.meta.get("topic")) for conversation in conversations)
    total = sum(topics.values())
    entropy = -sum(count / total * math.log2(count / total) for count in topics.values()) if total else 0.0
    result: dict[str, Any] = {
        "kinds": dict(Counter(conversation.kind for conversation in conversations)),
        "scenarios": len({conversation.meta.get("scenario") for conversation in conversations}),
        "topics": len(topics),
        "topic_entropy_bits": round(entropy, 4),
        "embedding": None,
    }
    if embed_sample > 1 and len(conversations) > 1:
        result["embedding"] = _embedding_spread(conversations, embed_sample)
    return result


def _embedding_spread(conversations: Sequence[Conversation], sample: int) -> dict[str, Any]:
    from commonground.tasks.similarity import embed

    step = max(1, len(conversations) // sample)
    chosen = conversations[::step][:sample]
    texts = [" ".join(m.text for m in c.messages)[:EMBEDDED_CHARS] for c in chosen]
    vectors = embed(texts)
    cosines = vectors @ vectors.T
    off_diagonal = cosines[~np.eye(len(texts), dtype=bool)]
    return {"sample": len(texts), "mean_pairwise_cosine": round(float(off_diagonal.mean()), 4)}


def persona_coverage(conversations: Sequence[Conversation], profiles: Sequence[Profile]) -> dict[str, Any]:
    """Counts per profile, temperament, verbosity, language and stance, and the share of profiles used."""
    described = [p for conversation in conversations for p in conversation.meta.get("personas", [])]
    counts = {
        field: dict(sorted(Counter(p[field] for p in described).items()))
        for field in ("profile", "temperament", "verbosity", "lang", "stance")
    }
    used = {p["profile"] for p in described}
    langs = {p["lang"] for p in described}
    pairs = {(p["profile"], p["lang"]) for p in described}
    return {
        "personas": len(described),
        "profile_coverage": round(len(used & {p.name for p in profiles}) / len(profiles), 4),
        "profile_language_coverage": round(len(pairs) / (len(profiles) * len(langs)), 4) if langs else 0.0,
        **counts,
    }
