"""Accuracy of the entailment judge on a hand-labelled set, per category and per split, with intervals.

    python bench/eval_entailment.py

The set (`bench/data/entailment.jsonl`, 40 pairs written for this project, none among the prompt's
examples) covers softened but same-stance rewrites, paraphrases, negation flips, reversed addressees,
dropped and added claims, lost stances, unrelated texts, changed figures and third-person reports. The 17
`dev` pairs were looked at while the prompt was chosen; the 23 `test` pairs never were: quote those.
Columns: the relation right, the stance right, both, and `kept` (same stance, no contradiction) right.
The model is the configured one (the embedded default unless COMMONGROUND_LLM__* says otherwise).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table

from commonground.core.settings import load_settings
from commonground.evaluation.bootstrap import mean
from commonground.llm import open_model
from commonground.tasks.entailment import judge

SET = Path(__file__).with_name("data") / "entailment.jsonl"


def main() -> None:
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = open_model(load_settings())
    rows: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    seconds = []
    for item in track(items, description="judging", transient=True):
        verdict = judge(model, item["premise"], item["hypothesis"])
        got = verdict.value
        kept = item["stance"] == "same" and item["relation"] != "contradicts"
        seconds.append(sum(c.record.latency_s for c in verdict.completions))
        hits = (got.relation == item["relation"], got.stance == item["stance"], got.kept == kept)
        for key in (item["category"], f"all {item['split']}", "all"):
            rows[key].append(hits)
        if not all(hits[:2]):
            Console(stderr=True).print(f"{item['id']} {item['category']}: {got.relation}/{got.stance}")
    table = Table("pairs", "n", "relation", "stance", "both", "kept (yes/no)", title="Entailment judge")
    for key, hits in sorted(rows.items(), key=lambda pair: (pair[0].startswith("all"), pair[0])):
        array = np.array(hits, dtype=float)
        columns = [array[:, 0], array[:, 1], array[:, 0] * array[:, 1], array[:, 2]]
        cells = [str(mean(c)) if key.startswith("all") else f"{c.mean():.2f}" for c in columns]
        table.add_row(key, str(len(hits)), *cells)
    Console().print(table)
    Console().print(f"model: {model.backend} {model.name}; median {np.median(seconds):.1f} s per judgement")


if __name__ == "__main__":
    main()
