"""Derailment forecaster on the held-out split of Conversations Gone Awry (CMV), beside CRAFT's figures.

Run from the project root: `.venv/bin/python bench/eval_forecast.py [--data PATH] [--mode accurate|fast]
[--model FILE.npz]`. Each incivility detector mode (default: both) is scored with its own shipped artefact,
as the platform runs it; `--model` scores a trained artefact instead, in its own mode unless `--mode` says.
The split is `split_corpus()`: 30 % of the conversations, stratified, fixed by a seeded hash of convo_id;
the shipped artefacts were trained and tuned on the other 70 % only.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from commonground.core.devdata import script_data
from commonground.datasets import ForecastCase, read_cga
from commonground.evaluation.classification import THRESHOLD_METRICS, roc_auc
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import DATA_PATH, split_corpus
from commonground.signals.incivility import IncivilityDetector

MODES = ("accurate", "fast")
CRAFT = (
    "CRAFT (Chang & Danescu-Niculescu-Mizil 2019, ConvoKit, Wikipedia talk pages): accuracy 0.664, F1 0.697"
)


def forecasters(model: Path | None, modes: Sequence[str]) -> list[tuple[str, DerailmentForecaster]]:
    """(detector mode, forecaster) of each mode, all when none is given; `model` alone is scored with the
    detector of its own mode ("none" for a model of conversational cues only)."""
    if model is not None and not modes:
        forecaster = DerailmentForecaster.load(model)
        return [((forecaster.meta.get("incivility") or {"mode": "none"})["mode"], forecaster)]
    return [
        (mode, DerailmentForecaster.load(model, detector=IncivilityDetector.load(mode)))
        for mode in modes or MODES
    ]


def report(forecaster: DerailmentForecaster, mode: str, test: Sequence[ForecastCase]) -> str:
    """One line of held-out figures at the threshold chosen on the training folds."""
    risks = [forecaster.risk(case.texts) for case in test]
    actual = [case.derails for case in test]
    figures = {
        name: metric(actual, risks, forecaster.threshold) for name, metric in THRESHOLD_METRICS.items()
    }
    return (
        f"model {forecaster.meta['name']}, incivility detector {mode}, threshold {forecaster.threshold:.2f}: "
        + "  ".join(f"{name} {value:.3f}" for name, value in figures.items())
        + f"  roc_auc {roc_auc(actual, risks):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    parser.add_argument(
        "--mode", choices=MODES, action="append", default=[], help="a detector mode (repeatable)"
    )
    parser.add_argument("--model", type=Path, help="a trained artefact (.npz) instead of the shipped ones")
    args = parser.parse_args()
    _, test = split_corpus(read_cga(script_data(args.data)))
    print(f"held-out split: {len(test)} conversations ({sum(case.derails for case in test)} derail)")
    for mode, forecaster in forecasters(args.model, args.mode):
        print(report(forecaster, mode, test))
    print(f"reference: {CRAFT}; CMV: ~0.63-0.66 accuracy")


if __name__ == "__main__":
    main()
