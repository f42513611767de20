"""Public views of stored rows that several modules share, and the reply to an idempotent post."""

from __future__ import annotations

from typing import Any

from fastapi import Response, status

from commonground.platform import verdicts
from commonground.platform.db.models import DecisionRow, MessageRow, ParticipantRow, SuggestionRow
from commonground.platform.schemas import DecisionPublic, MessagePublic, SuggestionPublic
from commonground.platform.store import message_public

REPOSTED: dict[int | str, dict[str, Any]] = {
    200: {"description": "Already posted with this client_id: the stored message."}
}


def posted(response: Response, row: MessageRow, author: ParticipantRow, *, created: bool) -> MessagePublic:
    """The message as its author sees it: 201 when new, 200 when the client id was posted before."""
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return message_public(row, author, viewer_id=author.id)


def suggestion_public(row: SuggestionRow) -> SuggestionPublic:
    verdict, sentence = verdicts.of_suggestion(
        row.status, written=row.text is not None, method=row.method, checks=row.checks or []
    )
    return SuggestionPublic(
        id=row.id,
        kind=row.kind,
        status=row.status,
        text=row.text,
        method=row.method,
        verdict=verdict,
        checked=verdicts.passed(row.checks or []) if verdict == "checked" else [],
        verdict_text=sentence,
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
        draft_sha256=row.draft_sha256,
        draft_chars=row.draft_chars,
        outcome=row.outcome,
    )
