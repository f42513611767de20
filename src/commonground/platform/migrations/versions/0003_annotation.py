"""Annotation batches, annotators and their answers

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotation_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "annotators",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("batch_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["annotation_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "name", name="uq_annotators_batch_name"),
    )
    op.create_index("ix_annotators_batch_id", "annotators", ["batch_id"], unique=False)
    op.create_table(
        "annotations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("annotator_id", sa.String(length=32), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("annotator_id", "item", name="uq_annotations_annotator_item"),
    )
    op.create_index("ix_annotations_annotator_id", "annotations", ["annotator_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_annotations_annotator_id", table_name="annotations")
    op.drop_table("annotations")
    op.drop_index("ix_annotators_batch_id", table_name="annotators")
    op.drop_table("annotators")
    op.drop_table("annotation_batches")
