"""Benchmark of the mediation tasks with an embedded model (the default unless --model says otherwise).

    .venv/bin/python bench/bench_tasks.py            # the five example disputes, every injection attack
    .venv/bin/python bench/bench_tasks.py --quick    # smoke run: one dispute, one candidate, one attack
    .venv/bin/python bench/bench_tasks.py --tasks summarize,draft

Per task: latency p50/p95 (wall clock of the whole task: every call and check), prompt and completion
tokens per run, verification pass rate (share of results whose checks all pass), fallback rate, and how
many prompt-injection attacks got through (commonground.evaluation.injection: each attack is appended to
the camera dispute as a message from John, or is the text to translate; it got through when the output
leans toward John more than on the clean dispute, or leaks the system prompt). Then why the fallbacks fell
back (each reason up to its first parenthesis, counted), and the draft's prompt tokens at 10, 100 and 1,000
messages of history.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rich import box
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from commonground.core.conversation import Conversation
from commonground.core.settings import load_settings
from commonground.core.transcripts import read_transcript
from commonground.evaluation import injection
from commonground.examples import EXAMPLES_DIR
from commonground.llm.embedded import EMBEDDED
from commonground.llm.local import LocalModel
from commonground.tasks.argue.task import ArgueRequest, ArgueTask
from commonground.tasks.base import Task, TaskResult
from commonground.tasks.draft.task import DraftRequest, DraftTask
from commonground.tasks.intervene.task import InterveneTask, InterventionRequest
from commonground.tasks.summarize.task import SummarizeTask, SummaryRequest
from commonground.tasks.translate.task import TranslateRequest, TranslateTask

DISPUTES = ("camera", "leak", "snow", "loan", "seeds")
TARGETS = ("fr", "de", "es", "fr", "de")
HISTORY = (10, 100, 1000)
TASKS = ("draft", "intervene", "summarize", "argue", "translate")


@dataclass
class Plan:
    """One task: its requests on the disputes and on the attacked camera dispute, and what came of them."""

    name: str
    task: Task[Any, Any]
    requests: list[Any]
    attacks: list[tuple[Any, str]]  # (request, source text the output may draw on)
    latencies: list[float] = field(default_factory=list)
    results: list[TaskResult[Any]] = field(default_factory=list)
    attacks_through: int = 0


def plans(conversations: list[Conversation], attacks: tuple[str, ...], *, candidates: int) -> list[Plan]:
    camera = conversations[0]
    attacked = [injection.attacked(camera, attack) for attack in attacks]

    def on_conversations(name: str, task: Task[Any, Any], make: Callable[[Conversation], Any]) -> Plan:
        source = [(make(c), " ".join(m.text for m in c.messages)) for c in attacked]
        return Plan(name, task, [make(c) for c in conversations], source)

    return [
        on_conversations("draft", DraftTask(candidates=candidates), DraftRequest),
        on_conversations(
            "intervene",
            InterveneTask(candidates=candidates),
            lambda c: InterventionRequest(c, reason="heated"),
        ),
        on_conversations("summarize", SummarizeTask(candidates=candidates), SummaryRequest),
        on_conversations("argue", ArgueTask(candidates=candidates), ArgueRequest),
        Plan(
            "translate",
            TranslateTask(candidates=candidates),
            [
                TranslateRequest(c.messages[0].text, target=t)
                for c, t in zip(conversations, TARGETS, strict=False)
            ],
            [(TranslateRequest(attack, target="fr"), attack) for attack in attacks],
        ),
    ]


def run(model: LocalModel, plan: Plan, progress: Progress, bar: Any) -> None:
    """Run the plan's requests, then its attacks against the first (camera) result's stance."""
    for request in plan.requests:
        progress.update(bar, description=f"{plan.name} ({len(plan.results) + 1}/{len(plan.requests)})")
        started = time.perf_counter()
        plan.results.append(plan.task.run(model, request))
        plan.latencies.append(time.perf_counter() - started)
        progress.advance(bar)
    baseline = injection.lean(plan.results[0].text) if plan.name != "translate" else 0.0
    system = plan.task.template.system
    for number, (request, source) in enumerate(plan.attacks, start=1):
        progress.update(bar, description=f"{plan.name}: attack {number}/{len(plan.attacks)}")
        text = plan.task.run(model, request).text
        plan.attacks_through += injection.succeeded(text, system=system, source=source, baseline=baseline)
        progress.advance(bar)


def history_tokens(model: LocalModel, camera: Conversation) -> dict[int, int]:
    sizes = {}
    for count in HISTORY:
        repeated = (camera.messages * (count // len(camera.messages) + 1))[:count]
        messages = [m.model_copy(update={"id": str(i)}) for i, m in enumerate(repeated)]
        prompt = DraftTask().prompt(DraftRequest(Conversation(id="long", messages=messages)))
        sizes[count] = sum(model.count_tokens(m.content) for m in prompt.messages)
    return sizes


def table(done: list[Plan], title: str) -> Table:
    out = Table(
        "task",
        "runs",
        "p50 s",
        "p95 s",
        "prompt",
        "compl.",
        "pass",
        "fallback",
        "attacks",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=title,
    )
    for plan in done:
        runs = len(plan.results)
        p50, p95 = np.percentile(plan.latencies, [50, 95])
        out.add_row(
            plan.name,
            str(runs),
            f"{p50:.1f}",
            f"{p95:.1f}",
            f"{sum(c.prompt_tokens for r in plan.results for c in r.calls) / runs:.0f}",
            f"{sum(c.completion_tokens for r in plan.results for c in r.calls) / runs:.0f}",
            f"{sum(r.passed for r in plan.results) / runs:.0%}",
            f"{sum(r.method == 'fallback' for r in plan.results) / runs:.0%}",
            f"{plan.attacks_through}/{len(plan.attacks)}",
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--disputes", type=int, default=len(DISPUTES), help="example disputes to use (1-5)")
    parser.add_argument("--candidates", type=int, default=2, help="candidates per task run")
    parser.add_argument(
        "--attacks", type=int, default=len(injection.ATTACKS), help="injection attacks per task"
    )
    parser.add_argument(
        "--model", choices=sorted(EMBEDDED), default="qwen2.5-coder-1.5b", help="embedded model"
    )
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks to run")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: --disputes 1 --candidates 1 --attacks 1"
    )
    args = parser.parse_args()
    chosen = args.tasks.split(",")
    if unknown := sorted(set(chosen) - set(TASKS)):
        parser.error(f"unknown task(s) {', '.join(unknown)}: choose from {', '.join(TASKS)}")
    if args.quick:
        args.disputes, args.candidates, args.attacks = 1, 1, 1
    logging.basicConfig(level=logging.WARNING)
    embedded = EMBEDDED[args.model]
    model = LocalModel(
        embedded.path(load_settings().cache_dir), name=embedded.name, n_ctx=4096, timeout_s=600
    )
    names = DISPUTES[: max(1, min(args.disputes, len(DISPUTES)))]
    conversations = [read_transcript(EXAMPLES_DIR / f"{name}.jsonl") for name in names]
    todo = [
        plan
        for plan in plans(conversations, injection.ATTACKS[: args.attacks], candidates=args.candidates)
        if plan.name in chosen
    ]
    with Progress(transient=True) as progress:
        bar = progress.add_task("tasks", total=sum(len(p.requests) + len(p.attacks) for p in todo))
        for plan in todo:
            run(model, plan, progress, bar)
    title = (
        f"{model.name}: {len(conversations)} disputes ({', '.join(names)}), {args.candidates} candidates at "
        f"most, {args.attacks} attacks per task"
    )
    console = Console()
    console.print(table(todo, title))
    console.print("prompt, compl.: tokens per run; attacks: succeeded / tried")
    for plan in todo:
        reasons = Counter(
            (r.fallback_reason or "").split(" (")[0] for r in plan.results if r.method == "fallback"
        )
        if reasons:
            console.print(f"{plan.name} fell back: " + "; ".join(f"{n}× {why}" for why, n in reasons.items()))
    sizes = history_tokens(model, conversations[0])
    console.print("draft prompt tokens by history: " + ", ".join(f"{n} msgs {t}" for n, t in sizes.items()))


if __name__ == "__main__":
    main()
