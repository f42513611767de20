"""Derailment forecaster on the held-out split of Conversations Gone Awry (CMV), beside CRAFT's figures.

Run from the project root: `.venv/bin/python bench/eval_forecast.py [--data PATH] [--model FILE.npz]`.
The split is `split_corpus()`: 30 % of the conversations, stratified, fixed by a seeded hash of convo_id;
the shipped artefact was trained and tuned on the other 70 % only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commonground.core.devdata import script_data
from commonground.datasets import read_cga
from commonground.evaluation.classification import THRESHOLD_METRICS
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import DATA_PATH, split_corpus

CRAFT = (
    "CRAFT (Chang & Danescu-Niculescu-Mizil 2019, ConvoKit, Wikipedia talk pages): accuracy 0.664, F1 0.697"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    parser.add_argument("--model", type=Path, help="a trained artefact (.npz) instead of the shipped one")
    args = parser.parse_args()
    _, test = split_corpus(read_cga(script_data(args.data)))
    forecaster = DerailmentForecaster.load(args.model)
    risks = [forecaster.risk(case.texts) for case in test]
    actual = [case.derails for case in test]
    result = {name: metric(actual, risks, forecaster.threshold) for name, metric in THRESHOLD_METRICS.items()}
    print(
        f"held-out split: {len(test)} conversations ({sum(actual)} derail); model {forecaster.meta['name']}"
    )
    print(f"threshold {forecaster.threshold:.2f} (chosen on the training folds)")
    print("  ".join(f"{name} {value:.3f}" for name, value in result.items()))
    print(f"reference: {CRAFT}; CMV: ~0.63-0.66 accuracy")


if __name__ == "__main__":
    main()
