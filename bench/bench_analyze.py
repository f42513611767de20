"""Speed and memory of `commonground analyze`, side by side with alt-profanity-check.

Usage: python bench/bench_analyze.py [--data ../shared/data] [--messages 20000] [--accurate-messages 600]

Pinned to one core. Messages are the held-out test split (all languages), shuffled and cycled; the accurate
mode (the encoder on every message) gets the first `--accurate-messages` of them, the others all. Figures:
batched throughput (batches of 1,024, as the CLI does), single-message latency p50/p99, peak RSS of a fresh
process that loads the models and scores the messages, and the wall time of the CLI answering one line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from commonground.core.devdata import DEVELOPMENT_DATA, script_data

BATCH = 1024
LATENCY_SAMPLES = 2000
STARTUP_RUNS = 5
SYSTEMS = ("commonground-accurate", "commonground-fast", "alt-profanity-check")


def _pin_one_core() -> None:
    os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _scorer(system: str) -> Callable[[list[str]], list[float]]:
    if system.startswith("commonground"):
        from commonground.signals.incivility import IncivilityDetector

        detector = IncivilityDetector.load("fast" if system.endswith("fast") else "accurate")
        return lambda texts: [s.probability for s in detector.score_many(texts)]
    from profanity_check import predict_prob

    return lambda texts: list(predict_prob(texts))


def _messages(data: Path, count: int) -> list[str]:
    from commonground.signals.incivility.data import load_examples

    texts = [e.text for e in load_examples(data) if e.split == "test"]
    random.Random(0).shuffle(texts)
    return list(itertools.islice(itertools.cycle(texts), count))


def _throughput(score: Callable[[list[str]], list[float]], messages: list[str]) -> tuple[float, float]:
    """Messages per second of wall time and per second of CPU time (the latter shrugs off busy neighbours)."""
    score(["A first message to load the models."])
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(messages), BATCH):
        score(messages[i : i + BATCH])
    return len(messages) / (time.perf_counter() - wall), len(messages) / (time.process_time() - cpu)


def _latencies_ms(score: Callable[[list[str]], list[float]], messages: list[str]) -> tuple[float, float]:
    timings = []
    for text in messages:
        start = time.perf_counter()
        score([text])
        timings.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49], cuts[98]


def _peak_rss_mb(system: str, data: Path, count: int) -> float:
    """Peak RSS of a fresh process loading `system` and scoring every message."""
    command = [sys.executable, __file__, "--data", str(data), "--messages", str(count), "--rss-of", system]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def _rss_child(system: str, data: Path, count: int) -> None:
    _pin_one_core()
    messages = _messages(data, count)
    score = _scorer(system)
    for i in range(0, len(messages), BATCH):
        score(messages[i : i + BATCH])
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _startup_s(system: str) -> float:
    """Median wall time for a fresh process to answer one JSON line."""
    line = json.dumps({"id": 1, "text": "you are an idiot"}) + "\n"
    if system.startswith("commonground"):
        mode = "fast" if system.endswith("fast") else "accurate"
        command = [sys.executable, "-m", "commonground.cli", "analyze", "--mode", mode]
    else:
        script = (
            "import sys, json; from profanity_check import predict_prob; "
            "r = json.loads(sys.stdin.readline()); "
            "print(json.dumps({**r, 'p': float(predict_prob([r['text']])[0])}))"
        )
        command = [sys.executable, "-c", script]
    runs = []
    for _ in range(STARTUP_RUNS):
        start = time.perf_counter()
        subprocess.run(command, input=line, capture_output=True, text=True, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--accurate-messages", type=int, default=600)
    parser.add_argument("--rss-of", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    script_data(args.data)
    if args.rss_of:
        _rss_child(args.rss_of, args.data, args.messages)
        return
    _pin_one_core()
    messages = _messages(args.data, args.messages)
    mean_chars = sum(map(len, messages)) / len(messages)
    print(f"{len(messages)} messages (held-out test split, cycled; mean {mean_chars:.0f} chars), one core")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    header = f"{'system':<22} {'msg/s':>9} {'msg/CPU-s':>10} {'p50 ms':>8} {'p99 ms':>8}"
    print(f"{header} {'peak RSS MB':>12} {'start-up s':>11}")
    for system in SYSTEMS:
        count = args.accurate_messages if system == "commonground-accurate" else args.messages
        score = _scorer(system)
        rate, cpu_rate = _throughput(score, messages[:count])
        unseen = messages[count : count + LATENCY_SAMPLES // 10] if count < len(messages) else messages
        p50, p99 = _latencies_ms(score, unseen[:LATENCY_SAMPLES])
        rss = _peak_rss_mb(system, args.data, count)
        startup = _startup_s(system)
        speed = f"{rate:>9,.0f} {cpu_rate:>10,.0f} {p50:>8.2f} {p99:>8.2f}"
        print(f"{system:<22} {speed} {rss:>12.0f} {startup:>11.2f}")
    print(
        "targets: accurate >= 300 msg/s and p99 <= 30 ms; fast >= 5,000 msg/s; peak RSS <= 500 MB. The "
        "latency of the accurate mode is measured on messages it has not seen (windows are remembered)."
    )


if __name__ == "__main__":
    main()
