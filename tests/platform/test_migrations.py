"""The migrations: 0004 on a database with history (audited drafts become their hash and length), the
schema they build against the models, and the index the detectors' reads rely on."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.engine import MIGRATIONS, migrate
from commonground.platform.db.models import Base, ConversationRow

DRAFT = "You are a scammer and an idiot."


def test_upgrade_keeps_the_audit_and_drops_the_draft_text(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO conversations (id, kind, title, languages, policy, last_seq, created_at) "
                "VALUES ('c', 'dispute', 'Camera', '[\"en\"]', '{}', 0, :at)"
            ),
            {"at": datetime.now(UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO decisions (id, conversation_id, at, event, action, rule, reason, signals, "
                "draft) VALUES ('d', 'c', :at, 'draft', 'presend_feedback', 'r', 'why', '[]', :draft)"
            ),
            {"at": datetime.now(UTC), "draft": DRAFT},
        )
    migrate(engine)
    assert "draft" not in {column["name"] for column in inspect(engine).get_columns("decisions")}
    with engine.connect() as connection:
        row = connection.execute(text("SELECT draft_sha256, draft_chars, reason FROM decisions")).one()
    assert tuple(row) == (hashlib.sha256(DRAFT.encode()).hexdigest(), len(DRAFT), "why")
    engine.dispose()


def test_the_migrations_build_the_schema_the_models_declare(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_conversations_last_messages_are_read_from_the_index_without_sorting(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    migrate(engine)
    executed: list[tuple[str, tuple]] = []
    event.listen(engine, "before_cursor_execute", lambda *a: executed.append((a[2], a[3])))
    conversation = ConversationRow(id="c", kind="dispute", title="Camera", languages=["en"], policy={})
    with Session(engine) as session:
        session.add(conversation)
        session.commit()
        executed.clear()
        store.history(session, conversation, last=store.DETECTED_HISTORY)
        ((statement, parameters),) = [(sql, given) for sql, given in executed if "FROM messages" in sql]
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    engine.dispose()
    steps = " | ".join(row[-1] for row in plan)
    assert "ix_messages_conversation_seq" in steps
    assert "TEMP B-TREE" not in steps
