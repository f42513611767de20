"""The platform's own work per message, without HTTP or WebSockets: CPU per pre-send check + post, in process.

Usage: python bench/profile_flow.py [--messages 500] [--detector fast|accurate] [--top 40]

Builds a platform on a temporary SQLite database, opens `--conversations` two-person disputes and, after a
warm-up, has their people check and post civil messages in turn through `platform.flow` (the functions the
routes call). Prints the CPU milliseconds per check + post without a profiler and with one, the number of
Python function calls per check + post (steadier than time on a shared machine), and cProfile's `--top`
functions by cumulative time. `bench_platform.py --profile` samples the whole server under load instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import uuid
from pathlib import Path

from commonground.core.settings import load_settings
from commonground.platform import flow
from commonground.platform.conversations import create_conversation
from commonground.platform.db.models import ParticipantRow
from commonground.platform.runtime import Platform
from commonground.platform.schemas import ConversationCreate, MessageCreate, ParticipantCreate

TEXT = "I think the lens was cracked before it shipped."
WARM_UP = 50


def _people(platform: Platform, conversations: int) -> list[str]:
    ids = []
    for _ in range(conversations):
        body = ConversationCreate(
            kind="dispute",
            title="Camera",
            languages=["en"],
            participants=[ParticipantCreate(name="John"), ParticipantCreate(name="Jane")],
        )
        with platform.session() as session:
            ids += [i.participant.id for i in create_conversation(platform, session, body).invitations]
    return ids


def _check_and_post(platform: Platform, participant_id: str) -> None:
    with platform.session() as session:
        flow.check_draft(platform, session, session.get(ParticipantRow, participant_id), TEXT)
    with platform.session() as session:
        body = MessageCreate(client_id=uuid.uuid4().hex, text=TEXT)
        flow.post_message(platform, session, session.get(ParticipantRow, participant_id), body)


def _cpu_ms(platform: Platform, people: list[str], messages: int, offset: int) -> float:
    start = time.process_time()
    for i in range(messages):
        _check_and_post(platform, people[(offset + i) % len(people)])
    return (time.process_time() - start) / messages * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--detector", choices=("fast", "accurate"), default="accurate")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="commonground-profile-") as data_dir:
        settings = load_settings(
            data_dir=Path(data_dir),
            platform={"admin_key": "profile", "rate_limit_per_minute": 10**9, "detector": args.detector},
        )
        platform = Platform(settings)
        try:
            people = _people(platform, args.conversations)
            _cpu_ms(platform, people, WARM_UP, 0)
            plain = _cpu_ms(platform, people, args.messages, WARM_UP)
            profiler = cProfile.Profile()
            profiler.enable()
            profiled = _cpu_ms(platform, people, args.messages, WARM_UP + args.messages)
            profiler.disable()
        finally:
            platform.close()
    stats = pstats.Stats(profiler)
    print(f"detector {args.detector}, {args.messages} checks + posts over {args.conversations} conversations")
    print(f"CPU per check + post: {plain:.2f} ms ({profiled:.2f} ms under the profiler)")
    print(f"Python function calls per check + post: {stats.total_calls / args.messages:,.0f}")  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
