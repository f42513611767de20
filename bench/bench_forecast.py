"""Latency of one derailment forecast for a 20-message conversation (target: <= 10 ms).

Run from the project root: `.venv/bin/python bench/bench_forecast.py [--runs N] [--mode accurate|fast]`
(the incivility detector's mode, with the forecaster of that mode).
Each run scores a different 20-message window of real ChangeMyView comments, so nothing is cached:
`cold` scores a window never seen; `incremental` scores the same window after one new message, as a live
conversation does (the earlier messages' incivility is cached).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from commonground.core.devdata import script_data
from commonground.datasets import read_cga
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import DATA_PATH
from commonground.signals.incivility import IncivilityDetector

TARGET_MS = 10.0


def timed(score: Callable[[], float]) -> float:
    start = time.perf_counter()
    score()
    return (time.perf_counter() - start) * 1000


def summary(name: str, timings: list[float]) -> str:
    timings = sorted(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return f"{name}: median {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--mode", choices=("accurate", "fast"), default="accurate")
    args = parser.parse_args()
    data = script_data(DATA_PATH, option=None)
    started = time.perf_counter()
    forecaster = DerailmentForecaster.load(detector=IncivilityDetector.load(args.mode))
    load_ms = (time.perf_counter() - started) * 1000
    stream = [text for case in read_cga(data) for text in case.texts]
    size = args.messages
    windows = [stream[i : i + size + 1] for i in range(0, len(stream) - size - 1, size + 1)][: args.runs]
    cold = [timed(lambda w=window: forecaster.risk(w[:-1])) for window in windows]
    incremental = [timed(lambda w=window: forecaster.risk(w[1:])) for window in windows]
    print(f"model {forecaster.meta['name']} ({args.mode} incivility detector), load {load_ms:.1f} ms")
    print(f"{len(windows)} distinct {size}-message conversations; load average {os.getloadavg()[0]:.1f}")
    print(summary("cold", cold))
    print(summary("incremental", incremental))
    print(f"target <= {TARGET_MS:g} ms")


if __name__ == "__main__":
    main()
