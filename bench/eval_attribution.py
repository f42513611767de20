"""Who said what: the attribution and no-verdict checks on hand-labelled drafts, and real drafts' share.

    python bench/eval_attribution.py [--limit N]           # the checks on the labelled drafts
    python bench/eval_attribution.py --real 22 --out real.jsonl [--task draft|intervene]

The set (`bench/data/attribution_drafts.jsonl`, 22 disputes written for this project, none among the
example disputes or the judge's prompt examples, never used to tune either check) gives each dispute a
faithful mediator draft, one with a planted misattribution (`kind`: roles or claims swapped, a negation
flipped, a number or a party's words changed, an admission or a fact no one stated, words put in a party's
mouth) and, for 14, one declaring a claim verified or true. Reported: the attribution check's recall on
the planted misattributions (per kind) and its false alarms on the faithful drafts; the no-verdict check's
recall on the declarations and its false alarms on the rest. `--real N` runs the task with the configured
model on the first N disputes and reports the shown drafts' method and the share the checks flag; `--out`
writes them for hand-checking. The model is the configured one (the embedded default unless
COMMONGROUND_LLM__* says otherwise).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import ModelError
from commonground.core.settings import load_settings
from commonground.evaluation.bootstrap import mean
from commonground.llm import open_model
from commonground.llm.base import Model
from commonground.tasks import checks
from commonground.tasks.attribution import check_attribution
from commonground.tasks.draft.task import DraftRequest, DraftTask
from commonground.tasks.intervene.task import InterveneTask, InterventionRequest

SET = Path(__file__).with_name("data") / "attribution_drafts.jsonl"


def _messages(item: dict) -> list[Message]:
    return [Message(id=m["id"], speaker=m["speaker"], text=m["text"]) for m in item["messages"]]


def labelled(model: Model, items: list[dict]) -> None:
    flagged: dict[str, list[float]] = defaultdict(list)
    for item in track(items, description="judging drafts", transient=True):
        messages = _messages(item)
        parties = tuple(dict.fromkeys(m.speaker for m in messages))
        for draft in item["drafts"]:
            try:
                attribution, _ = check_attribution(model, draft["text"], messages)
            except ModelError as error:
                flagged["not judged (model error)"].append(1.0)
                Console(stderr=True).print(f"not judged {item['id']}: {error}")
                continue
            verdict = checks.no_verdict(draft["text"], parties=parties)
            label = draft["label"]
            flagged[f"attribution on {label}"].append(float(not attribution.passed))
            flagged[f"no_verdict on {label}"].append(float(not verdict.passed))
            if label == "misattributed":
                flagged[f"attribution on misattributed: {draft['kind']}"].append(
                    float(not attribution.passed)
                )
                if attribution.passed:
                    Console(stderr=True).print(f"missed {item['id']}: {attribution.detail}")
            elif label == "ok" and not attribution.passed:
                Console(stderr=True).print(f"false alarm {item['id']}: {attribution.detail}")
    table = Table("check on drafts", "n", "flagged", title="Attribution and no-verdict checks")
    for key, values in sorted(flagged.items()):
        table.add_row(key, str(len(values)), str(mean(values)))
    Console().print(table)


def real(model: Model, items: list[dict], *, task_name: str, out: Path | None) -> None:
    task = InterveneTask(attribution=True) if task_name == "intervene" else DraftTask(attribution=True)
    rows = []
    for item in track(items, description=f"{task_name} with the model", transient=True):
        conversation = Conversation(id=item["id"], messages=_messages(item))
        request = (
            InterventionRequest(conversation, reason="request")
            if task_name == "intervene"
            else DraftRequest(conversation)
        )
        result = task.run(model, request)
        messages = list(conversation.messages)
        attribution, _ = check_attribution(model, result.text, messages)
        verdict = checks.no_verdict(result.text, parties=tuple(dict.fromkeys(m.speaker for m in messages)))
        rows.append(
            {
                "id": item["id"],
                "method": result.method,
                "text": result.text,
                "attribution_flagged": not attribution.passed,
                "verdict_flagged": not verdict.passed,
                "fallback_reason": result.fallback_reason,
            }
        )
    if out:
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    table = Table("shown drafts", "n", "share", title=f"{task_name} with {model.name}")
    table.add_row("from the model", str(len(rows)), str(mean([float(r["method"] == "llm") for r in rows])))
    for key in ("attribution_flagged", "verdict_flagged"):
        table.add_row(key, str(len(rows)), str(mean([float(r[key]) for r in rows])))
    Console().print(table)
    reasons = defaultdict(int)
    for r in rows:
        for part in (r["fallback_reason"] or "").split("; "):
            if part:
                reasons[part.split(" (")[0].removeprefix("failed checks: ")] += 1
    Console().print(dict(reasons))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=int, default=0, help="Run the task on the first N disputes.")
    parser.add_argument("--limit", type=int, help="Judge the labelled drafts of the first N disputes only.")
    parser.add_argument("--task", choices=("draft", "intervene"), default="draft")
    parser.add_argument("--out", type=Path, help="Write the real drafts here (JSON lines).")
    args = parser.parse_args()
    items = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = open_model(load_settings())
    if args.real:
        real(model, items[: args.real], task_name=args.task, out=args.out)
    else:
        labelled(model, items[: args.limit])


if __name__ == "__main__":
    main()
