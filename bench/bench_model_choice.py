"""Which embedded model should be the default? Task quality of each, measured on the same items.

    python bench/bench_model_choice.py [--items 40]

Two task-shaped workloads on a seeded sample of ParaDetox (../shared/data/paradetox; CC0), scored without
any model in the loop:
- civility judgement: a toxic sentence and its crowd-written neutral paraphrase, each judged through a
  structured output `{"uncivil": bool}`; accuracy, and the share of first attempts that validated.
- rephrasing: the toxic sentence rewritten calmly (two fixed examples in the prompt); "usable" when the output
  is non-empty, not a copy, within 0.5–2x the length, and not flagged by alt-profanity-check.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from profanity_check import predict_prob
from pydantic import BaseModel
from rich.console import Console
from rich.progress import track
from rich.table import Table

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.core.errors import ModelError
from commonground.core.settings import load_settings
from commonground.datasets import read_paradetox
from commonground.llm import Prompt
from commonground.llm.embedded import EMBEDDED
from commonground.llm.local import LocalModel

DATA = DEVELOPMENT_DATA / "paradetox" / "paradetox.tsv"
JUDGE_SYSTEM = "You judge whether a comment is uncivil (insulting, profane, hostile). Answer in JSON."
REPHRASE_SYSTEM = (
    "Rewrite the user's message so it is calm and civil, keeping its meaning, claims and point of view. "
    "Reply with the rewritten message only.\n"
    "Example: 'this is a stupid fucking rule' -> 'This rule makes no sense to me.'\n"
    "Example: 'shut up, you know nothing about cars' -> 'I disagree; I don't think that is right about cars.'"
)


class Judgement(BaseModel):
    uncivil: bool


def sample(items: int, seed: int = 7) -> list[tuple[str, str]]:
    rows = [(row.toxic, row.neutrals[0]) for row in read_paradetox(DATA) if row.neutrals]
    return random.Random(seed).sample(rows, items)


def evaluate(model: LocalModel, pairs: list[tuple[str, str]]) -> dict[str, float]:
    correct, first_valid, judged, latencies = 0, 0, 0, []
    for toxic, neutral in track(pairs, description=f"{model.name}: judging", transient=True):
        for text, uncivil in ((toxic, True), (neutral, False)):
            started = time.perf_counter()
            try:
                result = model.structured(Prompt.of(text, system=JUDGE_SYSTEM, max_tokens=16), Judgement)
            except ModelError:
                judged += 1
                continue
            latencies.append(time.perf_counter() - started)
            judged += 1
            first_valid += len(result.completions) == 1
            correct += result.value.uncivil == uncivil
    outputs = []
    for toxic, _ in track(pairs, description=f"{model.name}: rephrasing", transient=True):
        outputs.append(
            (toxic, model.complete(Prompt.of(toxic, system=REPHRASE_SYSTEM, max_tokens=60)).text.strip())
        )
    profane = predict_prob([out or "." for _, out in outputs])
    usable = [
        bool(out) and out.lower() != src.lower() and 0.5 <= len(out) / len(src) <= 2 and p < 0.5
        for (src, out), p in zip(outputs, profane, strict=True)
    ]
    return {
        "judge_accuracy": correct / judged,
        "first_attempt_valid": first_valid / judged,
        "judge_latency_s": statistics.median(latencies),
        "rephrase_usable": sum(usable) / len(usable),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=40, help="ParaDetox rows (each gives two judgements)")
    args = parser.parse_args()
    script_data(DATA, option=None)
    pairs = sample(args.items)
    cache = load_settings().cache_dir
    table = Table(
        "model",
        "civility accuracy",
        "valid 1st attempt",
        "median judge s",
        "usable rephrasings",
        title=f"Embedded models on {args.items} ParaDetox rows (seed 7)",
    )
    for name, embedded in EMBEDDED.items():
        model = LocalModel(embedded.path(cache), name=name, n_ctx=2048, timeout_s=300)
        r = evaluate(model, pairs)
        table.add_row(
            name,
            f"{r['judge_accuracy']:.2f}",
            f"{r['first_attempt_valid']:.2f}",
            f"{r['judge_latency_s']:.2f}",
            f"{r['rephrase_usable']:.2f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
