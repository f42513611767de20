"""Why rephrasings fall back: the rephrase task on toxic sentences the prompt and the checks may be tuned on.

    python bench/eval_rephrase_failures.py [--items 30] [--source paradetox|civil] [--out FILE]

Inputs: ParaDetox's validation split (bucket 8 of the MD5 split: neither the few-shot examples, which come
from the training split, nor the held-out test split), or toxic sentences of the Civil Comments dev set;
seeded samples. Reports the share of results by method, the fallback share per failed check of the last
candidate (a fallback can have several), the failed checks of every model candidate, the fallback's
outcome (a suggestion, or none), and the latency.
Per-item results go to artifacts/rephrase_failures.jsonl (or --out).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import track

from commonground.core.settings import load_settings
from commonground.llm import open_model
from commonground.signals.incivility import IncivilityDetector
from commonground.tasks.base import Check
from commonground.tasks.rephrase import RephraseRequest, RephraseTask, Rephrasing
from commonground.tasks.rephrase.examples import paradetox_pairs

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
OUT = Path(__file__).resolve().parents[1] / "artifacts" / "rephrase_failures.jsonl"
CIVIL = DATA / "toxicity" / "civil-comments-sentences" / "dev_toxic.txt"


def inputs(source: str, count: int) -> list[str]:
    if source == "civil":
        lines = [line.strip() for line in CIVIL.read_text(encoding="utf-8").splitlines() if line.strip()]
        return random.Random(7).sample(lines, count)
    toxic = [t for t, _ in paradetox_pairs(DATA, split="validation")]
    return random.Random(7).sample(toxic, count)


def failed_checks(reason: str | None) -> list[str]:
    """The check names in a fallback reason ("failed checks: civil (…); meaning (…)")."""
    if not reason or not reason.startswith("failed checks: "):
        return [(reason or "none").split(":")[0]]
    return [part.split(" (")[0] for part in reason.removeprefix("failed checks: ").split("; ")]


class RecordingTask(RephraseTask):
    """The rephrase task, keeping each verified output with the names of the checks it failed."""

    verified: list[tuple[str, list[str]]]

    def verify(self, request: RephraseRequest, output: Rephrasing) -> list[Check]:
        checks = super().verify(request, output)
        self.verified.append((output.rephrased, [c.name for c in checks if not c.passed]))
        return checks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=30, help="toxic sentences to rephrase")
    parser.add_argument("--source", choices=("paradetox", "civil"), default="paradetox")
    parser.add_argument("--out", type=Path, default=OUT, help="per-item results (JSON lines)")
    args = parser.parse_args()
    model = open_model(load_settings())
    task = RecordingTask(detector=IncivilityDetector.load())
    candidate_failures: Counter[str] = Counter()
    candidates = 0
    results, latencies = [], []
    args.out.parent.mkdir(exist_ok=True)
    with args.out.open("w", encoding="utf-8") as log:
        for text in track(inputs(args.source, args.items), description="rephrasing", transient=True):
            task.verified = []
            started = time.perf_counter()
            result = task.run(model, RephraseRequest(text, "en"))
            latencies.append(time.perf_counter() - started)
            results.append(result)
            tried = task.verified[:-1] if result.method == "fallback" else task.verified
            candidates += len(tried)
            candidate_failures.update(name for _, names in tried for name in names)
            record = {"source": text, **result.public(), "candidates": tried}
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
    console = Console()
    n = len(results)
    methods = Counter(r.method for r in results)
    console.print(f"{n} {args.source} inputs; " + ", ".join(f"{m} {c / n:.0%}" for m, c in methods.items()))
    fallbacks = [r for r in results if r.method == "fallback"]
    reasons = Counter(name for r in fallbacks for name in failed_checks(r.fallback_reason))
    shares = ", ".join(f"{name} {count / n:.0%}" for name, count in reasons.most_common())
    console.print(f"fallback share per failed check: {shares}")
    per_check = ", ".join(f"{k} {v}" for k, v in candidate_failures.most_common())
    console.print(f"{candidates} model candidates verified; failed checks: {per_check}")
    shown = sum(bool(r.text.strip()) for r in fallbacks)
    console.print(f"fallbacks with a suggestion {shown}, without {len(fallbacks) - shown}")
    console.print(f"latency p50 {statistics.median(latencies):.1f} s; per-item results: {args.out}")


if __name__ == "__main__":
    main()
