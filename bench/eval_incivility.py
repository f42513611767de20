"""Incivility detector vs alt-profanity-check on the held-out test split: ROC-AUC, F1, FPR per language.

Usage: python bench/eval_incivility.py [--data ../shared/data]

The test split is fixed by commonground.signals.incivility.data (MD5 buckets; GermEval's official test file;
Spanish TextDetox inputs and the hand-written French and Spanish sets). The detector runs as deployed: it
detects each message's language itself. Baseline flags at 0.5, the detector at DEFAULT_THRESHOLD.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
from profanity_check import predict_prob

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.evaluation.classification import f1, false_positive_rate, roc_auc
from commonground.evaluation.detection import identity_false_positive_rates
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.incivility.data import Example, load_examples

BASELINE_THRESHOLD = 0.5


def _ours(detector: IncivilityDetector, texts: list[str]) -> list[float]:
    return [s.probability for s in detector.score_many(texts)]


def _baseline(texts: list[str]) -> list[float]:
    return [float(p) for p in predict_prob(texts)]


def _row(name: str, labels: list[int], ours: list[float], base: list[float]) -> str:
    cells = [f"{name:<22}", f"{len(labels):>6}", f"{sum(labels):>6}"]
    for probabilities, threshold in ((ours, DEFAULT_THRESHOLD), (base, BASELINE_THRESHOLD)):
        auc = roc_auc(labels, probabilities)
        fpr = false_positive_rate(labels, probabilities, threshold)
        cells += [f"{auc:>7.3f}", f"{f1(labels, probabilities, threshold):>6.3f}", f"{fpr:>6.3f}"]
    return " ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA)
    args = parser.parse_args()
    detector = IncivilityDetector.load()
    test = [e for e in load_examples(script_data(args.data)) if e.split == "test"]
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in test:
        groups[example.lang].append(example)
        groups[f"{example.lang}/{example.source}"].append(example)

    print(
        f"incivility detector {detector.version}, threshold {DEFAULT_THRESHOLD}; baseline alt-profanity-check"
    )
    print(
        f"{'test split':<22} {'n':>6} {'toxic':>6} "
        + " ".join(f"{h:>7} {'F1':>6} {'FPR':>6}" for h in ("AUC", "bAUC"))
    )
    every_ours, every_base, every_labels = [], [], []
    language_fpr: dict[str, dict[str, float]] = {"detector": {}, "baseline": {}}
    for name in sorted(groups, key=lambda n: (n.split("/")[0], "/" in n, n)):
        examples = groups[name]
        texts, labels = [e.text for e in examples], [e.label for e in examples]
        ours, base = _ours(detector, texts), _baseline(texts)
        if "/" not in name:
            every_ours += ours
            every_base += base
            every_labels += labels
            language_fpr["detector"][name] = false_positive_rate(labels, ours, DEFAULT_THRESHOLD)
            language_fpr["baseline"][name] = false_positive_rate(labels, base, BASELINE_THRESHOLD)
        print(_row(name, labels, ours, base))
    print(_row("all", every_labels, every_ours, every_base))
    print("(AUC/F1/FPR: detector; bAUC/F1/FPR: baseline. Sources are hash-split held-out test data, except")
    print(" de/germeval = official GermEval 2018 test file, es/textdetox = TextDetox toxic-only inputs, and")
    print(" fr|es/handwritten = 30 civil + 30 uncivil sentences written for this evaluation.)")

    overall = {
        "detector": false_positive_rate(every_labels, every_ours, DEFAULT_THRESHOLD),
        "baseline": false_positive_rate(every_labels, every_base, BASELINE_THRESHOLD),
    }
    identity = {
        "detector": identity_false_positive_rates(lambda texts, _: _ours(detector, texts), DEFAULT_THRESHOLD),
        "baseline": identity_false_positive_rates(lambda texts, _: _baseline(texts), BASELINE_THRESHOLD),
    }
    print(
        "\nidentity sentences (templates: signals/incivility/fairness.py): FPR per language, ratio to overall"
    )
    for system in ("detector", "baseline"):
        rates = identity[system]
        pooled = float(np.mean(list(rates.values())))
        per_lang = ", ".join(f"{lang} {rate:.3f}" for lang, rate in rates.items())
        ratio = pooled / overall[system] if overall[system] else float("inf")
        worst = max(rates.values()) / overall[system] if overall[system] else float("inf")
        own = ", ".join(
            f"{lang} {rate / language_fpr[system][lang]:.2f}x"
            for lang, rate in rates.items()
            if language_fpr[system].get(lang)
        )
        print(
            f"{system:<9} overall FPR {overall[system]:.3f} | identity FPR {per_lang} | mean {pooled:.3f} "
            f"| ratio mean {ratio:.2f}x, worst language {worst:.2f}x (limit 1.5x) "
            f"| vs the language's own FPR: {own or 'n/a'}"
        )


if __name__ == "__main__":
    main()
