"""The fluency check against hand labels: precision and recall on broken fragments, per split and language.

    OMP_WAIT_POLICY=PASSIVE python bench/eval_fluency.py [--split test|dev|all] [--rules-only]

bench/data/fluency.jsonl: 368 texts labelled fluent or broken by reading them — fragments left by the old
rephrase fallback (the detector's spans deleted) from ParaDetox's training split and TextDetox's training
inputs (de, es), single and double word deletions from ParaDetox training paraphrases, the paraphrases and
TextDetox inputs themselves, the fragments quoted in issue 13, and written French, German, Spanish and
English sentences and fragments. `split` is fixed by the MD5 of the text: the model's threshold was chosen
on `dev`; `test` was not looked at while choosing it. "Positive" is broken: precision is the share of texts
the check rejects that are broken.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from commonground.tasks.fluency import fluent

LABELS = Path(__file__).with_name("data") / "fluency.jsonl"


def row(name: str, items: list[tuple[bool, bool]]) -> list[str]:
    """(broken, rejected) pairs → n, broken, precision, recall, false-rejection rate of fluent texts."""
    tp = sum(b and r for b, r in items)
    rejected, broken = sum(r for _, r in items), sum(b for b, _ in items)
    fluent_rejected = sum(r and not b for b, r in items)
    fluent_total = len(items) - broken
    return [
        name,
        str(len(items)),
        str(broken),
        f"{tp / rejected:.2f}" if rejected else "n/a",
        f"{tp / broken:.2f}" if broken else "n/a",
        f"{fluent_rejected / fluent_total:.2f}" if fluent_total else "n/a",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--rules-only", action="store_true", help="leave the language model out")
    args = parser.parse_args()
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    labels = [item for item in labels if args.split in ("all", item["split"])]
    fluent("Warm up.", "en", model=not args.rules_only)
    results, latencies, misses = [], [], []
    for item in labels:
        started = time.perf_counter()
        verdict = fluent(item["text"], item["lang"], model=not args.rules_only)
        latencies.append(time.perf_counter() - started)
        results.append((item["lang"], not item["fluent"], not verdict.passed))
        if (not item["fluent"]) != (not verdict.passed):
            misses.append(f"{'missed' if verdict.passed else 'false'} [{item['lang']}] {item['text']}")
    table = Table("set", "n", "broken", "precision", "recall", "fluent rejected", title="fluency check")
    table.add_row(*row("all", [(b, r) for _, b, r in results]))
    for lang in sorted({lang for lang, _, _ in results}):
        table.add_row(*row(lang, [(b, r) for g, b, r in results if g == lang]))
    console = Console()
    console.print(table)
    mode = "rules only" if args.rules_only else "rules + SmolLM2-135M (English)"
    console.print(f"{args.split} split, {mode}; latency p50 {statistics.median(latencies) * 1000:.0f} ms")
    for line in misses:
        console.print(line, markup=False)


if __name__ == "__main__":
    main()
