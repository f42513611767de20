"""Scale-out: two real server processes on one database share live delivery, triggers and rate limits
through a real Redis server; a starting process leaves alone the jobs another one is running; Redis
restarted under a steady load loses nothing, and live delivery across processes resumes."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.llm.servers import completion, serve_faulty
from tests.platform.conftest import (
    ADMIN,
    ADMIN_KEY,
    PEOPLE,
    ScriptedModel,
    create_room,
    make_settings,
    wait_for,
)
from tests.platform.services import RedisServer, launch_platform, platform_env, wait_until_ready
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from commonground.platform.app import create_app
from commonground.platform.db.models import JobRow
from commonground.platform.errors import RateLimited
from commonground.platform.limits import RedisRateLimiter
from commonground.platform.relay import RETRY_S
from commonground.platform.runtime import Platform
from commonground.platform.worker import Worker

T = TypeVar("T")
RATE = 20
PACE_S = 0.05
BEFORE, DURING, AFTER = 10, 15, 10
"""Posts answered before Redis stops, while it is down, and after it is back."""
MAX_POSTS = 500
LEASE_TTL_S = 2
LONG_CALL_S = 6.0
"""A model call that outlasts a Redis restart and several lease renewals."""
LAG_BOUND_S = RETRY_S + 4
"""From Redis back to the first frame on the other process: one resubscribing retry, then a read."""


@contextmanager
def _processes(data_dir: Path, redis_url: str, *, rate: int) -> Iterator[list[str]]:
    """Two server processes sharing one SQLite file and one Redis; the model backend is unreachable."""
    env = platform_env(
        data_dir, admin_key=ADMIN_KEY, rate_limit_per_minute=rate, redis_url=redis_url, worker_poll_s="0.2"
    )
    started = [launch_platform(env) for _ in range(2)]
    try:
        for process, base in started:
            wait_until_ready(process, base)
        yield [base for _, base in started]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            process.wait(timeout=60)


@pytest.fixture(scope="module")
def servers(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    with _processes(tmp_path_factory.mktemp("scaleout"), redis_server.url, rate=RATE) as bases:
        yield bases


def _when(condition: Callable[[], T], *, within_s: float) -> T:
    """The first true value of `condition`, polled until `within_s` has passed."""
    deadline = time.monotonic() + within_s
    while not (value := condition()):
        assert time.monotonic() < deadline, f"still not so after {within_s:g} s"
        time.sleep(0.05)
    return value


def _running_draft(platform: Platform) -> str | None:
    """The id of the draft job being run, if one is."""
    with platform.session() as session:
        running = select(JobRow.id).where(JobRow.kind == "draft", JobRow.status == "running")
        return session.scalars(running).first()


def _room(base: str, **policy: object) -> tuple[str, dict[str, dict[str, str]]]:
    body = {"kind": "dispute", "title": "Camera", "languages": ["en"], "participants": PEOPLE}
    created = httpx.post(f"{base}/api/admin/conversations", json=body, headers=ADMIN).json()
    room = created["conversation"]
    if policy:
        url = f"{base}/api/admin/conversations/{room['id']}/policy"
        httpx.put(url, json=room["policy"] | policy, headers=ADMIN).raise_for_status()
    tokens = {i["participant"]["name"]: i["token"] for i in created["invitations"]}
    return room["id"], {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}


def test_message_posted_to_one_process_arrives_once_on_a_socket_of_the_other(servers: list[str]) -> None:
    a, b = servers
    cid, auth = _room(a)
    token = auth["Jane"]["Authorization"].removeprefix("Bearer ")
    with connect(f"{b.replace('http', 'ws')}/api/conversations/{cid}/ws?token={token}") as socket:
        posted = []
        for i in range(3):
            body = {"client_id": f"m{i}", "text": f"It arrived broken ({i})."}
            response = httpx.post(f"{a}/api/conversations/{cid}/messages", json=body, headers=auth["John"])
            posted.append(response.json()["id"])
        httpx.post(f"{a}/api/conversations/{cid}/messages", json=body, headers=auth["John"])  # a retry
        frames = []
        try:
            while True:
                frames.append(json.loads(socket.recv(timeout=1.5)))
        except TimeoutError:
            pass
    received = [f["payload"]["id"] for f in frames if f.get("kind") == "message"]
    assert received == posted


def test_an_inactivity_trigger_fires_once_across_processes(servers: list[str]) -> None:
    a, b = servers
    cid, auth = _room(a, triggers={"inactivity_s": 0.5})
    body = {"client_id": "m", "text": "Are you there?"}
    httpx.post(f"{b}/api/conversations/{cid}/messages", json=body, headers=auth["John"]).raise_for_status()
    time.sleep(3)
    audit = httpx.get(f"{a}/api/admin/conversations/{cid}/audit", headers=ADMIN).json()
    assert [d["event"] for d in audit].count("tick") == 1


def test_rate_limit_is_shared_by_the_processes(servers: list[str]) -> None:
    cid, auth = _room(servers[0])
    statuses = [
        httpx.post(
            f"{servers[i % 2]}/api/conversations/{cid}/check", json={"text": "Hello."}, headers=auth["Jane"]
        ).status_code
        for i in range(RATE + 1)
    ]
    assert statuses == [200] * RATE + [429]


def test_start_up_resumes_only_the_jobs_no_live_process_holds(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, redis_url=redis_server.url)
    with TestClient(create_app(settings, model=ScriptedModel(), worker=False)) as client:
        room = create_room(client)
        platform = client.app.state.platform  # type: ignore[attr-defined]
        with platform.session() as session:
            held, orphan = (JobRow(conversation_id=room.id, kind="tick", status="running") for _ in range(2))
            session.add_all([held, orphan])
            session.commit()
        worker = Worker(platform)
        assert worker.leases is not None and worker.leases.take(held.id)
        worker.start()
        worker.stop()
        with platform.session() as session:
            assert session.get(JobRow, held.id).status == "running"
            assert session.get(JobRow, orphan.id).status != "running"
        worker.leases.release(held.id)


@pytest.fixture
def restartable_redis() -> Iterator[RedisServer]:
    """A Redis server of the test's own, to stop and start again."""
    server = RedisServer()
    yield server
    server.stop()


class Feed:
    """A participant's socket on one process, collecting the ids of the messages it receives, and when."""

    def __init__(self, base: str, cid: str, auth: dict[str, str]) -> None:
        token = auth["Authorization"].removeprefix("Bearer ")
        self._url = f"{base.replace('http', 'ws')}/api/conversations/{cid}/ws?token={token}"
        self.arrivals: list[tuple[float, str]] = []
        self._open, self._closing = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()
        assert self._open.wait(10), "the socket did not open"

    def _receive(self) -> None:
        with connect(self._url) as socket:
            self._open.set()
            while not self._closing.is_set():
                try:
                    frame = json.loads(socket.recv(timeout=0.2))
                except TimeoutError:
                    continue
                except ConnectionClosed:
                    return
                if frame.get("type") == "event" and frame["kind"] == "message":
                    self.arrivals.append((time.monotonic(), frame["payload"]["id"]))

    def ids(self) -> list[str]:
        return [message_id for _, message_id in self.arrivals]

    def wait_for(self, ids: set[str], *, within_s: float) -> None:
        """Wait until every message of `ids` arrived; fail after `within_s`."""
        deadline = time.monotonic() + within_s
        while not ids <= set(self.ids()):
            assert time.monotonic() < deadline, f"{len(ids - set(self.ids()))} messages did not arrive"
            time.sleep(0.02)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=5)


@dataclass
class Post:
    client_id: str
    started: float
    status: int
    message_id: str | None


class Poster:
    """Posts to one process at a steady pace in a thread until stopped, holding while paused; keeps every
    answer."""

    def __init__(self, base: str, cid: str, auth: dict[str, str]) -> None:
        self.posts: list[Post] = []
        self._url, self._auth = f"{base}/api/conversations/{cid}/messages", auth
        self._go, self._holding, self._stopping = threading.Event(), threading.Event(), threading.Event()
        self._go.set()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=30) as http:
            for i in range(MAX_POSTS):
                if not self._go.is_set():
                    self._holding.set()
                    self._go.wait(60)
                    self._holding.clear()
                if self._stopping.is_set():
                    return
                started = time.monotonic()
                body = {"client_id": f"p{i}", "text": f"Steady message {i}."}
                response = http.post(self._url, json=body, headers=self._auth)
                message_id = response.json()["id"] if response.status_code == 201 else None
                self.posts.append(Post(body["client_id"], started, response.status_code, message_id))
                time.sleep(PACE_S)

    def wait_until(self, count: int, *, within_s: float = 30) -> None:
        """Wait until `count` posts were answered."""
        deadline = time.monotonic() + within_s
        while len(self.posts) < count:
            assert self._thread.is_alive() and time.monotonic() < deadline, "the posts stalled"
            time.sleep(0.01)

    def pause(self) -> None:
        """Hold before the next post; return once holding."""
        self._go.clear()
        assert self._holding.wait(10), "the poster did not hold"

    def resume(self) -> None:
        self._go.set()

    def stop(self) -> None:
        self._stopping.set()
        self._go.set()
        self._thread.join(timeout=60)


def test_a_redis_restart_mid_load_loses_nothing_and_live_delivery_resumes(
    restartable_redis: RedisServer, tmp_path: Path
) -> None:
    with _processes(tmp_path, restartable_redis.url, rate=100_000) as (a, b):
        cid, auth = _room(a)
        feeds = {"A": Feed(a, cid, auth["Jane"]), "B": Feed(b, cid, auth["Jane"])}
        poster = Poster(a, cid, auth["John"])
        try:
            poster.wait_until(BEFORE)
            feeds["B"].wait_for({p.message_id for p in poster.posts[:BEFORE]}, within_s=10)  # live

            restartable_redis.stop()
            down_since, answered = time.monotonic(), len(poster.posts)
            poster.wait_until(answered + 1 + DURING)  # the one in flight may have started before
            poster.pause()
            during = [p for p in poster.posts if p.started > down_since]
            assert len(during) >= DURING and {p.status for p in during} == {201}, during
            unpublished = {p.message_id for p in during}
            feeds["A"].wait_for(unpublished, within_s=10)  # the posting process's own sockets
            assert not unpublished & set(feeds["B"].ids())

            restartable_redis.start()
            back_at = time.monotonic()
            feeds["B"].wait_for(unpublished, within_s=LAG_BOUND_S)  # by the relay's wake-up alone
            lag_s = min(at for at, message_id in feeds["B"].arrivals if message_id in unpublished) - back_at
            print(f"relay lag after Redis came back: {lag_s:.3f} s (RETRY_S = {RETRY_S:g} s)")
            assert lag_s < LAG_BOUND_S

            answered = len(poster.posts)
            poster.resume()
            poster.wait_until(answered + AFTER)
            poster.stop()
            assert {p.status for p in poster.posts} == {201}
            acknowledged = [p.message_id for p in poster.posts]
            for feed in feeds.values():
                feed.wait_for(set(acknowledged), within_s=10)
        finally:
            poster.stop()
            for feed in feeds.values():
                feed.close()
        stored = httpx.get(f"{b}/api/conversations/{cid}/messages", headers=auth["Jane"]).json()
        assert [m["id"] for m in stored] == acknowledged
        for feed in feeds.values():
            assert sorted(feed.ids()) == sorted(acknowledged)


def test_the_rate_limit_lets_posts_through_while_redis_is_down_and_counts_again_after(
    restartable_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = redis.Redis.from_url(restartable_redis.url, socket_connect_timeout=2)
    limiter = RedisRateLimiter(client, per_minute=2)
    limiter.hit("john")
    limiter.hit("john")
    with pytest.raises(RateLimited):
        limiter.hit("john")
    restartable_redis.stop()
    with caplog.at_level(logging.WARNING, logger="commonground.platform.limits"):
        for _ in range(3):
            limiter.hit("john")
    assert len(caplog.records) == 1 and "redis" in caplog.records[0].getMessage().lower()
    restartable_redis.start()
    limiter.hit("john")
    limiter.hit("john")
    with pytest.raises(RateLimited):
        limiter.hit("john")
    client.close()


def test_a_running_jobs_lease_is_kept_through_a_redis_restart(
    restartable_redis: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with serve_faulty() as backend:
        draft = json.dumps(ScriptedModel.ANSWERS["draft"])
        backend.contents = {"DraftReply": draft}
        backend.script = [(200, completion(draft), LONG_CALL_S)]
        llm = {"backend": "openai", "base_url": backend.base_url, "model": "x", "max_retries": 0}
        settings = make_settings(tmp_path, redis_url=restartable_redis.url, llm=llm | {"timeout_s": 30})
        with TestClient(create_app(settings, worker=False)) as client:
            room = create_room(client)
            platform = client.app.state.platform  # type: ignore[attr-defined]
            worker = Worker(platform)
            assert worker.leases is not None
            worker.leases.ttl_s = LEASE_TTL_S
            worker.start()
            try:
                for name, text in (("John", "It arrived broken."), ("Jane", "It worked when I shipped it.")):
                    body = {"client_id": name, "text": text}
                    url = f"/api/conversations/{room.id}/messages"
                    client.post(url, json=body, headers=room.auth(name)).raise_for_status()
                queued = client.post(
                    f"/api/conversations/{room.id}/drafts", json={}, headers=room.auth("Mia")
                )
                job_id = _when(lambda: _running_draft(platform), within_s=10)
                with caplog.at_level(logging.WARNING, logger="commonground.platform.worker"):
                    restartable_redis.stop()
                    _when(lambda: any("not renewed" in r.getMessage() for r in caplog.records), within_s=5)
                restartable_redis.start()  # empty: the lease is gone with the old server
                _when(lambda: worker.leases.held([job_id]), within_s=5)
                assert _running_draft(platform) == job_id, "the call ended before the lease was checked"
                assert wait_for(client, room, "Mia", queued.json()["id"])["status"] == "proposed"
            finally:
                worker.stop()
