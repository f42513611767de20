"""Rephrasing suggestions as a person reads them: hand labels of what the pre-send check would show.

    python bench/eval_suggestions_by_hand.py [--labels bench/data/suggestions_by_hand.jsonl] [--judge]

Each row of the labels file is one draft and what commonground suggested for it (`bench/eval_rephrase.py`'s
per-item output: `method` model, fallback or none), read and labelled by hand: `broken` (not a complete,
grammatical sentence a person would send), `toxic` (still uncivil), `meaning_kept` (says what the author
said, minus the incivility). Figures per sample: among shown suggestions, the share broken, toxic and
faithful by hand, per method, and the drafts left without a suggestion. (What is shown has passed the
fluency check already: these labels measure what it lets through.) With `--judge`, the entailment judge
(`tasks/entailment`, the configured model) reads every whole shown suggestion against its draft: how many
of the hand-labelled meaning changes it catches, and how many faithful ones it would refuse.

Samples (English drafts of ParaDetox's held-out test split, the embedded default model, 110 each):
1. `eval_rephrase.py --items 110 --languages en`, before the `no_hole` check;
2. `eval_rephrase.py --items 110 --languages en --exclude <sample 1's outputs>`, 110 other drafts, after it;
3. `eval_rephrase.py --items 110 --languages en --exclude bench/data/suggestions_by_hand.jsonl` (110 drafts
   in neither sample), after the fluency check's verb rule (spaCy), the stray letter and the hole at a
   sentence's start;
4. the same command again (110 drafts in none of samples 1–3), after the parse-read holes (a word the clause
   needed, modifiers left behind) and the doubled word.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

LABELS = Path(__file__).with_name("data") / "suggestions_by_hand.jsonl"


def _share(rows: list[dict], label: str) -> str:
    return f"{sum(r[label] for r in rows) / len(rows):.3f} ({sum(r[label] for r in rows)})" if rows else "n/a"


def _judge(rows: list[dict]) -> None:
    """The entailment judge against the hand labels of meaning, on the shown suggestions that are whole."""
    from commonground.core.settings import load_settings
    from commonground.llm import open_model
    from commonground.tasks.entailment import judge

    model = open_model(load_settings())
    whole = [r for r in rows if r["suggestion"].strip() and not r["broken"]]
    refused = [
        not judge(model, r["source"], r["suggestion"]).value.kept for r in track(whole, description="judging")
    ]
    changed = [not r["meaning_kept"] for r in whole]
    caught = sum(a and b for a, b in zip(refused, changed, strict=True))
    alarms = sum(a and not b for a, b in zip(refused, changed, strict=True))
    Console().print(
        f"entailment judge on {len(whole)} whole suggestions: caught {caught} of {sum(changed)} meaning "
        f"changes, refused {alarms} of {len(whole) - sum(changed)} faithful ones"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--judge", action="store_true", help="Also measure the entailment judge.")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    table = Table(
        "sample", "method", "drafts", "shown", "broken", "toxic", "meaning kept", title="Suggestions by hand"
    )
    for sample in sorted({r["sample"] for r in rows}):
        for method in ("model", "fallback", "none", "all"):
            drafts = [r for r in rows if r["sample"] == sample and method in (r["method"], "all")]
            seen = [r for r in drafts if r["suggestion"].strip()]
            if drafts:
                table.add_row(
                    str(sample),
                    method,
                    str(len(drafts)),
                    str(len(seen)),
                    _share(seen, "broken"),
                    _share(seen, "toxic"),
                    _share(seen, "meaning_kept"),
                )
    Console().print(table)
    if args.judge:
        _judge(rows)


if __name__ == "__main__":
    main()
