"""Public views of stored rows that several modules share."""

from __future__ import annotations

from commonground.platform.db.models import DecisionRow, SuggestionRow
from commonground.platform.schemas import DecisionPublic, SuggestionPublic


def suggestion_public(row: SuggestionRow) -> SuggestionPublic:
    return SuggestionPublic(
        id=row.id,
        kind=row.kind,
        status=row.status,
        text=row.text,
        method=row.method,
        checks=row.checks or [],
        detail=row.detail or {},
        reason=row.reason,
        instruction=row.instruction,
        created_at=row.created_at,
    )


def decision_public(row: DecisionRow) -> DecisionPublic:
    return DecisionPublic(
        id=row.id,
        at=row.at,
        event=row.event,
        action=row.action,
        rule=row.rule,
        reason=row.reason,
        purpose=row.purpose,
        message_id=row.message_id,
        signals=row.signals or [],
        draft=row.draft,
    )
