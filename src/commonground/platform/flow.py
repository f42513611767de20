"""What people do: check a draft, post, ask the mediator; mediators: draft, intervene, summarize.

Each function works in the caller's session and commits; model calls are queued for the worker, so none
of these waits for a model.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError
from commonground.platform import notify, store
from commonground.platform.db.models import (
    ConversationRow,
    MessageRow,
    ParticipantRow,
    SuggestionRow,
    new_id,
    utcnow,
)
from commonground.platform.decisions import (
    autonomy_blocked,
    decided,
    enqueue,
    evaluate,
    given_policy,
    observed,
    policy_of,
    schedule_tick,
    settle,
    wake_worker,
)
from commonground.platform.errors import Conflict, NotFound, TooLarge
from commonground.platform.mediation import feedback
from commonground.platform.runtime import Platform
from commonground.platform.schemas import CheckResult, InterventionCreate, MessageCreate
from commonground.platform.translations import message_language, queue_for_readers
from commonground.platform.views import suggestion_public
from commonground.policy import Event
from commonground.policy.records import INTERVENTIONS
from commonground.policy.schema import Autonomy


def check_size(platform: Platform, text: str) -> None:
    """InputError (422) when `text` is only blank space; TooLarge (413) when it exceeds the message limit."""
    if not text.strip():
        raise InputError("The message is empty: write something before sending.")
    limit = platform.settings.platform.max_message_chars
    if len(text) > limit:
        raise TooLarge(
            f"The message is {len(text):,} characters long; the limit is {limit:,}. Shorten it or send it "
            "in parts.",
            limit=limit,
        )


def _existing(session: Session, author: ParticipantRow, client_id: str) -> MessageRow | None:
    statement = select(MessageRow).where(
        MessageRow.participant_id == author.id, MessageRow.client_id == client_id
    )
    return session.scalars(statement).one_or_none()


def _suggestion(session: Session, owner: ParticipantRow, suggestion_id: str, kind: str) -> SuggestionRow:
    row = session.get(SuggestionRow, suggestion_id)
    if row is None or row.participant_id != owner.id or row.kind != kind:
        raise NotFound(f"no {kind} suggestion {suggestion_id}")
    return row


def store_message(
    platform: Platform,
    session: Session,
    author: ParticipantRow,
    *,
    client_id: str,
    text: str,
    original: str | None = None,
    choice: str = "original",
) -> tuple[MessageRow, bool]:
    """Post a message once per (author, client id), run the policy on it; the row and whether it is new.

    Callers look for the (author, client id) message first; a race between two posts of it ends here with
    the first. The detectors and the policy run before the first write, so the transaction (and SQLite's
    one writer) is short.
    """
    conversation = store.conversation(session, author.conversation_id)
    history = store.history(session, conversation, last=store.DETECTED_HISTORY)
    row = MessageRow(
        id=new_id(),
        created_at=utcnow(),
        conversation_id=conversation.id,
        participant_id=author.id,
        client_id=client_id,
        text=text,
        original=original,
        choice=choice,
        lang=message_language(text, author.lang),
    )
    message = Message(id=row.id, speaker=author.name, text=text, timestamp=row.created_at, lang=row.lang)
    event = Event(kind="message", at=utcnow(), message=message, lang=author.lang)
    signals, decisions = [], []
    if not author.is_ai:
        signals = observed(conversation, history=history, event=event, detectors=platform.detectors)
        decisions = decided(session, conversation, event=event, signals=signals)
    values = {s.name: s.value for s in signals if s.message_id == row.id}
    row.incivility, row.derailment_risk = values.get("incivility"), values.get("derailment_risk")
    # The conversation is ours to write from here; a person's message and its signals get two numbers.
    row.seq = store.next_seq(session, conversation.id, count=1 if author.is_ai else 2)
    if any(d.action in INTERVENTIONS for d in decisions):  # decided again, so two posts cannot both
        decisions = decided(session, conversation, event=event, signals=signals)  # spend the last one
    with session.no_autoflush:  # the rows below are written together, by the commit's one flush
        session.add(row)
        queue_for_readers(session, row)
        notify.queue(platform, session, row)
        public = store.message_public(row, author, viewer_id=None)
        store.append_event(session, conversation.id, "message", public.model_dump(mode="json"), seq=row.seq)
        if not author.is_ai:
            settle(session, conversation, decisions)
            store.append_event(
                session,
                conversation.id,
                "signals",
                {
                    "message_id": row.id,
                    "seq": row.seq,
                    "incivility": row.incivility,
                    "derailment_risk": row.derailment_risk,
                },
                audience=store.MEDIATORS,
                seq=row.seq + 1,
            )
        schedule_tick(session, conversation, policy_of(conversation))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        if (found := _existing(session, author, client_id)) is not None:
            return found, False
        raise
    _announce(platform, session, conversation.id)
    return row, True


def post_message(
    platform: Platform, session: Session, author: ParticipantRow, body: MessageCreate
) -> tuple[MessageRow, bool]:
    """A participant's message: the original, the suggestion as offered, or an edit of it."""
    check_size(platform, body.text)
    if (found := _existing(session, author, body.client_id)) is not None:
        return found, False
    platform.limiter.hit(author.id)
    text, original = body.text, None
    suggestion = None
    if body.suggestion_id is not None:
        suggestion = _suggestion(session, author, body.suggestion_id, "rephrase")
        if body.choice != "original":
            if suggestion.status != "proposed" or suggestion.text is None:
                raise Conflict(f"suggestion {suggestion.id} is {suggestion.status}, not ready to send")
            original = suggestion.source
            text = suggestion.text if body.choice == "suggestion" else body.text
            check_size(platform, text)
        suggestion.status = {"original": "rejected", "suggestion": "accepted", "edited": "edited"}[
            body.choice
        ]
    elif body.choice != "original":
        raise Conflict(f"choice {body.choice!r} needs the suggestion_id it refers to")
    row, created = store_message(
        platform, session, author, client_id=body.client_id, text=text, original=original, choice=body.choice
    )
    if suggestion is not None and created:
        suggestion.message_id = row.id
        session.commit()
    return row, created


def check_draft(platform: Platform, session: Session, author: ParticipantRow, text: str) -> CheckResult:
    """The pre-send check: score now, feedback if flagged, a rephrasing queued for the worker.

    A draft is judged on its own text (only message-level signals), so the history is not read.
    """
    check_size(platform, text)
    platform.limiter.hit(author.id)
    conversation = store.conversation(session, author.conversation_id)
    score = platform.detector.score(text, author.lang)
    draft = Message(id="draft", speaker=author.name, text=text, lang=author.lang)
    event = Event(kind="draft", at=utcnow(), message=draft, lang=author.lang)
    unread = Conversation(id=conversation.id, kind=conversation.kind, title=conversation.title)  # type: ignore[arg-type]
    signals = observed(conversation, history=unread, event=event, detectors=platform.detectors)
    policy = policy_of(conversation)
    decisions = decided(session, conversation, event=event, signals=signals)
    rows = settle(session, conversation, decisions, draft=text)
    actions = {row.action for row in rows}
    suggestion = None
    if "suggest_rephrase" in actions:
        suggestion = SuggestionRow(
            id=new_id(),
            conversation_id=conversation.id,
            participant_id=author.id,
            kind="rephrase",
            source=text,
        )
        session.add(suggestion)
        enqueue(session, conversation.id, "rephrase", {"suggestion_id": suggestion.id})
    session.commit()
    wake_worker(session, platform.jobs_ready)
    unscored = None if score.scored else policy.unscored
    return CheckResult(
        flagged=bool(actions & {"presend_feedback", "suggest_rephrase"}) or unscored in ("hold", "warn"),
        incivility=score.probability,
        unscored=unscored,
        threshold=policy.thresholds.incivility,
        categories=score.categories,
        spans=score.spans,
        feedback=feedback(platform.detector, text, lang=author.lang, held=unscored == "hold")
        if "presend_feedback" in actions or unscored in ("hold", "warn")
        else None,
        suggestion=suggestion_public(suggestion) if suggestion else None,
    )


def request_mediator(platform: Platform, session: Session, author: ParticipantRow, note: str | None) -> None:
    """'Ask the mediator': tell the mediators (with the note), everyone that it was asked, and let the policy
    decide on an intervention."""
    platform.limiter.hit(author.id)
    conversation = store.conversation(session, author.conversation_id)
    history = store.history(session, conversation, last=store.DETECTED_HISTORY)
    event = Event(kind="request", at=utcnow(), lang=author.lang)
    evaluate(session, conversation, history=history, event=event, detectors=platform.detectors)
    store.append_event(
        session,
        conversation.id,
        "request",
        {"participant_id": author.id, "name": author.name, "note": note},
        audience=store.MEDIATORS,
    )
    public = {"participant_id": author.id, "name": author.name, "at": utcnow().isoformat()}
    store.append_event(session, conversation.id, "mediator_requested", public)
    session.commit()
    _announce(platform, session, conversation.id)


def queue_suggestion(
    platform: Platform,
    session: Session,
    mediator: ParticipantRow,
    kind: str,
    *,
    instruction: str | None = None,
) -> SuggestionRow:
    """A draft or summary for the mediator, produced by the worker."""
    platform.limiter.hit(mediator.id)
    row = SuggestionRow(
        id=new_id(),
        conversation_id=mediator.conversation_id,
        participant_id=mediator.id,
        kind=kind,
        instruction=instruction,
    )
    session.add(row)
    job = "summarize" if kind == "summary" else kind
    enqueue(session, mediator.conversation_id, job, {"suggestion_id": row.id})
    session.commit()
    wake_worker(session, platform.jobs_ready)
    return row


def post_intervention(
    platform: Platform, session: Session, mediator: ParticipantRow, body: InterventionCreate
) -> tuple[MessageRow, bool]:
    """The mediator's message; a draft it came from becomes accepted or edited."""
    check_size(platform, body.text)
    if (found := _existing(session, mediator, body.client_id)) is not None:
        return found, False
    platform.limiter.hit(mediator.id)
    draft = _suggestion(session, mediator, body.suggestion_id, "draft") if body.suggestion_id else None
    row, created = store_message(platform, session, mediator, client_id=body.client_id, text=body.text)
    if draft is not None and created:
        draft.status = "accepted" if body.text.strip() == (draft.text or "").strip() else "edited"
        draft.message_id = row.id
        session.commit()
    return row, created


def set_autonomy(
    platform: Platform, session: Session, conversation: ConversationRow, autonomy: Autonomy
) -> None:
    """Switch the AI mediator's autonomy level in the conversation's policy; Conflict (409), saying why,
    when the policy's actions would leave the new level doing nothing more."""
    if (why := autonomy_blocked(policy_of(conversation), autonomy)) is not None:
        raise Conflict(why)
    update_policy(platform, session, conversation, conversation.policy | {"autonomy": autonomy})


def update_policy(platform: Platform, session: Session, conversation: ConversationRow, policy: dict) -> None:
    """Validate and store a new policy (ConfigError, 422, names the bad field)."""
    parsed = given_policy(policy, detectors=platform.thresholds)
    conversation.policy = parsed.model_dump(mode="json")
    store.append_event(
        session, conversation.id, "policy", {"autonomy": parsed.autonomy}, audience=store.MEDIATORS
    )
    schedule_tick(session, conversation, parsed)
    session.commit()
    _announce(platform, session, conversation.id)


def _announce(platform: Platform, session: Session, conversation_id: str) -> None:
    platform.hub.notify(conversation_id)
    wake_worker(session, platform.jobs_ready)
