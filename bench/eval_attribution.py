"""Who said what: the attribution and no-verdict checks on hand-labelled drafts, and real drafts' share.

    python bench/eval_attribution.py [--limit N]           # the checks on the labelled drafts
    python bench/eval_attribution.py --real 22 --out real.jsonl [--task draft|intervene|summarize]
        [--attribution] [--set FILE]
    python bench/eval_attribution.py --hand                  # real drafts read by hand

The set (`bench/data/attribution_drafts.jsonl`, 22 disputes written for this project, none among the
example disputes or the judge's prompt examples, never used to tune either check) gives each dispute a
faithful mediator draft, one with a planted misattribution (`kind`: roles or claims swapped, a negation
flipped, a number or a party's words changed, an admission or a fact no one stated, words put in a party's
mouth) and, for 14, one declaring a claim verified or true. Reported: the attribution check's recall on
the planted misattributions (per kind) and its false alarms on the faithful drafts; the no-verdict check's
recall on the declarations and its false alarms on the rest. `--real N` runs the task with the configured
model on the first N disputes, as the platform runs it (the attribution judge off unless `--attribution`), and
reports the shown drafts' method, the share the checks flag and how often the model's acknowledgement or
question gave way to the template's (`claims.recounted`); `--set bench/data/disputes_unseen.jsonl` runs 24
other disputes, with titles, written after the checks and never used to tune them; `--out`
writes them for hand-checking. The model is the configured one (the embedded default unless
COMMONGROUND_LLM__* says otherwise).

`--hand` reports `bench/data/drafts_by_hand.jsonl`: `--real` outputs of the embedded model read against
their disputes and labelled `misattributed` (a claim given to the wrong party, turned around, or one no
party made; a non-party addressed) and `verified` (a contested claim declared true, or one party's
contested version, a figure, a count, a place, stated or presupposed in the mediator's own words), with a
note on every fault. Per run (`run` 1: prompt v2, the model retells the facts; 4: v3, the facts are the
parties' quoted words and the model names no one's actions; 2 and 3: trials on the way to v3, with quotes
but other prompts, not kept; 5: v3 on `disputes_unseen`; 6: the first version of `claims` on it, whose
drafts were read to build the second; 7: the second on `disputes_unseen_2`, read once; 8: interventions a
party asked for, `--task intervene`, on `disputes_unseen_2`, read once; 9: dispute summaries, `--task
summarize`, on it, read once; 10: a trial summary prompt saying that "you" is the other party, on
`disputes_unseen`, not kept): the share of shown texts with each fault, and how the attribution judge's
verdict (`attribution_flagged`) agrees with the hand labels on the model's texts.
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
from commonground.tasks.summarize.task import SummarizeTask, SummaryRequest

SET = Path(__file__).with_name("data") / "attribution_drafts.jsonl"
HAND = Path(__file__).with_name("data") / "drafts_by_hand.jsonl"

TASKS = {"draft": DraftTask, "intervene": InterveneTask}
REQUESTS = {
    "draft": DraftRequest,
    "intervene": lambda conversation: InterventionRequest(conversation, reason="request"),
    "summarize": SummaryRequest,
}


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


def real(model: Model, items: list[dict], *, task_name: str, out: Path | None, attribution: bool) -> None:
    task = SummarizeTask() if task_name == "summarize" else TASKS[task_name](attribution=attribution)
    rows = []
    for item in track(items, description=f"{task_name} with the model", transient=True):
        conversation = Conversation(id=item["id"], title=item.get("title", ""), messages=_messages(item))
        result = task.run(model, REQUESTS[task_name](conversation))
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
                "replaced": getattr(result.output, "replaced", {}),
            }
        )
    if out:
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    table = Table("shown drafts", "n", "share", title=f"{task_name} with {model.name}")
    table.add_row("from the model", str(len(rows)), str(mean([float(r["method"] == "llm") for r in rows])))
    for part in ("acknowledge", "question") if task_name != "summarize" else ():
        replaced = [float(part in r["replaced"]) for r in rows if r["method"] == "llm"]
        table.add_row(f"model's {part} replaced", str(len(replaced)), str(mean(replaced)))
    for key in ("attribution_flagged", "verdict_flagged"):
        table.add_row(key, str(len(rows)), str(mean([float(r[key]) for r in rows])))
    Console().print(table)
    reasons = defaultdict(int)
    for r in rows:
        for part in (r["fallback_reason"] or "").split("; "):
            if part:
                reasons[part.split(" (")[0].removeprefix("failed checks: ")] += 1
    Console().print(dict(reasons))


def by_hand(rows: list[dict]) -> None:
    table = Table(
        "run", "prompt", "disputes", "shown", "from model", "misattributed", "verified", "either", "judge"
    )
    for run in sorted({r["run"] for r in rows}):
        shown = [r for r in rows if r["run"] == run]
        faulty = [r["misattributed"] or r["verified"] for r in shown]
        model = [
            (r["attribution_flagged"], f) for r, f in zip(shown, faulty, strict=True) if r["method"] == "llm"
        ]
        caught = sum(flag and bad for flag, bad in model)
        alarms = sum(flag and not bad for flag, bad in model)
        table.add_row(
            str(run),
            shown[0]["prompt"],
            shown[0].get("set", SET.stem),
            str(len(shown)),
            str(len(model)),
            f"{sum(r['misattributed'] for r in shown)} ({mean([float(r['misattributed']) for r in shown])})",
            f"{sum(r['verified'] for r in shown)} ({mean([float(r['verified']) for r in shown])})",
            f"{sum(faulty)} ({mean([float(f) for f in faulty])})",
            f"caught {caught} of {sum(bad for _, bad in model)}, "
            f"false alarms {alarms} of {sum(not bad for _, bad in model)}",
        )
    Console(width=160).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", type=int, default=0, help="Run the task on the first N disputes.")
    parser.add_argument("--limit", type=int, help="Judge the labelled drafts of the first N disputes only.")
    parser.add_argument("--task", choices=tuple(REQUESTS), default="draft")
    parser.add_argument("--out", type=Path, help="Write the real drafts here (JSON lines).")
    parser.add_argument(
        "--attribution",
        action="store_true",
        help="--real: the task runs the attribution judge (off by default).",
    )
    parser.add_argument("--hand", action="store_true", help="Report the real drafts read by hand.")
    parser.add_argument("--set", type=Path, default=SET, help="--real: the disputes (JSON lines).")
    args = parser.parse_args()
    if args.hand:
        by_hand([json.loads(line) for line in HAND.read_text(encoding="utf-8").splitlines() if line.strip()])
        return
    items = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = open_model(load_settings())
    if args.real:
        real(model, items[: args.real], task_name=args.task, out=args.out, attribution=args.attribution)
    else:
        labelled(model, items[: args.limit])


if __name__ == "__main__":
    main()
