"""The accurate mode's cascade on the validation split: what the lexical model decides alone, at what cost.

Usage: python bench/eval_cascade.py [--data ../shared/data]

Validation split only (English and German, the languages the lexical model was trained on; thresholds are
never chosen on the test split). The encoder first reads every message (no cascade); then, for each cascade
of a small grid (civil floor, floor of a message that speaks to someone or matches a lexicon, uncivil
ceiling): the share of messages the lexical model decides, uncivil messages that lose their flag and civil
ones that gain one against the encoder reading them all, recall, false alarms and ROC-AUC. The shipped
cascade is marked with `*`.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.evaluation.classification import roc_auc
from commonground.signals.incivility import IncivilityDetector
from commonground.signals.incivility.data import load_examples
from commonground.signals.incivility.detector import Cascade

BATCH = 1024
FLOORS = (0.1, 0.2, 0.3)
ADDRESSED_FLOORS = (0.05, 0.1)
CEILINGS = (0.8, 0.9, 0.95)


def _probabilities(detector: IncivilityDetector, texts: list[str]) -> np.ndarray:
    scores = [s for i in range(0, len(texts), BATCH) for s in detector.score_many(texts[i : i + BATCH])]
    return np.array([0.0 if s.probability is None else s.probability for s in scores])


def _figures(labels: np.ndarray, probabilities: np.ndarray, threshold: float) -> str:
    """Recall, false-alarm rate and ROC-AUC."""
    flagged = probabilities >= threshold
    auc = roc_auc(labels.tolist(), probabilities.tolist())
    return f"{flagged[labels == 1].mean():>7.4f} {flagged[labels == 0].mean():>7.4f} {auc:>7.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA)
    args = parser.parse_args()
    accurate = IncivilityDetector.load("accurate")
    examples = [
        e
        for e in load_examples(script_data(args.data))
        if e.split == "validation" and e.lang in accurate.artefact.trained_languages
    ]
    texts, labels = [e.text for e in examples], np.array([e.label for e in examples])
    full = _probabilities(IncivilityDetector(accurate.artefact, accurate.encoder, cascade=None), texts)
    lexical = _probabilities(IncivilityDetector.load("fast"), texts)
    threshold = accurate.threshold
    flagged = full >= threshold
    print(f"{len(texts)} validation messages, {labels.sum()} uncivil; threshold {threshold}")
    header = f"{'floor':>6} {'addr.':>6} {'ceil.':>6} {'decided':>8} {'lost':>5} {'gained':>6}"
    print(f"{header} {'recall':>7} {'FPR':>7} {'AUC':>7}")
    print(f"{'encoder on every message':<40} {_figures(labels, full, threshold)}")
    for floor, addressed, ceiling in itertools.product(FLOORS, ADDRESSED_FLOORS, CEILINGS):
        cascade = Cascade(floor, addressed, ceiling)
        scored = _probabilities(IncivilityDetector(accurate.artefact, accurate.encoder, cascade), texts)
        decided = (scored == lexical) & (full != lexical)
        now = scored >= threshold
        lost = int((flagged & ~now & (labels == 1)).sum())
        gained = int((~flagged & now & (labels == 0)).sum())
        mark = "*" if cascade == accurate.cascade else ""
        print(
            f"{floor:>6} {addressed:>6} {ceiling:>6} {decided.mean():>8.3f} {lost:>5} {gained:>6} "
            f"{_figures(labels, scored, threshold)} {mark}"
        )


if __name__ == "__main__":
    main()
