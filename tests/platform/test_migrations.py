"""Migration 0004 on a database with history: audited drafts become their hash and length."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from commonground.platform.db.engine import MIGRATIONS, migrate

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
