"""Incivility detector (accurate and fast modes) vs alt-profanity-check, in one run, on held-out data.

Usage: python bench/eval_incivility.py [--data ../shared/data] [--per-group 200] [--seed 0]

Held-out data only, never trained or tuned on: the test split of commonground.signals.incivility.data (MD5
bucket 9 of ParaDetox, Davidson, Civil Comments sentences and the TextDetox inputs in nine languages, toxic
only; GermEval 2018's official test file) and the hand-written sets of `eval_sets/` (30 civil and 30 uncivil
messages each, in fr, es, it, ru, uk, pt, nl, pl, he, zh, ja, ar and hi; fr, it, pt, nl, pl, he and ja have no
training data: the encoder's transfer). Each group is sampled to `--per-group` messages. Reported per group
and per language: ROC-AUC, toxic recall and civil false-alarm rate at each system's default threshold, and
messages left unscored (which count as not flagged). Then: shouted, leetspeak, spaced and masked variants of
the toxic messages each system flags; insults placed inside long civil comments built from held-out civil
sentences; identity template sentences.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from profanity_check import predict_prob

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.evaluation.classification import false_positive_rate, recall, roc_auc
from commonground.evaluation.detection import identity_false_positive_rates
from commonground.signals.incivility import IncivilityDetector
from commonground.signals.incivility.augment import in_long_context, leet, masked, spaced
from commonground.signals.incivility.data import Example, load_examples

Scorer = Callable[[list[str]], list[float | None]]
BASELINE_THRESHOLD = 0.5
TARGET_LANGUAGES = ("en", "fr", "de", "es", "it", "ru", "uk")


def systems() -> dict[str, tuple[Scorer, float]]:
    """Each system's scorer and default threshold."""
    accurate, fast = IncivilityDetector.load("accurate"), IncivilityDetector.load("fast")
    return {
        "accurate": (lambda texts: [s.probability for s in accurate.score_many(texts)], accurate.threshold),
        "fast": (lambda texts: [s.probability for s in fast.score_many(texts)], fast.threshold),
        "alt-profanity-check": (lambda texts: [float(p) for p in predict_prob(texts)], BASELINE_THRESHOLD),
    }


def groups(data: Path, per_group: int, seed: int) -> dict[str, list[Example]]:
    """Held-out examples by `lang/source`, each sampled to `per_group` with its own seed (a new group does not
    change the others' samples)."""
    grouped: dict[str, list[Example]] = defaultdict(list)
    for example in load_examples(data):
        if example.split == "test":
            grouped[f"{example.lang}/{example.source}"].append(example)
    return {
        name: random.Random(f"{seed}-{name}").sample(items, min(per_group, len(items)))
        for name, items in sorted(grouped.items())
    }


def _cells(labels: list[int], scores: list[float | None], threshold: float) -> str:
    filled = [0.0 if s is None else s for s in scores]
    unscored = sum(s is None for s in scores)
    auc = roc_auc(labels, filled) if 0 < sum(labels) < len(labels) else float("nan")
    rec = recall(labels, filled, threshold) if sum(labels) else float("nan")
    fpr = false_positive_rate(labels, filled, threshold) if sum(labels) < len(labels) else float("nan")
    return f"{auc:>6.3f} {rec:>6.3f} {fpr:>6.3f} {unscored:>5}"


def _table(
    title: str, named: dict[str, list[Example]], scored: dict[str, dict[str, list[float | None]]], runs: dict
) -> None:
    print(f"\n{title}")
    header = " ".join(f"{name[:14]:>14} {'AUC':>6} {'recall':>6} {'FPR':>6} {'unsc':>5}" for name in runs)
    print(f"{'group':<26} {'n':>5} {'toxic':>5} {header}")
    for group, examples in named.items():
        labels = [e.label for e in examples]
        cells = " ".join(f"{'':>14} {_cells(labels, scored[name][group], runs[name][1])}" for name in runs)
        print(f"{group:<26} {len(labels):>5} {sum(labels):>5} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA)
    parser.add_argument("--per-group", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    runs = systems()
    named = groups(script_data(args.data), args.per_group, args.seed)
    scored = {
        name: {g: score([e.text for e in ex]) for g, ex in named.items()} for name, (score, _) in runs.items()
    }
    print("thresholds: " + ", ".join(f"{name} {threshold}" for name, (_, threshold) in runs.items()))
    _table("held-out groups (unscored messages count as not flagged)", named, scored, runs)

    by_lang: dict[str, list[Example]] = defaultdict(list)
    lang_scores: dict[str, dict[str, list[float | None]]] = {name: defaultdict(list) for name in runs}
    for group, examples in named.items():
        lang = group.split("/")[0]
        by_lang[lang] += examples
        for name in runs:
            lang_scores[name][lang] += scored[name][group]
    _table("per language", dict(sorted(by_lang.items())), lang_scores, runs)
    missing = [lang for lang in TARGET_LANGUAGES if lang not in by_lang]
    print(f"(no held-out labelled data for: {', '.join(missing) or 'none'})")

    rng = random.Random(args.seed)
    toxic = [e for lang in ("en", "de") for e in by_lang[lang] if e.label == 1 and len(e.text) < 200]
    variants = {
        "shouted": str.upper,
        "leetspeak": leet,
        "spaced": lambda t: spaced(t, rng),
        "masked": lambda t: masked(t, rng),
    }
    print("\nvariants of the en/de toxic messages each system flags: share still flagged")
    for name, (score, threshold) in runs.items():
        flagged = [
            e.text
            for e, s in zip(toxic, score([e.text for e in toxic]), strict=True)
            if (s or 0) >= threshold
        ]
        shares = []
        for kind, change in variants.items():
            kept = score([change(t) for t in flagged])
            shares.append(f"{kind} {np.mean([(s or 0) >= threshold for s in kept]):.3f}")
        print(f"{name:<20} base {len(flagged):>4} | " + ", ".join(shares))

    civil_en = [e for e in by_lang["en"] if len(e.text) < 160]
    long = list(in_long_context(civil_en, count=args.per_group, seed=args.seed))
    long_scores = {
        name: {"en/long-context": score([e.text for e in long])} for name, (score, _) in runs.items()
    }
    _table(
        "insults inside long civil comments (2-4 held-out civil sentences around one held-out toxic one; "
        "label 0: the civil sentences alone)",
        {"en/long-context": long},
        long_scores,
        runs,
    )

    print("\nidentity template sentences (signals/incivility/fairness.py): FPR per language / civil FPR")
    for name, (score, threshold) in runs.items():
        rates = identity_false_positive_rates(
            lambda texts, _, s=score: [v or 0.0 for v in s(texts)], threshold
        )
        civil_rates = []
        for lang, rate in rates.items():
            civil = [
                0.0 if v is None else v
                for e, v in zip(by_lang[lang], lang_scores[name][lang], strict=True)
                if e.label == 0
            ]
            base = float(np.mean([v >= threshold for v in civil])) if civil else float("nan")
            civil_rates.append(f"{lang} {rate:.3f}/{base:.3f}")
        print(f"{name:<20} " + ", ".join(civil_rates))


if __name__ == "__main__":
    main()
