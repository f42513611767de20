"""Administrator: the audit log, exports and model usage."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from sqlalchemy import func, select

from commonground.platform.db.models import CallRow, DecisionRow
from commonground.platform.deps import AdminConversationDep, AdminDep, SessionDep
from commonground.platform.export import convokit_zip, jsonl
from commonground.platform.schemas import DecisionPublic, Usage, UsageError, UsageLine
from commonground.platform.views import decision_public

router = APIRouter(tags=["administrator"])
RECENT_ERRORS = 20


@router.get("/api/admin/conversations/{conversation_id}/audit")
def audit(conversation: AdminConversationDep, session: SessionDep) -> list[DecisionPublic]:
    """Every policy decision taken in the conversation, oldest first, with the signals it saw."""
    rows = session.scalars(
        select(DecisionRow).where(DecisionRow.conversation_id == conversation.id).order_by(DecisionRow.at)
    )
    return [decision_public(row) for row in rows]


@router.get(
    "/api/admin/conversations/{conversation_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/x-ndjson": {}, "application/zip": {}}}},
)
def export(
    conversation: AdminConversationDep, session: SessionDep, format: Literal["jsonl", "convokit"] = "jsonl"
) -> Response:
    """The conversation as JSON lines, or as a zipped ConvoKit corpus."""
    if format == "jsonl":
        return Response(
            jsonl(session, conversation),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": f'attachment; filename="{conversation.id}.jsonl"'},
        )
    return Response(
        convokit_zip(session, conversation),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{conversation.id}-convokit.zip"'},
    )


@router.get("/api/admin/usage")
def usage(_admin: AdminDep, session: SessionDep, conversation_id: str | None = None) -> Usage:
    """Language-model calls, tokens and latency, per task and model (optionally for one conversation), and
    the technical causes of the latest failures."""
    statement = select(
        CallRow.task,
        CallRow.model,
        func.count(),
        func.coalesce(func.sum(CallRow.prompt_tokens), 0),
        func.coalesce(func.sum(CallRow.completion_tokens), 0),
        func.coalesce(func.avg(CallRow.latency_s), 0.0),
        func.count().filter(CallRow.outcome != "ok"),
    ).group_by(CallRow.task, CallRow.model)
    if conversation_id is not None:
        statement = statement.where(CallRow.conversation_id == conversation_id)
    lines = [
        UsageLine(
            task=task,
            model=model,
            calls=calls,
            prompt_tokens=prompt,
            completion_tokens=completion,
            mean_latency_s=round(float(latency), 3),
            failures=failures,
        )
        for task, model, calls, prompt, completion, latency, failures in session.execute(statement)
    ]
    failures = select(CallRow).where(CallRow.error.is_not(None)).order_by(CallRow.started_at.desc())
    if conversation_id is not None:
        failures = failures.where(CallRow.conversation_id == conversation_id)
    errors = [UsageError.model_validate(row) for row in session.scalars(failures.limit(RECENT_ERRORS))]
    return Usage(
        errors=errors,
        calls=sum(line.calls for line in lines),
        prompt_tokens=sum(line.prompt_tokens for line in lines),
        completion_tokens=sum(line.completion_tokens for line in lines),
        lines=lines,
    )
