"""Memory of idle WebSocket connections: the server's resident memory before and after opening them.

Usage: python bench/bench_idle.py [--connections 1000] [--members 4]

Starts one uvicorn server process on loopback with a temporary SQLite database (as bench_platform does),
opens `--connections` WebSockets spread over conversations of `--members`, waits until each got its
catch-up, and reports the server's RSS (from /proc) before and after, and per connection.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import sys
import tempfile
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench_platform import _create, _start_servers

log = logging.getLogger("bench_idle")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


async def _run(base: str, pid: int, connections: int, members: int) -> None:
    people = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for start in range(0, -(-connections // members), 10):  # ten at a time
            groups = await asyncio.gather(*(_create(http, start + i, members) for i in range(10)))
            people += [m for group in groups for m in group]
    people = people[:connections]
    await asyncio.sleep(1)
    before = _rss_kib(pid)
    ws_base = base.replace("http", "ws", 1)
    sockets = []
    for start in range(0, len(people), 100):  # in batches, so the handshakes do not time out
        batch = people[start : start + 100]
        urls = [f"{ws_base}/api/conversations/{m.conversation_id}/ws?token={m.token}" for m in batch]
        sockets += await asyncio.gather(*(connect(url, open_timeout=60) for url in urls))
    await asyncio.sleep(3)
    after = _rss_kib(pid)
    log.info(
        "%d idle WebSockets: server RSS %.1f MiB -> %.1f MiB, %.1f KiB per connection",
        len(sockets),
        before / 1024,
        after / 1024,
        (after - before) / len(sockets),
    )
    await asyncio.gather(*(s.close() for s in sockets))


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.platform.services: real servers
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--members", type=int, default=4)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.connections)), hard))
    with tempfile.TemporaryDirectory(prefix="commonground-bench-") as data_dir:
        [(process, base)] = _start_servers(data_dir, 1, database_url=None, redis_url=None)
        try:
            asyncio.run(_run(base, process.pid, args.connections, args.members))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
