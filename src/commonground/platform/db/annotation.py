"""The annotation tables: uploaded batches, their annotators, and each annotator's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commonground.platform.db.models import Base, new_id, utcnow


class AnnotationBatchRow(Base):
    """A batch as uploaded: only what annotators may see (its key never reaches the platform)."""

    __tablename__ = "annotation_batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnotatorRow(Base):
    """A person rating one batch through their own link."""

    __tablename__ = "annotators"
    __table_args__ = (UniqueConstraint("batch_id", "name", name="uq_annotators_batch_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    batch_id: Mapped[str] = mapped_column(ForeignKey("annotation_batches.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnnotationRow(Base):
    """One annotator's answer to one item (an `Answer`), replaced when they answer again."""

    __tablename__ = "annotations"
    __table_args__ = (UniqueConstraint("annotator_id", "item", name="uq_annotations_annotator_item"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotators.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
