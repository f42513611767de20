"""Rephrasing quality on held-out data, next to the copy-input baseline (and human rewrites where they exist).

    python bench/eval_rephrase.py [--items 60] [--per-language 20] [--languages en,de,es]

English: rows of ParaDetox's held-out test split (bucket 9 of the MD5 split that also keeps them out of the
incivility detector's training and out of the few-shot examples; never used for tuning), seeded sample.
German and Spanish: TextDetox 2024 dev inputs (toxic only, no references), seeded sample.
Metrics (see commonground.evaluation.rephrasing): STA, SIM, FL and J = mean(STA·SIM·FL). FL is the score of
the fluency check (`commonground.tasks.fluency.fluent`, every language; an empty output, no suggestion,
scores 0), or with --fl smollm SmolLM2's rescaled likelihood (English only). "shown" is the share of drafts
that get a suggestion, "broken" the share of shown suggestions the fluency check rejects, "toxic" the share
the detector still flags.
The model is the configured one (the embedded default unless COMMONGROUND_LLM__* says otherwise).
Per-item outputs go to artifacts/eval_rephrase.jsonl (or --out); `--exclude` an earlier run's outputs to
draw English drafts it did not have (a fresh sample for hand-checking after a change).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.core.settings import load_settings
from commonground.evaluation.rephrasing import Fluency, score_rephrasings
from commonground.llm import open_model
from commonground.llm.base import Model
from commonground.llm.embedded import SMOLLM2_135M
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.incivility.data import split_of
from commonground.tasks.base import TaskResult
from commonground.tasks.fluency import fluent
from commonground.tasks.rephrase import RephraseRequest, RephraseTask
from commonground.tasks.rephrase.examples import paradetox_pairs

DATA = DEVELOPMENT_DATA
OUT = Path(__file__).resolve().parents[1] / "artifacts" / "eval_rephrase.jsonl"


def textdetox(lang: str, count: int) -> list[str]:
    csv.field_size_limit(1 << 24)
    with (DATA / "textdetox" / "clef24_dev_inputs_9lang.tsv").open(encoding="utf-8", newline="") as file:
        rows = [r["toxic_sentence"] for r in csv.DictReader(file, delimiter="\t") if r["lang"] == lang]
    return random.Random(5).sample([r for r in rows if split_of(r) == "test"] or rows, count)


def _timed(task: RephraseTask, model: Model, request: RephraseRequest) -> tuple[TaskResult[Any], float]:
    """The task's result and its wall-clock seconds (every model call and check)."""
    started = time.perf_counter()
    return task.run(model, request), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=60, help="English held-out ParaDetox rows")
    parser.add_argument("--per-language", type=int, default=20, help="German and Spanish TextDetox inputs")
    parser.add_argument("--languages", default="en,de,es", help="which of en, de, es to evaluate")
    parser.add_argument("--out", type=Path, default=OUT, help="per-item outputs (JSON lines)")
    parser.add_argument("--fl", choices=("check", "smollm"), default="check", help="where FL comes from")
    parser.add_argument(
        "--exclude", type=Path, help="an earlier run's per-item outputs: sample English drafts not in it"
    )
    args = parser.parse_args()
    script_data(DATA, option=None)
    languages = args.languages.split(",")

    detector = IncivilityDetector.load()
    settings = load_settings()
    model = open_model(settings)
    task = RephraseTask(detector=detector)
    fluency = None
    if "en" in languages and args.fl == "smollm":
        train_refs = [n for _, n in random.Random(3).sample(paradetox_pairs(DATA, split="train"), 200)]
        fluency = Fluency(SMOLLM2_135M.path(settings.cache_dir), train_refs)

    seen = (
        {json.loads(line)["source"] for line in args.exclude.open(encoding="utf-8")}
        if args.exclude
        else set()
    )
    pairs = [pair for pair in paradetox_pairs(DATA, split="test") if pair[0] not in seen]
    english = random.Random(11).sample(pairs, args.items)
    sets = {"en": ([t for t, _ in english], [n for _, n in english])}
    for lang in ("de", "es"):
        sets[lang] = (textdetox(lang, args.per_language), None)
    sets = {lang: data for lang, data in sets.items() if lang in languages}

    table = Table(
        "lang",
        "system",
        "n",
        "STA",
        "SIM",
        "FL",
        "J",
        "fallback",
        "shown",
        "broken",
        "toxic",
        "p50 s",
        title="Rephrasing quality",
    )
    args.out.parent.mkdir(exist_ok=True)
    with args.out.open("w", encoding="utf-8") as log:
        for lang, (sources, references) in sets.items():
            timed = [
                _timed(task, model, RephraseRequest(text, lang))
                for text in track(sources, description=f"rephrasing ({lang})", transient=True)
            ]
            results = [result for result, _ in timed]
            for source, result in zip(sources, results, strict=True):
                log.write(
                    json.dumps({"lang": lang, "source": source, **result.public()}, ensure_ascii=False) + "\n"
                )
            systems = {"commonground": [r.text for r in results], "copy input": sources}
            if references:
                systems["human rewrite"] = references
            for system, outputs in systems.items():
                rated = score_rephrasings(
                    sources,
                    outputs,
                    detector=detector,
                    fluency=fluency if lang == "en" else None,
                    langs=[lang] * len(sources),
                )
                if args.fl == "check":
                    verdicts = [fluent(o, lang) if o.strip() else None for o in outputs]
                    rated = replace(rated, fl=np.array([v.score if v else 0.0 for v in verdicts]))
                scores = rated.summary()
                shown = [i for i, o in enumerate(outputs) if o.strip()]
                broken = sum(not fluent(outputs[i], lang).passed for i in shown)
                toxic = sum(rated.sta[i] < 1 - DEFAULT_THRESHOLD for i in shown)
                is_ours = system == "commonground"
                fallback = (
                    f"{sum(r.method == 'fallback' for r in results) / len(results):.2f}" if is_ours else ""
                )
                latency = [seconds for _, seconds in timed]
                table.add_row(
                    lang,
                    system,
                    str(len(sources)),
                    f"{scores['STA']:.3f}",
                    f"{scores['SIM']:.3f}",
                    f"{scores['FL']:.3f}" if "FL" in scores else "n/a",
                    f"{scores['J']:.3f}",
                    fallback,
                    f"{len(shown) / len(outputs):.2f}",
                    f"{broken / len(shown):.3f}" if shown else "n/a",
                    f"{toxic / len(shown):.3f}" if shown else "n/a",
                    f"{statistics.median(latency):.1f}" if is_ours else "",
                )
    Console().print(table)
    Console().print(f"model: {model.backend} {model.name}; per-item outputs: {args.out}")


if __name__ == "__main__":
    main()
