"""The database engine for the configured URL, migrated to the newest schema at start-up."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

from commonground.core.settings import Settings

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK = 0x636F6D6D6F6E  # PostgreSQL advisory lock key taken while migrating
POOL = {"pool_size": 10, "max_overflow": 30}
"""Up to 40 connections: one for each thread of the server's default thread pool (anyio's 40 tokens)."""


def database_url(settings: Settings) -> str:
    """The configured URL, or a SQLite file in the data directory."""
    if settings.platform.database_url:
        return settings.platform.database_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{settings.data_dir / 'platform.db'}"


_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


class WriterLock:
    """One writing transaction at a time in this process, handed over in arrival order.

    SQLite lets one writer in and makes the others poll with growing sleeps (up to 100 ms each), so under
    load a free lock sits idle while writers sleep. Queueing them here instead hands the database over at
    once. Re-entrant for the thread that holds it; released by whichever thread returns the connection.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        if self._owner == threading.get_ident():
            self._depth += 1
            return
        self._lock.acquire()
        self._owner, self._depth = threading.get_ident(), 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


def _serialize_writers(engine: Engine) -> None:
    """Take the process's writer lock at a transaction's first write; give it back with the connection
    (after its commit or rollback)."""
    lock = WriterLock()

    @event.listens_for(engine, "before_cursor_execute")
    def _first_write(connection: object, _cursor: object, statement: str, *_args: object) -> None:
        info = connection.connection.info  # type: ignore[attr-defined]
        if not info.get("writing") and _WRITE.match(statement):
            lock.acquire()
            info["writing"] = True

    @event.listens_for(engine.pool, "checkin")
    def _returned(dbapi_connection: object, connection_record: object) -> None:
        if connection_record.info.pop("writing", False):  # type: ignore[attr-defined]
            lock.release()


def open_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL journaling, foreign keys, a busy timeout and writers queued in
    the process (see WriterLock)."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **POOL)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **POOL)
    _serialize_writers(engine)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock on a file beside a SQLite database (nothing for other databases)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration shipped with the package that the database lacks.

    Server processes starting together migrate one after the other (an advisory lock on PostgreSQL,
    a file lock beside a SQLite file).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _sqlite_file_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("database schema up to date")


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded attributes readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
