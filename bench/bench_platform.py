"""The web platform under load on loopback: WebSocket fan-out with the pre-send check, and comments:analyze.

Usage: python bench/bench_platform.py [--conversations 50] [--members 4] [--messages 5] [--analyze 2000]
       python bench/bench_platform.py --rate 20 [--duration 30] [--sweep] [--p99-bound-ms 250]
       python bench/bench_platform.py ... --profile server.folded   (py-spy samples the server meanwhile)
       python bench/bench_platform.py ... --processes 2 --database postgresql   (scale-out)

Starts one uvicorn server process on a free loopback port with a temporary SQLite database (or `--processes
N` of them sharing a real Redis, and with `--database postgresql` a real PostgreSQL server) and connects
members x conversations WebSocket clients, spread over the processes. Saturated (the default): every client
posts `--messages` messages back to back, each after a `/check` (the pre-send check), then
`comments:analyze` is hammered. Paced (`--rate N`): N messages/s in all, evenly spaced and spread over the
clients, for `--duration` seconds; with `--sweep`, the rate rises by half at each step (fresh conversations
each time) until p99 fan-out passes `--p99-bound-ms`, the server falls behind the schedule, or a message is
miscounted, and the highest rate that held is reported. Figures: fan-out latency (post sent -> frame
received by each other member) p50/p99, messages/s, check p50/p99, `POST /v1alpha1/comments:analyze`
requests/s and p99, and a count check that every message was stored once and delivered once to every member.
The load average is logged before and after (other work on the machine skews the figures). Every loop is
bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import os
import random
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

log = logging.getLogger("bench_platform")
ADMIN = {"X-Admin-Key": "bench-admin-key"}
DELIVERY_TIMEOUT_S = 120.0
ANALYZE_CONCURRENCY = 16
SCHEDULE_KEPT = 0.95
"""Paced: the share of the target rate the posting must reach to count as on schedule."""
SWEEP_STEP = 1.5
TEXTS = ("I think the lens was cracked before it shipped.", "Could we look at the photos together?")


@dataclass
class Member:
    conversation_id: str
    group: str
    name: str
    token: str
    base: str = ""
    """The server process this member uses (HTTP and WebSocket)."""
    received: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def _start_servers(
    data_dir: str, processes: int, *, database_url: str | None, redis_url: str | None
) -> list[tuple[subprocess.Popen, str]]:
    """`processes` server processes on one database (and one Redis when several), each ready."""
    from tests.platform.services import launch_platform, platform_env, wait_until_ready

    given = {"database_url": database_url, "redis_url": redis_url}
    env = platform_env(
        data_dir,
        admin_key=ADMIN["X-Admin-Key"],
        rate_limit_per_minute=1_000_000,
        **{name: value for name, value in given.items() if value},
    )
    servers = [launch_platform(env, keep_alive_s=300) for _ in range(processes)]  # keep-alive: pooled clients
    try:
        for process, base in servers:
            wait_until_ready(process, base)
    except httpx.TransportError:
        for process, _ in servers:
            process.kill()
        raise
    return servers


async def _create(http: httpx.AsyncClient, index: int, members: int) -> list[Member]:
    group = f"P{index}-"
    people = [{"name": f"{group}{m}", "role": "party"} for m in range(members)]
    body = {"kind": "deliberation", "title": f"Bench {index}", "languages": ["en"], "participants": people}
    response = await http.post("/api/admin/conversations", json=body, headers=ADMIN)
    response.raise_for_status()
    data = response.json()
    cid = data["conversation"]["id"]
    return [Member(cid, group, i["participant"]["name"], i["token"]) for i in data["invitations"]]


@dataclass
class Window:
    """Deliveries are awaited until DELIVERY_TIMEOUT_S after the last post (however late the posting ran)."""

    deadline: float = float("inf")

    def close_after(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds


async def _listen(
    member: Member,
    expected: int,
    sent_at: dict[str, float],
    ready: asyncio.Event,
    window: Window,
) -> None:
    ws_base = member.base.replace("http", "ws", 1)
    url = f"{ws_base}/api/conversations/{member.conversation_id}/ws?token={member.token}"
    async with connect(url, max_queue=None) as websocket:
        ready.set()
        while sum(member.received.values()) < expected and time.monotonic() < window.deadline:
            try:
                wait_s = min(1.0, window.deadline - time.monotonic())
                frame = json.loads(await asyncio.wait_for(websocket.recv(), wait_s))
            except TimeoutError:
                continue
            if frame.get("type") != "event" or frame["kind"] != "message":
                continue
            text = frame["payload"]["text"]
            member.received[text] += 1
            if not text.startswith(f"[{member.name}]"):
                member.latencies.append(time.perf_counter() - sent_at[text])


async def _talk(
    http: httpx.AsyncClient,
    member: Member,
    offsets: list[float],
    *,
    start: float,
    sent_at: dict[str, float],
    checks: list[float],
) -> None:
    """Post a message at each offset (seconds after `start`; late if the previous one is still out)."""
    auth = {"Authorization": f"Bearer {member.token}"}
    base = f"/api/conversations/{member.conversation_id}"
    for i, offset in enumerate(offsets):
        await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
        text = f"[{member.name}] {i}: {TEXTS[i % len(TEXTS)]}"
        started = time.perf_counter()
        (await http.post(f"{base}/check", json={"text": text}, headers=auth)).raise_for_status()
        checks.append(time.perf_counter() - started)
        sent_at[text] = time.perf_counter()
        body = {"client_id": f"{member.name}-{i}", "text": text}
        (await http.post(f"{base}/messages", json=body, headers=auth)).raise_for_status()


def _clients(stack: contextlib.AsyncExitStack, bases: list[str], count: int) -> list[httpx.AsyncClient]:
    """`count` HTTP clients, one connection each, as people have, made before the clock starts; client i
    talks to server `bases[i % len(bases)]`.

    httpx's pool scans every connection it holds on each request, so one client shared by hundreds of
    members costs more CPU than the server it measures; and each new client builds a TLS context (tens
    of milliseconds), so they share one.
    """
    tls = ssl.create_default_context()
    clients = [
        httpx.AsyncClient(base_url=bases[i % len(bases)], timeout=60, verify=tls) for i in range(count)
    ]
    for client in clients:
        stack.push_async_exit(client)
    return clients


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if values else float("nan")


@dataclass
class Run:
    """What one fan-out run measured."""

    sent: int
    posting_s: float
    latencies: list[float]
    checks: list[float]
    stored_once: bool
    delivered_once: bool

    @property
    def p99_ms(self) -> float:
        return _pct(self.latencies, 99)

    def report(self, label: str) -> None:
        log.info("%s", label)
        log.info(
            "  messages sent %d, stored each once: %s, delivered once to every member: %s",
            self.sent,
            self.stored_once,
            self.delivered_once,
        )
        log.info(
            "  fan-out latency p50 %.1f ms, p99 %.1f ms (%d deliveries to other members)",
            _pct(self.latencies, 50),
            self.p99_ms,
            len(self.latencies),
        )
        log.info("  pre-send check p50 %.1f ms, p99 %.1f ms", _pct(self.checks, 50), _pct(self.checks, 99))
        log.info(
            "  %.1f messages/s posted (each after a check), %.0f deliveries/s, over %.1f s",
            self.sent / self.posting_s,
            (len(self.latencies) + self.sent) / self.posting_s,
            self.posting_s,
        )


def saturated_plan(clients: int, messages: int) -> list[list[float]]:
    """Every client posts `messages` messages back to back, all clients at once."""
    return [[0.0] * messages for _ in range(clients)]


def paced_plan(clients: int, *, rate: float, duration_s: float, seed: int = 0) -> list[list[float]]:
    """`rate` messages/s in all for `duration_s`, evenly spaced, spread over the clients in a shuffled
    round-robin (consecutive messages come from different clients)."""
    order = list(range(clients))
    random.Random(seed).shuffle(order)
    plan: list[list[float]] = [[] for _ in range(clients)]
    for k in range(round(rate * duration_s)):
        plan[order[k % clients]].append(k / rate)
    return plan


async def _fan_out(
    bases: list[str], args: argparse.Namespace, plan_of: Callable[[int], list[list[float]]]
) -> Run:
    """New conversations, every member listening on a WebSocket, the planned messages posted, then the
    count check: every message stored once and delivered once to every member of its conversation.
    With several server processes, members are spread over them (so most messages cross processes)."""
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=bases[0], timeout=60))
        groups = await asyncio.gather(*(_create(http, i, args.members) for i in range(args.conversations)))
        members = [m for group in groups for m in group]
        for i, member in enumerate(members):
            member.base = bases[i % len(bases)]
        plan = plan_of(len(members))
        expected: Counter[str] = Counter()
        for member, offsets in zip(members, plan, strict=True):
            expected[member.conversation_id] += len(offsets)
        window = Window()
        sent_at: dict[str, float] = {}
        readies = [asyncio.Event() for _ in members]
        listeners = [
            asyncio.create_task(_listen(m, expected[m.conversation_id], sent_at, ready, window))
            for m, ready in zip(members, readies, strict=True)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
        log.info("%d WebSocket clients connected in %d conversations", len(members), len(groups))
        clients = _clients(stack, bases, len(members))
        checks: list[float] = []
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _talk(client, m, offsets, start=start, sent_at=sent_at, checks=checks)
                for client, m, offsets in zip(clients, members, plan, strict=True)
            )
        )
        posting_s = time.perf_counter() - start
        window.close_after(DELIVERY_TIMEOUT_S)
        await asyncio.gather(*listeners)
        stored: Counter[str] = Counter()
        for group in groups:
            auth = {"Authorization": f"Bearer {group[0].token}"}
            listed = (
                await http.get(f"/api/conversations/{group[0].conversation_id}/messages", headers=auth)
            ).json()
            stored.update(m["text"] for m in listed)
    return Run(
        sent=len(sent_at),
        posting_s=posting_s,
        latencies=[lat for m in members for lat in m.latencies],
        checks=checks,
        stored_once=set(stored) == set(sent_at) and set(stored.values()) == {1},
        delivered_once=all(
            m.received == Counter(t for t in sent_at if t.startswith(f"[{m.group}")) for m in members
        ),
    )


async def _paced(bases: list[str], args: argparse.Namespace) -> None:
    """At `--rate`, or with `--sweep` at rising rates until p99 fan-out passes `--p99-bound-ms` or the
    server falls behind the schedule; the highest rate that held."""
    rate, held = args.rate, None
    while True:
        plan = functools.partial(paced_plan, rate=rate, duration_s=args.duration)
        run = await _fan_out(bases, args, plan)
        run.report(f"paced at {rate:g} messages/s for {args.duration:g} s")
        kept_pace = run.sent / run.posting_s >= SCHEDULE_KEPT * rate
        if not (run.p99_ms < args.p99_bound_ms and kept_pace and run.stored_once and run.delivered_once):
            break
        held = rate
        if not args.sweep:
            return
        rate *= SWEEP_STEP
    if args.sweep:
        log.info(
            "highest rate with p99 fan-out under %g ms, on schedule and every message counted: %s",
            args.p99_bound_ms,
            f"{held:g} messages/s" if held is not None else f"none from {args.rate:g} messages/s",
        )


async def _analyze(bases: list[str], count: int) -> None:
    body = {"comment": {"text": "You are an idiot and a liar."}, "requestedAttributes": {"TOXICITY": {}}}
    latencies: list[float] = []
    queue = iter(range(count))

    async def run(http: httpx.AsyncClient) -> None:
        for _ in queue:
            started = time.perf_counter()
            (await http.post("/v1alpha1/comments:analyze", json=body)).raise_for_status()
            latencies.append(time.perf_counter() - started)

    async with contextlib.AsyncExitStack() as stack:
        clients = _clients(stack, bases, ANALYZE_CONCURRENCY)
        started = time.perf_counter()
        await asyncio.gather(*(run(http) for http in clients))
        elapsed = time.perf_counter() - started
    log.info(
        "comments:analyze %d requests, %d concurrent: %.0f requests/s, p50 %.1f ms, p99 %.1f ms",
        count,
        ANALYZE_CONCURRENCY,
        count / elapsed,
        _pct(latencies, 50),
        _pct(latencies, 99),
    )


@contextlib.contextmanager
def _server_cpu(pids: list[int], what: str) -> Iterator[None]:
    """Log the server processes' CPU seconds (user + system) spent during the block: unlike latency, this
    barely depends on what else the machine is running."""

    def used_s() -> tuple[float, float]:
        user = system = 0.0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            user += int(fields[11]) / os.sysconf("SC_CLK_TCK")
            system += int(fields[12]) / os.sysconf("SC_CLK_TCK")
        return user, system

    user, system = used_s()
    yield
    user, system = (after - before for after, before in zip(used_s(), (user, system), strict=True))
    log.info("  server CPU during %s: %.1f s (user %.1f s, system %.1f s)", what, user + system, user, system)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        log.warning("a server did not stop within 30 s of SIGTERM; killed")
        process.kill()


def _database_and_relay(
    stack: contextlib.ExitStack, args: argparse.Namespace
) -> tuple[str | None, str | None]:
    """PostgreSQL's URL (`--database postgresql`) and Redis's (several processes), their servers started
    for the run and stopped with `stack`; None for SQLite and for one process."""
    from tests.platform.services import PostgresServer, RedisServer

    database_url = redis_url = None
    if args.database == "postgresql":
        postgres = PostgresServer()
        stack.callback(postgres.remove)
        postgres.init()
        postgres.start()
        stack.callback(postgres.stop, "immediate")
        database_url = postgres.new_database()
    if args.processes > 1:
        redis_server = RedisServer()
        stack.callback(redis_server.stop)
        redis_url = redis_server.url
    log.info("%d server process(es) on %s%s", args.processes, args.database, " + Redis" if redis_url else "")
    return database_url, redis_url


def _profile(pid: int, out: str) -> subprocess.Popen:
    """py-spy sampling the server process into `out` (collapsed stacks) until interrupted. Only the thread
    holding the GIL is sampled, so the stacks add up to the Python work (threads waiting on a lock, a queue
    or epoll do not show; nor does C code that releases the GIL, such as SQLite's)."""
    binary = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    command = [binary, "record", "--pid", str(pid), "--format", "raw", "--output", out, "--nonblocking"]
    command.append("--gil")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.platform.services: real servers
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--messages", type=int, default=5, help="Messages each client posts (saturated).")
    parser.add_argument("--analyze", type=int, default=2000, help="comments:analyze requests to send.")
    parser.add_argument("--rate", type=float, help="Paced: messages/s in all, spread over the clients.")
    parser.add_argument("--duration", type=float, default=30.0, help="Paced: seconds of posting.")
    parser.add_argument("--sweep", action="store_true", help="Paced: raise the rate until it fails.")
    parser.add_argument("--p99-bound-ms", type=float, default=250.0, help="Paced: the fan-out p99 to keep.")
    parser.add_argument("--profile", help="Write py-spy's collapsed stacks of the server to this file.")
    parser.add_argument("--processes", type=int, default=1, help="Server processes (several share Redis).")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    log.info("load before: %s", os.getloadavg())
    with contextlib.ExitStack() as stack:
        database_url, redis_url = _database_and_relay(stack, args)
        data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="commonground-bench-"))
        servers = _start_servers(data_dir, args.processes, database_url=database_url, redis_url=redis_url)
        for process, _ in servers:
            stack.callback(_stop, process)
        pids, bases = [process.pid for process, _ in servers], [base for _, base in servers]
        if args.profile:
            profiler = _profile(pids[0], args.profile)
            stack.callback(profiler.wait, timeout=60)
            stack.callback(profiler.send_signal, signal.SIGINT)
        if args.rate is not None:
            with _server_cpu(pids, "the paced runs"):
                asyncio.run(_paced(bases, args))
        else:
            plan = functools.partial(saturated_plan, messages=args.messages)
            with _server_cpu(pids, "the saturated run"):
                asyncio.run(_fan_out(bases, args, plan)).report("saturated: every client posting at once")
            with _server_cpu(pids, "comments:analyze"):
                asyncio.run(_analyze(bases, args.analyze))
    client = os.times()
    log.info("benchmark client CPU: %.1f s; load after: %s", client.user + client.system, os.getloadavg())


if __name__ == "__main__":
    main()
