"""The policy at work on stored conversations: observe an event, decide, audit, schedule the follow-up."""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from commonground.core.conversation import Conversation
from commonground.platform.db.models import ConversationRow, DecisionRow, JobRow, new_id, utcnow
from commonground.platform.store import MEDIATORS, append_event
from commonground.policy import ConversationState, Decision, Event, Intervention, Policy, decide, parse_policy
from commonground.policy.decide import weighs_past
from commonground.policy.observe import Detectors, observe
from commonground.policy.records import INTERVENTIONS
from commonground.policy.schema import Autonomy

POSTED, NOT_POSTED = "posted", "not_posted"
"""What became of an intervention a decision asked for (None while pending, or a draft the mediator has)."""
FOLLOW_UP = {"draft_for_mediator": "draft", "intervene": "intervene", "summarize": "summarize"}
_DUE_NOW = "jobs_due_now"


def given_policy(policy: dict[str, Any], *, detectors: dict[str, float]) -> Policy:
    """A policy given to the platform, validated; the thresholds it does not set are those of the
    platform's `detectors` (signal name: threshold), as the fast and accurate modes are calibrated apart."""
    thresholds = policy.get("thresholds", {})
    if isinstance(thresholds, dict):
        policy = policy | {"thresholds": detectors | thresholds}
    return parse_policy(policy, source="policy")


def policy_of(row: ConversationRow) -> Policy:
    """The conversation's validated policy."""
    return parse_policy(row.policy, source=f"policy of conversation {row.id}")


def state_of(session: Session, conversation_id: str) -> ConversationState:
    """Past interventions, as decide() needs them for its limits; one that produced nothing to post
    (the model failed) does not count."""
    statement = (
        select(DecisionRow.at, DecisionRow.action)
        .where(DecisionRow.conversation_id == conversation_id, DecisionRow.action.in_(INTERVENTIONS))
        .where(DecisionRow.outcome.is_(None) | (DecisionRow.outcome != NOT_POSTED))
        .order_by(DecisionRow.at)
    )
    made = tuple(Intervention(at=at, action=action) for at, action in session.execute(statement))
    return ConversationState(conversation_id=conversation_id, interventions=made)


def record(
    session: Session, conversation_id: str, decisions: list[Decision], *, draft: str | None = None
) -> list[DecisionRow]:
    """Add decisions to the audit log (written with the transaction's other rows at its commit); of the
    private draft they were about, only its SHA-256 and length."""
    digest = hashlib.sha256(draft.encode()).hexdigest() if draft is not None else None
    rows = [
        DecisionRow(
            id=new_id(),
            conversation_id=conversation_id,
            at=d.at,
            event=d.event,
            action=d.action,
            rule=d.rule,
            reason=d.reason,
            purpose=d.purpose,
            message_id=d.message_id,
            signals=[s.model_dump(mode="json") for s in d.signals],
            draft_sha256=digest,
            draft_chars=len(draft) if draft is not None else None,
        )
        for d in decisions
    ]
    session.add_all(rows)
    return rows


def autonomy_blocked(policy: Policy, autonomy: Autonomy) -> str | None:
    """Why switching the AI mediator to `autonomy` would not do what it says under the policy's actions,
    in words for the mediator; None when it would."""
    actions = policy.actions
    if autonomy == "autonomous" and not actions.autonomous_intervention:
        return (
            "The AI mediator cannot step in on its own here: this conversation's policy does not allow "
            "autonomous interventions. An administrator can allow them in the policy."
        )
    if autonomy == "draft_for_mediator" and not actions.mediator_draft:
        return (
            "The AI mediator cannot draft for the mediator here: this conversation's policy turns mediator "
            "drafts off. An administrator can turn them on in the policy."
        )
    return None


def enqueue(
    session: Session,
    conversation_id: str,
    kind: str,
    payload: dict[str, Any],
    *,
    due_at: datetime | None = None,
) -> JobRow:
    """Persist background work; it survives a restart. Work due now is noted in the session for
    `wake_worker` (later work waits for the worker's next poll)."""
    job = JobRow(conversation_id=conversation_id, kind=kind, payload=payload, due_at=due_at or utcnow())
    session.add(job)
    if due_at is None:
        session.info[_DUE_NOW] = True
    return job


def wake_worker(session: Session, jobs_ready: threading.Event) -> None:
    """Wake the worker when `session` queued work due now (call once it is committed): a message that
    queued nothing leaves it asleep, instead of costing it a look at the jobs table."""
    if session.info.pop(_DUE_NOW, False):
        jobs_ready.set()


def schedule_tick(session: Session, row: ConversationRow, policy: Policy) -> None:
    """Move the conversation's pending inactivity tick to the policy's quiet time from now (a new one if
    there is none); remove it when the policy has no inactivity trigger."""
    pending = (JobRow.conversation_id == row.id, JobRow.kind == "tick", JobRow.status == "pending")
    if policy.triggers.inactivity_s is None:
        session.execute(delete(JobRow).where(*pending))
        return
    due = utcnow() + timedelta(seconds=policy.triggers.inactivity_s)
    moved = update(JobRow).where(*pending).values(due_at=due).execution_options(synchronize_session=False)
    if not session.execute(moved).rowcount:
        enqueue(session, row.id, "tick", {}, due_at=due)


def observed(row: ConversationRow, *, history: Conversation, event: Event, detectors: Detectors) -> list[Any]:
    """The signals of `event` on `history` (the detectors' work: no database access)."""
    return observe(history, event, policy=policy_of(row), detectors=detectors)


def decided(session: Session, row: ConversationRow, *, event: Event, signals: list[Any]) -> list[Decision]:
    """The policy's decisions on observed `signals` (reads only: no transaction is opened for writing);
    past interventions are read only when a rule fires."""
    policy = policy_of(row)
    weighed = weighs_past(event, signals, policy)
    state = state_of(session, row.id) if weighed else ConversationState(conversation_id=row.id)
    return decide(state, event, signals, policy)


def settle(
    session: Session, row: ConversationRow, decisions: list[Decision], *, draft: str | None = None
) -> list[DecisionRow]:
    """Audit `decisions` and queue the follow-up work; the audit rows."""
    rows = record(session, row.id, decisions, draft=draft)
    for decision in rows:
        kind = FOLLOW_UP.get(decision.action)
        if kind is not None:
            enqueue(session, row.id, kind, {"decision_id": decision.id, "purpose": decision.purpose})
        held = decision.action == "hold_for_mediator" and decision.event != "draft"
        if kind is not None or held:
            append_event(
                session,
                row.id,
                "decision",
                {"action": decision.action, "purpose": decision.purpose, "reason": decision.reason},
                audience=MEDIATORS,
            )
    return rows


def evaluate(
    session: Session,
    row: ConversationRow,
    *,
    history: Conversation,
    event: Event,
    detectors: Detectors,
    draft: str | None = None,
) -> tuple[list[DecisionRow], list[Any]]:
    """Observe `event` on `history`, decide, audit, and queue the follow-up work; the rows and signals."""
    signals = observed(row, history=history, event=event, detectors=detectors)
    decisions = decided(session, row, event=event, signals=signals)
    return settle(session, row, decisions, draft=draft), signals
