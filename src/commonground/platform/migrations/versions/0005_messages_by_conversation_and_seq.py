"""Messages indexed by conversation and sequence number, jobs by conversation, kind and status

Revision ID: 0005
Revises: 0004

A conversation's last messages (what the detectors read before each post) and its message count come
from one index range, instead of reading and sorting every message of the conversation; the pending
inactivity tick that each post moves is found without reading the conversation's finished jobs. The cost of
a post no longer grows with the length of the conversation. Each index replaces the one on the
conversation alone, which is its prefix.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_messages_conversation_seq", "messages", ["conversation_id", "seq"], unique=True)
    op.drop_index("ix_messages_conversation_id", table_name="messages")
    op.create_index("ix_jobs_conversation_kind_status", "jobs", ["conversation_id", "kind", "status"])
    op.drop_index("ix_jobs_conversation_id", table_name="jobs")


def downgrade() -> None:
    op.create_index("ix_jobs_conversation_id", "jobs", ["conversation_id"])
    op.drop_index("ix_jobs_conversation_kind_status", table_name="jobs")
    op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"])
    op.drop_index("ix_messages_conversation_seq", table_name="messages")
