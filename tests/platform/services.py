"""Real servers on free loopback ports for the tests and benchmarks: PostgreSQL and Redis from Debian's
packages, and the platform itself under uvicorn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
import redis
import uvicorn
from starlette.types import ASGIApp

POSTGRES_ROOT = Path("/usr/lib/postgresql")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def platform_env(
    data_dir: str | Path, *, admin_key: str, rate_limit_per_minute: int, **platform: str
) -> dict[str, str]:
    """The environment of a platform process on `data_dir` whose model backend is unreachable (a flagged
    draft's rephrasing fails fast instead of loading a model); `platform` sets more platform settings."""
    settings = {"admin_key": admin_key, "rate_limit_per_minute": str(rate_limit_per_minute)} | platform
    return (
        os.environ
        | {"COMMONGROUND_DATA_DIR": str(data_dir)}
        | {f"COMMONGROUND_PLATFORM__{name.upper()}": value for name, value in settings.items()}
        | {
            "COMMONGROUND_LLM__BACKEND": "openai",
            "COMMONGROUND_LLM__BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
            "COMMONGROUND_LLM__MODEL": "none",
            "COMMONGROUND_LLM__MAX_RETRIES": "0",
        }
    )


def launch_platform(env: dict[str, str], *, keep_alive_s: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start the platform under uvicorn on a free loopback port; returns the process and its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "commonground.platform.app:create_app", "--factory"]
    command += [
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ws",
        "websockets-sansio",
        "--log-level",
        "warning",
    ]
    if keep_alive_s is not None:
        command += ["--timeout-keep-alive", str(keep_alive_s)]
    return subprocess.Popen(command, env=env), f"http://127.0.0.1:{port}"


def wait_until_ready(process: subprocess.Popen, base: str, *, timeout_s: float = 60) -> None:
    """Wait until the platform at `base` answers; raise if it exits or does not answer in time."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            httpx.get(f"{base}/openapi.json", timeout=2).raise_for_status()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.2)


@contextmanager
def serve_in_thread(app: ASGIApp, *, send_buffer: int | None = None) -> Iterator[str]:
    """Serve `app` under uvicorn in a thread on a free loopback port; yields its base URL.

    `send_buffer` sets the kernel's send buffer of every accepted connection (bytes).
    """
    listener = socket.socket()
    if send_buffer is not None:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the platform did not start on loopback")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def _as_postgres(*command: str) -> list[str]:
    """`command` run as the `postgres` user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class PostgresServer:
    """A throw-away cluster in a temporary directory; each test gets its own database."""

    def __init__(self) -> None:
        found = sorted(POSTGRES_ROOT.glob("*/bin/pg_ctl"))
        if not found:
            pytest.fail(f"no PostgreSQL under {POSTGRES_ROOT}: run `apt-get install -y postgresql`")
        self.bin = found[-1].parent
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="commonground-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"

    def _run(self, tool: str, *args: str) -> None:
        command = _as_postgres(str(self.bin / tool), *args)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` shuts down cleanly, `immediate` skips the checkpoint (for throw-away)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres", autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """`redis-server` with persistence off, on a free loopback port; it can be stopped and started again on
    the same port (empty, as after a restart without persistence)."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("no redis-server on PATH: run `apt-get install -y redis-server`")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._command = [
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self._process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Start the server and wait until it answers."""
        assert self._process is None, "the server is running"
        self._process = subprocess.Popen(self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline or self._process.poll() is not None:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (its clients' connections drop); nothing is kept."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
