"""The web platform under load on loopback: WebSocket fan-out with the pre-send check, and comments:analyze.

Usage: python bench/bench_platform.py [--conversations 50] [--members 4] [--messages 5] [--analyze 2000]

Starts one uvicorn server process on a free loopback port with a temporary SQLite database, connects
members x conversations WebSocket clients, and has every client post `--messages` messages, each after a
`/check` (the pre-send check). Figures: fan-out latency (post sent -> frame received by each other member)
p50/p99, messages/s, check p50/p99, `POST /v1alpha1/comments:analyze` requests/s and p99, and a count check
that every message was stored once and delivered once to every member. Every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

log = logging.getLogger("bench_platform")
ADMIN = {"X-Admin-Key": "bench-admin-key"}
DELIVERY_TIMEOUT_S = 120.0
ANALYZE_CONCURRENCY = 16
TEXTS = ("I think the lens was cracked before it shipped.", "Could we look at the photos together?")


@dataclass
class Member:
    conversation_id: str
    group: str
    name: str
    token: str
    received: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def _start_server(data_dir: str) -> tuple[subprocess.Popen, str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.platform.services import free_port, launch_platform, wait_until_ready

    env = os.environ | {
        "COMMONGROUND_DATA_DIR": data_dir,
        "COMMONGROUND_PLATFORM__ADMIN_KEY": ADMIN["X-Admin-Key"],
        "COMMONGROUND_PLATFORM__RATE_LIMIT_PER_MINUTE": "1000000",
        # No model server: a flagged draft's rephrasing fails fast instead of loading a model mid-run.
        "COMMONGROUND_LLM__BACKEND": "openai",
        "COMMONGROUND_LLM__BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "COMMONGROUND_LLM__MODEL": "none",
        "COMMONGROUND_LLM__MAX_RETRIES": "0",
    }
    process, base = launch_platform(env, keep_alive_s=300)  # idle pooled client connections stay usable
    try:
        wait_until_ready(process, base)
    except httpx.TransportError:
        process.kill()
        raise
    return process, base


async def _create(http: httpx.AsyncClient, index: int, members: int) -> list[Member]:
    group = f"P{index}-"
    people = [{"name": f"{group}{m}", "role": "party"} for m in range(members)]
    body = {"kind": "deliberation", "title": f"Bench {index}", "languages": ["en"], "participants": people}
    response = await http.post("/api/admin/conversations", json=body, headers=ADMIN)
    response.raise_for_status()
    data = response.json()
    cid = data["conversation"]["id"]
    return [Member(cid, group, i["participant"]["name"], i["token"]) for i in data["invitations"]]


async def _listen(
    ws_base: str, member: Member, expected: int, sent_at: dict[str, float], ready: asyncio.Event
) -> None:
    url = f"{ws_base}/api/conversations/{member.conversation_id}/ws?token={member.token}"
    async with connect(url, max_queue=None) as websocket:
        ready.set()
        deadline = time.monotonic() + DELIVERY_TIMEOUT_S
        while sum(member.received.values()) < expected and time.monotonic() < deadline:
            try:
                frame = json.loads(await asyncio.wait_for(websocket.recv(), deadline - time.monotonic()))
            except TimeoutError:
                break
            if frame.get("type") != "event" or frame["kind"] != "message":
                continue
            text = frame["payload"]["text"]
            member.received[text] += 1
            if not text.startswith(f"[{member.name}]"):
                member.latencies.append(time.perf_counter() - sent_at[text])


async def _talk(
    http: httpx.AsyncClient, member: Member, messages: int, sent_at: dict[str, float], checks: list[float]
) -> None:
    auth = {"Authorization": f"Bearer {member.token}"}
    base = f"/api/conversations/{member.conversation_id}"
    for i in range(messages):
        text = f"[{member.name}] {i}: {TEXTS[i % len(TEXTS)]}"
        started = time.perf_counter()
        (await http.post(f"{base}/check", json={"text": text}, headers=auth)).raise_for_status()
        checks.append(time.perf_counter() - started)
        sent_at[text] = time.perf_counter()
        body = {"client_id": f"{member.name}-{i}", "text": text}
        (await http.post(f"{base}/messages", json=body, headers=auth)).raise_for_status()


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if values else float("nan")


async def _fan_out(base: str, args: argparse.Namespace) -> None:
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        groups = await asyncio.gather(*(_create(http, i, args.members) for i in range(args.conversations)))
        members = [m for group in groups for m in group]
        per_conversation = args.members * args.messages
        sent_at: dict[str, float] = {}
        readies = [asyncio.Event() for _ in members]
        ws_base = base.replace("http", "ws", 1)
        listeners = [
            asyncio.create_task(_listen(ws_base, m, per_conversation, sent_at, ready))
            for m, ready in zip(members, readies, strict=True)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        log.info("%d WebSocket clients connected in %d conversations", len(members), len(groups))
        checks: list[float] = []
        started = time.perf_counter()
        await asyncio.gather(*(_talk(http, m, args.messages, sent_at, checks) for m in members))
        await asyncio.gather(*listeners)
        elapsed = time.perf_counter() - started
        stored: Counter[str] = Counter()
        for group in groups:
            auth = {"Authorization": f"Bearer {group[0].token}"}
            listed = (
                await http.get(f"/api/conversations/{group[0].conversation_id}/messages", headers=auth)
            ).json()
            stored.update(m["text"] for m in listed)
    latencies = [lat for m in members for lat in m.latencies]
    delivered_once = all(
        m.received == Counter(t for t in sent_at if t.startswith(f"[{m.group}")) for m in members
    )
    stored_once = set(stored) == set(sent_at) and set(stored.values()) == {1}
    log.info("messages sent %d, stored %d (each once: %s)", len(sent_at), sum(stored.values()), stored_once)
    log.info("delivered once to every member: %s", delivered_once)
    log.info(
        "fan-out latency p50 %.1f ms, p99 %.1f ms (%d deliveries to other members)",
        _pct(latencies, 50),
        _pct(latencies, 99),
        len(latencies),
    )
    log.info("pre-send check p50 %.1f ms, p99 %.1f ms", _pct(checks, 50), _pct(checks, 99))
    log.info(
        "%.1f messages/s posted (each after a check), %.0f deliveries/s, over %.1f s",
        len(sent_at) / elapsed,
        (len(latencies) + len(sent_at)) / elapsed,
        elapsed,
    )


async def _analyze(base: str, count: int) -> None:
    body = {"comment": {"text": "You are an idiot and a liar."}, "requestedAttributes": {"TOXICITY": {}}}
    latencies: list[float] = []
    queue = iter(range(count))

    async def run(http: httpx.AsyncClient) -> None:
        for _ in queue:
            started = time.perf_counter()
            (await http.post("/v1alpha1/comments:analyze", json=body)).raise_for_status()
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        started = time.perf_counter()
        await asyncio.gather(*(run(http) for _ in range(ANALYZE_CONCURRENCY)))
        elapsed = time.perf_counter() - started
    log.info(
        "comments:analyze %d requests, %d concurrent: %.0f requests/s, p50 %.1f ms, p99 %.1f ms",
        count,
        ANALYZE_CONCURRENCY,
        count / elapsed,
        _pct(latencies, 50),
        _pct(latencies, 99),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--messages", type=int, default=5, help="Messages each client posts.")
    parser.add_argument("--analyze", type=int, default=2000, help="comments:analyze requests to send.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="commonground-bench-") as data_dir:
        process, base = _start_server(data_dir)
        try:
            asyncio.run(_fan_out(base, args))
            asyncio.run(_analyze(base, args.analyze))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
