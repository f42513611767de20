"""Benchmark of the mediation tasks with the embedded default model: one command, figures on stdout.

    .venv/bin/python bench/bench_tasks.py [--disputes 5] [--candidates 2]

Per task: latency p50/p95 (whole task, all its calls), prompt and completion tokens per run, verification
pass rate (share of results whose checks all pass), fallback rate; then the draft's prompt tokens at 10, 100
and 1,000 messages of history.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any

from commonground.core.conversation import Conversation
from commonground.core.settings import load_settings
from commonground.core.transcripts import read_transcript
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
LANGUAGES = ("fr", "de", "es", "fr", "de")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def measure(model: LocalModel, task: Task[Any, Any], requests: list[Any]) -> dict[str, float]:
    latencies, results = [], []
    for request in requests:
        started = time.monotonic()
        result: TaskResult[Any] = task.run(model, request)
        latencies.append(time.monotonic() - started)
        results.append(result)
    runs = len(results)
    return {
        "runs": runs,
        "p50_s": statistics.median(latencies),
        "p95_s": percentile(latencies, 0.95),
        "prompt_tokens": sum(c.prompt_tokens for r in results for c in r.calls) / runs,
        "completion_tokens": sum(c.completion_tokens for r in results for c in r.calls) / runs,
        "pass_rate": sum(r.passed for r in results) / runs,
        "fallback_rate": sum(r.method == "fallback" for r in results) / runs,
    }


def history_tokens(model: LocalModel, camera: Conversation) -> dict[int, int]:
    sizes = {}
    for count in (10, 100, 1000):
        repeated = (camera.messages * (count // len(camera.messages) + 1))[:count]
        messages = [m.model_copy(update={"id": str(i)}) for i, m in enumerate(repeated)]
        prompt = DraftTask().prompt(DraftRequest(Conversation(id="long", messages=messages)))
        sizes[count] = sum(model.count_tokens(m.content) for m in prompt.messages)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--disputes", type=int, default=len(DISPUTES), help="How many example disputes to use."
    )
    parser.add_argument("--candidates", type=int, default=2, help="Candidates per task run.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    embedded = EMBEDDED["qwen2.5-coder-1.5b"]
    model = LocalModel(
        embedded.path(load_settings().cache_dir), name=embedded.name, n_ctx=4096, timeout_s=600
    )
    conversations = [read_transcript(EXAMPLES_DIR / f"{name}.jsonl") for name in DISPUTES[: args.disputes]]
    lines = [(c.messages[0].text, lang) for c, lang in zip(conversations, LANGUAGES, strict=False)]
    k = args.candidates
    plans: list[tuple[str, Task[Any, Any], list[Any]]] = [
        ("draft", DraftTask(candidates=k), [DraftRequest(c) for c in conversations]),
        (
            "intervene",
            InterveneTask(candidates=k),
            [InterventionRequest(c, reason="heated") for c in conversations],
        ),
        ("summarize", SummarizeTask(candidates=k), [SummaryRequest(c) for c in conversations]),
        ("argue", ArgueTask(candidates=k), [ArgueRequest(c) for c in conversations]),
        (
            "translate",
            TranslateTask(candidates=k),
            [TranslateRequest(text, target=lang) for text, lang in lines],
        ),
    ]
    print(f"model {model.name}, {len(conversations)} disputes, {k} candidates at most")
    print("task        runs   p50 s   p95 s  prompt  compl.  pass  fallb.")
    for name, task, requests in plans:
        row = measure(model, task, requests)
        latency = f"{row['p50_s']:>7.1f} {row['p95_s']:>7.1f}"
        tokens = f"{row['prompt_tokens']:>7.0f} {row['completion_tokens']:>7.0f}"
        rates = f"{row['pass_rate']:>5.0%} {row['fallback_rate']:>6.0%}"
        print(f"{name:<10} {row['runs']:>5.0f} {latency} {tokens} {rates}", flush=True)
    sizes = history_tokens(model, conversations[0])
    print("draft prompt tokens by history length: " + ", ".join(f"{n} msgs: {t}" for n, t in sizes.items()))


if __name__ == "__main__":
    main()
