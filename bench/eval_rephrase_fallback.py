"""The rephrase fallback alone (no model) on held-out toxic sentences: how often it suggests, and what.

    python bench/eval_rephrase_fallback.py [--items 150] [--source civil|paradetox-test] [--seed 11] [--show]

Inputs: a seeded sample of the toxic sentences of the Civil Comments dev set, or of ParaDetox's held-out
test split (bucket 9). Reports the share of drafts that get a suggestion, and among those shown the share
the fluency check rejects (broken), the detector still flags (toxic), or that equal the draft; `--show`
prints every suggestion beside its draft, to read by hand.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from rich.console import Console

from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.tasks.fluency import fluent
from commonground.tasks.rephrase import RephraseRequest, RephraseTask
from commonground.tasks.rephrase.examples import paradetox_pairs

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CIVIL = DATA / "toxicity" / "civil-comments-sentences" / "dev_toxic.txt"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=150, help="held-out ParaDetox test sentences")
    parser.add_argument("--source", choices=("civil", "paradetox-test"), default="civil")
    parser.add_argument("--seed", type=int, default=11, help="seed of the sample")
    parser.add_argument("--show", action="store_true", help="print each suggestion beside its draft")
    args = parser.parse_args()
    detector = IncivilityDetector.load()
    task = RephraseTask(detector=detector)
    if args.source == "civil":
        pool = [line.strip() for line in CIVIL.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        pool = [t for t, _ in paradetox_pairs(DATA, split="test")]
    sources = random.Random(args.seed).sample(pool, args.items)
    console = Console()
    shown = broken = toxic = same = 0
    for text in sources:
        suggestion = task.fallback(RephraseRequest(text, "en")).rephrased
        if not suggestion:
            continue
        shown += 1
        broken += not fluent(suggestion, "en").passed
        toxic += detector.score(suggestion, "en").probability >= DEFAULT_THRESHOLD
        same += suggestion.strip().lower() == text.strip().lower()
        if args.show:
            console.print(f"{text}\n  → {suggestion}", markup=False)
    console.print(
        f"{len(sources)} drafts: suggestion for {shown} ({shown / len(sources):.0%}); among them broken "
        f"{broken}, toxic {toxic}, unchanged {same}"
    )


if __name__ == "__main__":
    main()
