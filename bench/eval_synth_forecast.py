"""Does synthetic data teach the derailment forecaster? Trained on synthetic conversations only, it is tested
on the real held-out Conversations Gone Awry (CMV) split, next to the same model trained on real ones.

Run from the project root: `.venv/bin/python bench/eval_synth_forecast.py [--count 3000] [--seed 0]`.

Synthetic training data: the data-only generator (English, 3-10 turns, civil, derail and recover 2:1:1 so
that half the conversations derail, utterances from the training split of the incivility data; no CGA
text), written as a ConvoKit corpus and read back with `corpus_cases`, as `commonground eval forecast`
reads it: the context of a derailing conversation is every message before its first uncivil one, of a civil
one all but its last message. Both models are `derailment_training.train` (the shipped model's cue features
without incivility scores; C and the threshold chosen by cross-validation on their own training data). The
held-out split is `split_corpus()`'s fixed 30 %, never trained or tuned on.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.datasets import ForecastCase, corpus_cases, read_cga
from commonground.evaluation.classification import THRESHOLD_METRICS, roc_auc
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import DATA_PATH, save_artefact, split_corpus, train
from commonground.synthesis.export import write_convokit
from commonground.synthesis.generators.base import generate
from commonground.synthesis.generators.data import DataGenerator
from commonground.synthesis.plan import Planner, Spec

MIX = {"civil": 2.0, "derail": 1.0, "recover": 1.0}


def synthetic_cases(data_dir: Path, *, count: int, seed: int, folder: Path) -> list[ForecastCase]:
    generator = DataGenerator()
    spec = Spec(count=count, turns=(3, 10), mix=MIX, seed=seed, data_dir=data_dir)
    planner = Planner(spec, languages=generator.languages, needs_openings=True)
    generator.prepare(planner)
    return corpus_cases(write_convokit(generate(generator, planner), folder / "corpus"))


def evaluate(name: str, cases: Sequence[ForecastCase], test: Sequence[ForecastCase], folder: Path) -> None:
    """Train on `cases`, score the held-out `test` cases, print one row."""
    arrays, meta = train(cases, detector=None)
    path = folder / f"{name}.npz"
    save_artefact(arrays, meta, path)
    forecaster = DerailmentForecaster.load(path)
    risks = [forecaster.risk(case.texts) for case in test]
    actual = [case.derails for case in test]
    figures = {key: metric(actual, risks, forecaster.threshold) for key, metric in THRESHOLD_METRICS.items()}
    derailing = sum(case.derails for case in cases)
    print(
        f"{name:<10} trained on {len(cases):>5} ({derailing} derail), threshold {forecaster.threshold:.2f}: "
        + "  ".join(f"{key} {value:.3f}" for key, value in figures.items())
        + f"  roc_auc {roc_auc(actual, risks):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA, help="the development data folder")
    parser.add_argument("--cga", type=Path, default=DATA_PATH, help="the cmv_base_valid.json file")
    parser.add_argument("--count", type=int, default=3000, help="synthetic conversations to train on")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    script_data(args.data)
    real_train, test = split_corpus(read_cga(script_data(args.cga, option="--cga")))
    print(f"held-out CGA (CMV) split: {len(test)} conversations ({sum(c.derails for c in test)} derail)")
    with tempfile.TemporaryDirectory() as folder:
        synthetic = synthetic_cases(args.data, count=args.count, seed=args.seed, folder=Path(folder))
        evaluate("synthetic", synthetic, test, Path(folder))
        evaluate("real", real_train, test, Path(folder))
    print("chance: accuracy 0.500 (balanced); reference: CRAFT 0.664 accuracy on Wikipedia talk pages")


if __name__ == "__main__":
    main()
