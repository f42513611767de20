"""Latency of one derailment forecast for a 20-message conversation (target: <= 10 ms).

Run from the project root: `.venv/bin/python bench/bench_forecast.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from commonground.signals.derailment import DATA_PATH, DerailmentForecaster, read_corpus

TARGET_MS = 10.0


def conversation(length: int) -> list[str]:
    """`length` real ChangeMyView comments, in corpus order."""
    texts = [text for row in read_corpus(DATA_PATH) for text in row["texts"]]
    return texts[:length]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    forecaster = DerailmentForecaster.load()
    load_ms = (time.perf_counter() - started) * 1000
    messages = conversation(args.messages)
    incivility = "with" if forecaster.meta.get("incivility") else "without"
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        forecaster.risk(messages)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"model {forecaster.meta['name']} ({incivility} incivility detector), load {load_ms:.1f} ms")
    median = statistics.median(timings)
    print(f"{args.messages}-message conversation, {args.runs} runs: median {median:.2f} ms, p99 {p99:.2f} ms")
    print(f"target <= {TARGET_MS:g} ms")


if __name__ == "__main__":
    main()
