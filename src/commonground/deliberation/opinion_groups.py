"""Opinion groups from a vote matrix the Polis way, each group's representative comments, and consensus.

Groups: participants with enough votes, missing votes imputed with the comment's mean, PCA to two
components (projections scaled up for sparse voters, as Polis does), k-means with k chosen by silhouette
in 2..5. Representativeness follows Polis: with add-one smoothing, `pa = (1 + agrees) / (2 + seen)`; a
comment represents a group when the group agrees (or disagrees) clearly (z-test against 1/2) and more than
everyone else (two-proportion z-test); the score is `ra · rat · pa · pat`. Consensus: comments that
every group agrees with (`pa` ≥ 0.6), ranked by the product of the groups' `pa`.

A comment sets one group apart, not two: a consensus comment is reported as consensus only, and a comment
representative of several groups (with two groups, what one agrees with the other often rejects) belongs
to the group that ranks it highest among its own representative comments (ranks, unlike scores, do not
grow with a group's size), the higher `ra · pa` on a tie. Every group keeps at least its best comment,
however small it is. `TOP` is how many of a group's comments Polis shows as representative: the ones
coverage is measured on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from commonground.deliberation.polis import PolisExport

MIN_VOTES = 7
K_RANGE = range(2, 6)
Z_90 = 1.2816
TOP = 5
CONSENSUS_AGREE = 0.6
MAX_CONSENSUS = 5
UNGROUPED = -1


@dataclass(frozen=True)
class Representative:
    """A comment that sets a group apart: its direction, Polis repness score and agreement shares."""

    comment: int
    direction: Literal["agree", "disagree"]
    score: float
    group_share: float
    rest_share: float


@dataclass(frozen=True)
class OpinionGroup:
    """A group's participants and every comment that sets it apart, best first (Polis shows the `TOP`)."""

    id: int
    members: tuple[int, ...]
    representative: tuple[Representative, ...]


@dataclass(frozen=True)
class OpinionMap:
    """The groups of a conversation, its consensus comments, and how the groups were found."""

    method: str
    groups: tuple[OpinionGroup, ...]
    consensus: tuple[int, ...]


def cluster(votes: np.ndarray, *, k: int | None = None, seed: int = 0) -> tuple[np.ndarray, str]:
    """A group label per participant (UNGROUPED for too few votes), largest group first, and the method."""
    seen = ~np.isnan(votes)
    active = seen.sum(axis=1) >= min(MIN_VOTES, votes.shape[1])
    matrix = votes[active]
    counted = np.maximum(seen[active].sum(axis=0), 1)
    filled = np.where(seen[active], matrix, np.nansum(matrix, axis=0) / counted)
    components = min(2, *filled.shape)
    points = PCA(n_components=components).fit_transform(filled)
    points *= np.sqrt(votes.shape[1] / seen[active].sum(axis=1))[:, None]
    distinct = len(np.unique(points.round(9), axis=0))
    choices = [k] if k else [n for n in K_RANGE if n <= distinct and n < len(points)]
    if not choices:
        raise ValueError(f"too few distinct voters to cluster ({distinct})")
    best: tuple[float, int, np.ndarray] | None = None
    for n in choices:
        found = KMeans(n_clusters=n, n_init=10, random_state=seed).fit_predict(points)
        quality = float(silhouette_score(points, found)) if n < len(points) else 0.0
        if best is None or quality > best[0]:
            best = (quality, n, found)
    assert best is not None
    quality, n, found = best
    order = np.argsort(-np.bincount(found, minlength=n), kind="stable")
    labels = np.full(len(votes), UNGROUPED)
    labels[active] = np.argsort(order)[found]
    return labels, f"pca-kmeans (k={n}, silhouette {quality:.3f})"


def _counts(votes: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    part = votes[rows]
    return (part == 1).sum(axis=0), (part == -1).sum(axis=0), (~np.isnan(part)).sum(axis=0)


def _proportion_z(successes: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Polis's one-proportion test against 1/2, with add-one smoothing."""
    return 2 * np.sqrt(seen + 1) * ((successes + 1) / (seen + 1) - 0.5)


def _two_proportion_z(inside: np.ndarray, seen_in: np.ndarray, outside: np.ndarray, seen_out: np.ndarray):
    """Polis's two-proportion test (group against the rest), with add-one smoothing."""
    s1, n1, s2, n2 = inside + 1, seen_in + 1, outside + 1, seen_out + 1
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(s1 / n1 - s2 / n2, spread, out=np.zeros_like(spread, dtype=float), where=spread > 0)


def representatives(
    votes: np.ndarray, labels: np.ndarray, group: int, *, limit: int | None = TOP
) -> list[Representative]:
    """One group's representative comments (by column), best first, at most `limit` (None: all significant
    ones); never empty when there are comments."""
    inside, rest = labels == group, (labels != group) & (labels != UNGROUPED)
    agree_in, disagree_in, seen_in = _counts(votes, inside)
    agree_out, disagree_out, seen_out = _counts(votes, rest)
    scored = []
    sides = (("agree", agree_in, agree_out), ("disagree", disagree_in, disagree_out))
    for direction, hits, hits_out in sides:
        share, share_out = (1 + hits) / (2 + seen_in), (1 + hits_out) / (2 + seen_out)
        pat, rat = _proportion_z(hits, seen_in), _two_proportion_z(hits, seen_in, hits_out, seen_out)
        score = (share / share_out) * rat * share * pat
        scored.append((direction, score, (pat > Z_90) & (rat > Z_90), share, share_out))
    picked = []
    for column in range(votes.shape[1]):
        direction, score, significant, share, share_out = max(scored, key=lambda item: item[1][column])
        item = Representative(
            comment=column,
            direction=direction,  # type: ignore[arg-type]
            score=round(float(score[column]), 3),
            group_share=round(float(share[column]), 3),
            rest_share=round(float(share_out[column]), 3),
        )
        picked.append((bool(significant[column]), item))
    picked.sort(key=lambda pair: (pair[0], pair[1].score), reverse=True)
    return [item for significant, item in picked if significant][:limit] or [item for _, item in picked[:1]]


def distinct(
    candidates: dict[int, list[Representative]], agreed: set[int]
) -> dict[int, list[Representative]]:
    """Each group's representative comments without consensus ones, each comment kept by one group only:
    the group ranking it highest (then the higher `ra · pa`); a group left with none keeps its best one."""

    def claim(rank: int, item: Representative) -> tuple[int, float]:
        return (-rank, item.group_share**2 / max(item.rest_share, 1e-9))

    owner: dict[int, tuple[tuple[int, float], int]] = {}
    for group, items in candidates.items():
        for rank, item in enumerate(items):
            key = claim(rank, item)
            if item.comment not in agreed and (item.comment not in owner or key > owner[item.comment][0]):
                owner[item.comment] = (key, group)
    kept = {
        group: [item for item in items if owner.get(item.comment, (None, None))[1] == group]
        for group, items in candidates.items()
    }
    return {group: kept[group] or candidates[group][:1] for group in candidates}


def consensus(votes: np.ndarray, labels: np.ndarray) -> list[int]:
    """Columns every group agrees with, most agreed first, at most MAX_CONSENSUS."""
    shares = []
    for group in sorted(set(labels.tolist()) - {UNGROUPED}):
        agree, _, seen = _counts(votes, labels == group)
        shares.append((1 + agree) / (2 + seen))
    if not shares:
        return []
    table = np.vstack(shares)
    product = table.prod(axis=0)
    columns = [c for c in np.argsort(-product, kind="stable") if table[:, c].min() >= CONSENSUS_AGREE]
    return [int(c) for c in columns[:MAX_CONSENSUS]]


def opinion_map(
    export: PolisExport, *, source: Literal["auto", "polis"] = "auto", k: int | None = None
) -> OpinionMap:
    """Groups (found, or Polis's own), their representative comments and the consensus, by comment id."""
    if source == "polis":
        labels = np.array([export.polis_groups.get(p, UNGROUPED) for p in export.participants])
        method = "polis"
    else:
        labels, method = cluster(export.votes, k=k)
    ids = export.comment_ids
    agreed = consensus(export.votes, labels)
    found = sorted(set(labels.tolist()) - {UNGROUPED})
    chosen = distinct(
        {group: representatives(export.votes, labels, group, limit=None) for group in found}, set(agreed)
    )
    groups = []
    for group in found:
        members = tuple(p for p, label in zip(export.participants, labels, strict=True) if label == group)
        rep = tuple(replace(item, comment=ids[item.comment]) for item in chosen[group])
        groups.append(OpinionGroup(id=group, members=members, representative=rep))
    return OpinionMap(method=method, groups=tuple(groups), consensus=tuple(ids[column] for column in agreed))
