"""Synthetic conversations: the data-only generator's conversations per second (target >= 1,000) and the
role-play generator's conversations per minute with the configured model (the embedded default).

Run from the project root: `.venv/bin/python bench/bench_synth.py [--count 20000] [--roleplay 3]`.
Data-only: English, 4-10 turns, every trajectory, written as JSON lines to memory; the utterance pools are
loaded once before timing; wall-clock and CPU time are both given, since other processes may share the
cores. Role-play: 4-turn dispute conversations, half derailing and half recovering with the intervene task
as mediator, then the detector's agreement with their planned labels.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.synthesis.export import write_jsonl
from commonground.synthesis.generators.base import generate
from commonground.synthesis.generators.data import DataGenerator
from commonground.synthesis.plan import Planner, Spec
from commonground.synthesis.quality import label_agreement

TARGET_PER_S = 1000


def data_only(data_dir: Path, count: int) -> None:
    generator = DataGenerator()
    planner = Planner(
        Spec(count=count, turns=(4, 10), data_dir=data_dir),
        languages=generator.languages,
        needs_openings=True,
    )
    started = time.perf_counter()
    generator.prepare(planner)
    loaded = time.perf_counter() - started
    sink = io.StringIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    made = sum(1 for _ in write_jsonl(generate(generator, planner), sink))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = made / elapsed
    verdict = "meets" if rate >= TARGET_PER_S else "MISSES"
    print(f"data-only: utterance pools loaded in {loaded:.1f} s")
    print(
        f"data-only: {made:,} conversations in {elapsed:.2f} s = {rate:,.0f} conversations/s "
        f"({made / cpu:,.0f} per CPU-second; {sink.tell() / made:,.0f} bytes each); "
        f"{verdict} the {TARGET_PER_S:,}/s target"
    )


def roleplay(data_dir: Path, count: int) -> None:
    from commonground.core.settings import load_settings
    from commonground.llm import open_model
    from commonground.synthesis.generators.roleplay import RolePlayGenerator

    model = open_model(load_settings())
    generator = RolePlayGenerator(model)
    spec = Spec(
        count=count,
        scenarios=("disputes",),
        turns=(4, 4),
        mix={"derail": 1, "recover": 1},
        data_dir=data_dir,
    )
    planner = Planner(spec, languages=generator.languages, needs_openings=False)
    started = time.perf_counter()
    made = list(generate(generator, planner))
    elapsed = time.perf_counter() - started
    turns = sum(len(c.messages) for c in made)
    print(
        f"role-play ({model.name}): {len(made)} conversations, {turns} messages in {elapsed:.0f} s = "
        f"{len(made) / elapsed * 60:.2f} conversations/min, {elapsed / turns:.1f} s per message"
    )
    agreement = label_agreement(made)
    by_label = {label: f"{v['value']} (n={v['n']})" for label, v in agreement["by_label"].items()}
    print(f"role-play: detector agrees with the planned labels {agreement['agreement']['value']}: {by_label}")
    derailing = agreement["by_stage"].get("derailment", {})
    flagged, n = derailing.get("value"), derailing.get("n")
    print(f"role-play: derailing turns flagged by the detector: {flagged} (n={n})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEVELOPMENT_DATA)
    parser.add_argument("--count", type=int, default=20_000, help="data-only conversations")
    parser.add_argument("--roleplay", type=int, default=3, help="role-play conversations (0: skip)")
    args = parser.parse_args()
    data_only(script_data(args.data), args.count)
    if args.roleplay:
        roleplay(args.data, args.roleplay)


if __name__ == "__main__":
    main()
