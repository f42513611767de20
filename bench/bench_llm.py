"""Model interface benchmark: for each backend on this machine, load time, first-token latency, tokens/s,
peak RSS, and the interface's overhead against calling the engine directly on the same 100-token generation.

    python bench/bench_llm.py            # every backend and model below
    python bench/bench_llm.py --rounds 7 # more rounds for the overhead median

Each measurement runs in its own process, so peak RSS belongs to that backend alone. The `openai` backend
is measured against llama-cpp-python's OpenAI-compatible server on loopback, serving the same GGUF file.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from commonground.core.settings import load_settings
from commonground.llm import Prompt
from commonground.llm.embedded import EMBEDDED

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PROMPT = Prompt.of("Write a long story about a lighthouse keeper and a storm.", max_tokens=100)
MESSAGES = [{"role": m.role, "content": m.content} for m in PROMPT.messages]


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stream_timing(pieces: object) -> tuple[float, float, int]:
    """Consume a stream; return (seconds to first piece, seconds in all, pieces)."""
    started = time.perf_counter()
    first, count = None, 0
    for _ in pieces:  # type: ignore[attr-defined]
        count += 1
        if first is None:
            first = time.perf_counter() - started
    return first or 0.0, time.perf_counter() - started, count


def measure_local(model_name: str, rounds: int) -> dict[str, float]:
    from commonground.llm.local import LocalModel

    path = EMBEDDED[model_name].path(load_settings().cache_dir)
    started = time.perf_counter()
    model = LocalModel(path, name=model_name, n_ctx=2048, timeout_s=600)
    load_s = time.perf_counter() - started

    def direct() -> tuple[float, float, int]:
        return _stream_timing(
            model.llama.create_chat_completion(
                messages=MESSAGES, max_tokens=100, temperature=0.0, stream=True
            )
        )

    def ours() -> tuple[float, float, int]:
        return _stream_timing(model.stream(PROMPT))

    ours()  # warm-up: first evaluation of the prompt
    direct_runs, our_runs = [], []
    for _ in range(rounds):  # interleaved, so both see the same machine load
        direct_runs.append(direct())
        our_runs.append(ours())
    first, total, tokens = (statistics.median(x) for x in zip(*our_runs, strict=True))
    direct_total = statistics.median(run[1] for run in direct_runs)
    return {
        "load_s": load_s,
        "first_token_s": first,
        "tokens_per_s": tokens / total,
        "peak_rss_mib": _peak_rss_mib(),
        "overhead_pct": 100 * (total - direct_total) / direct_total,
        "tokens": tokens,
    }


def measure_openai(model_name: str, rounds: int) -> dict[str, float]:
    import openai
    from tests.llm.servers import API_KEY, start_llama_server

    from commonground.llm.openai_compat import OpenAIModel

    path = EMBEDDED[model_name].path(load_settings().cache_dir)
    started = time.perf_counter()
    server = start_llama_server(path)
    load_s = time.perf_counter() - started
    try:
        model = OpenAIModel(model=server.model, base_url=server.base_url, api_key=API_KEY, timeout_s=600)
        raw = openai.OpenAI(base_url=server.base_url, api_key=API_KEY)

        def direct() -> tuple[float, float, int]:
            events = raw.chat.completions.create(
                model=server.model,
                messages=MESSAGES,
                max_tokens=100,
                temperature=0.0,
                stream=True,  # type: ignore[arg-type]
            )
            return _stream_timing(e for e in events if e.choices and e.choices[0].delta.content)

        def ours() -> tuple[float, float, int]:
            return _stream_timing(model.stream(PROMPT))

        ours()
        direct_runs, our_runs = [], []
        for _ in range(rounds):
            direct_runs.append(direct())
            our_runs.append(ours())
        first, total, tokens = (statistics.median(x) for x in zip(*our_runs, strict=True))
        direct_total = statistics.median(run[1] for run in direct_runs)
        server_peak = _vm_hwm_mib(server.process.pid)
    finally:
        server.stop()
    return {
        "load_s": load_s,
        "first_token_s": first,
        "tokens_per_s": tokens / total,
        "peak_rss_mib": _peak_rss_mib() + server_peak,
        "overhead_pct": 100 * (total - direct_total) / direct_total,
        "tokens": tokens,
    }


def _vm_hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


CASES = [
    ("local", "qwen2.5-coder-1.5b"),
    ("local", "smollm2-135m"),
    ("openai", "qwen2.5-coder-1.5b"),
    ("openai", "smollm2-135m"),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds per measurement")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # backend:model, run in a child process
    args = parser.parse_args()
    if args.one:
        backend, model = args.one.split(":", 1)
        measure = measure_local if backend == "local" else measure_openai
        print(json.dumps(measure(model, args.rounds)))
        return
    table = Table(
        "backend",
        "model",
        "load s",
        "first token s",
        "tokens/s",
        "peak RSS MiB",
        "overhead vs direct",
        title=f"commonground model interface, {args.rounds} rounds, 100-token generations",
    )
    for backend, model in CASES:
        child = subprocess.run(
            [sys.executable, __file__, "--one", f"{backend}:{model}", "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(child.stdout.strip().splitlines()[-1])
        table.add_row(
            backend,
            model,
            f"{r['load_s']:.2f}",
            f"{r['first_token_s']:.3f}",
            f"{r['tokens_per_s']:.1f}",
            f"{r['peak_rss_mib']:.0f}",
            f"{r['overhead_pct']:+.2f} %",
        )
    Console().print(table)
    Console().print(
        "openai rows: load = server start until ready; peak RSS = client + server; overhead against the "
        "raw openai client on the same endpoint. local rows: overhead against llama-cpp-python's own "
        "streaming call."
    )


if __name__ == "__main__":
    main()
