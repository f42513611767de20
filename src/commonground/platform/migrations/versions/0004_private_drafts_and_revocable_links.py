"""Audit without private drafts, revocable links, removal, notification of absent participants

Revision ID: 0004
Revises: 0003

The audit log's draft text becomes its SHA-256 and length (the text is not kept); participants get the
version of their one working link, a removal time, an e-mail address and the feed positions they saw and
were notified of; decisions the outcome of their intervention; model calls their error.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        table.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("seen_seq", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("notified_seq", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("decisions") as table:
        table.add_column(sa.Column("draft_sha256", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("draft_chars", sa.Integer(), nullable=True))
        table.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
    connection = op.get_bind()
    decisions = sa.table(
        "decisions",
        sa.column("id", sa.String),
        sa.column("draft", sa.Text),
        sa.column("draft_sha256", sa.String),
        sa.column("draft_chars", sa.Integer),
    )
    drafts = connection.execute(
        sa.select(decisions.c.id, decisions.c.draft).where(decisions.c.draft.is_not(None))
    )
    for decision_id, draft in list(drafts):
        connection.execute(
            decisions.update()
            .where(decisions.c.id == decision_id)
            .values(draft_sha256=hashlib.sha256(draft.encode()).hexdigest(), draft_chars=len(draft))
        )
    with op.batch_alter_table("decisions") as table:
        table.drop_column("draft")
    with op.batch_alter_table("llm_calls") as table:
        table.add_column(sa.Column("error", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("llm_calls") as table:
        table.drop_column("error")
    with op.batch_alter_table("decisions") as table:
        table.add_column(sa.Column("draft", sa.Text(), nullable=True))
        for column in ("outcome", "draft_chars", "draft_sha256"):
            table.drop_column(column)
    with op.batch_alter_table("participants") as table:
        for column in ("notified_seq", "seen_seq", "removed_at", "token_version", "email"):
            table.drop_column(column)
