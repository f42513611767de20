"""Derailment forecaster on the held-out split of Conversations Gone Awry (CMV), beside CRAFT's figures.

Run from the project root: `.venv/bin/python bench/eval_forecast.py [--data PATH]`.
The split is `split_corpus()`: 30 % of the conversations, stratified, fixed by a seeded hash of convo_id;
the shipped artefact was trained and tuned on the other 70 % only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import DATA_PATH, read_corpus, split_corpus

CRAFT = (
    "CRAFT (Chang & Danescu-Niculescu-Mizil 2019, ConvoKit, Wikipedia talk pages): accuracy 0.664, F1 0.697"
)


def metrics(predicted: list[bool], actual: list[bool]) -> dict[str, float]:
    """Accuracy, precision, recall, F1 and false-positive rate of boolean predictions."""
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    fn = sum(a and not p for p, a in zip(predicted, actual, strict=True))
    tn = len(actual) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "accuracy": (tp + tn) / len(actual),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "fpr": fp / (fp + tn) if fp + tn else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    args = parser.parse_args()
    _, test = split_corpus(read_corpus(args.data))
    forecaster = DerailmentForecaster.load()
    risks = [forecaster.risk(row["texts"]) for row in test]
    actual = [row["derails"] for row in test]
    result = metrics([risk >= forecaster.threshold for risk in risks], actual)
    print(
        f"held-out split: {len(test)} conversations ({sum(actual)} derail); model {forecaster.meta['name']}"
    )
    print(f"threshold {forecaster.threshold:.2f} (chosen on the training folds)")
    print("  ".join(f"{name} {value:.3f}" for name, value in result.items()))
    print(f"reference: {CRAFT}; CMV: ~0.63-0.66 accuracy")


if __name__ == "__main__":
    main()
