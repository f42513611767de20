"""The background worker: runs persisted jobs (model calls, inactivity ticks) so posting never waits.
Translations run after every other due job.

A job is claimed atomically (pending -> running), so several workers, even in several processes, run it
once. Jobs left running by a crash go back to pending at start-up; with Redis, only those no live process
holds a lease on. An AI message is posted with the job's id as its client id, so running a job twice never
posts twice.
"""

from __future__ import annotations

import logging
import threading

import redis
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commonground.core.conversation import Conversation
from commonground.llm.types import CallRecord
from commonground.platform import mediation, notify, store, translations
from commonground.platform.db.models import (
    CallRow,
    DecisionRow,
    JobRow,
    MessageRow,
    SuggestionRow,
    TranslationRow,
    utcnow,
)
from commonground.platform.decisions import NOT_POSTED, POSTED, evaluate
from commonground.platform.flow import store_message
from commonground.platform.relay import JobLeases
from commonground.platform.runtime import Platform
from commonground.platform.views import suggestion_public
from commonground.policy import Event

log = logging.getLogger(__name__)
CONTEXT_MESSAGES = 3
SUGGESTION_KIND = {"draft": "draft", "intervene": "intervention", "summarize": "summary"}
STOP_WAIT_S = 2.0
"""A model call still running at shutdown is left: its job goes back to pending at the next start."""


class Worker:
    """One thread taking due jobs in order."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="commonground-worker", daemon=True)
        relay = platform.relay
        self.leases = JobLeases(relay.client) if relay is not None else None
        self._running: str | None = None
        self._keeper = threading.Thread(target=self._keep_lease, name="commonground-lease", daemon=True)

    def start(self) -> None:
        """Send orphaned running jobs back to pending, then start taking jobs."""
        with self.platform.session() as session:
            running = list(session.scalars(select(JobRow.id).where(JobRow.status == "running")))
            held = self.leases.held(running) if self.leases is not None and running else set()
            orphans = [job_id for job_id in running if job_id not in held]
            if orphans:
                session.execute(update(JobRow).where(JobRow.id.in_(orphans)).values(status="pending"))
                session.commit()
        self._thread.start()
        if self.leases is not None:
            self._keeper.start()

    def stop(self) -> None:
        self._stop.set()
        self.platform.jobs_ready.set()
        self._thread.join(timeout=STOP_WAIT_S)

    def _keep_lease(self) -> None:
        """Renew the running job's lease; while Redis is unreachable, try again at the next turn."""
        assert self.leases is not None
        while not self._stop.wait(self.leases.ttl_s / 3):
            if (job_id := self._running) is not None:
                try:
                    self.leases.renew(job_id)
                except redis.RedisError as error:
                    log.warning("lease of job %s not renewed: %s", job_id, error)

    def _loop(self) -> None:
        poll = self.platform.settings.platform.worker_poll_s
        while not self._stop.is_set():
            self.platform.jobs_ready.clear()
            try:
                ran = self.run_due()
            except redis.RedisError as error:  # leases cannot be taken: jobs wait, nothing is lost
                log.warning("jobs wait for redis: %s", error)
                ran = 0
            except Exception:
                log.exception("worker pass failed")
                ran = 0
            if not ran:
                self.platform.jobs_ready.wait(poll)

    def run_due(self) -> int:
        """Run every job now due; how many ran."""
        ran = 0
        while not self._stop.is_set() and (job_id := self._claim()) is not None:
            self._running = job_id
            try:
                self._run(job_id)
            finally:
                self._running = None
                if self.leases is not None:
                    self.leases.release(job_id)
            ran += 1
        return ran

    def _claim(self) -> str | None:
        with self.platform.session() as session:
            candidates = session.scalars(
                select(JobRow.id)
                .where(JobRow.status == "pending", JobRow.due_at <= utcnow())
                .order_by(JobRow.kind == "translate", JobRow.due_at)  # translations after the rest
                .limit(5)
            ).all()
            for job_id in candidates:
                if self.leases is not None and not self.leases.take(job_id):
                    continue
                claimed = session.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.status == "pending")
                    .values(status="running")
                )
                session.commit()
                if claimed.rowcount == 1:  # type: ignore[attr-defined]
                    return job_id
                if self.leases is not None:
                    self.leases.release(job_id)
        return None

    def _run(self, job_id: str) -> None:
        with self.platform.session() as session:
            job = session.get(JobRow, job_id)
            assert job is not None
            try:
                getattr(self, f"_{job.kind}")(session, job)
                job.status = "done"
            except Exception as error:
                log.exception("job %s (%s) failed", job.id, job.kind)
                session.rollback()
                job = session.get(JobRow, job_id)
                assert job is not None
                job.status, job.error = "failed", str(error)
                self._give_up(session, job, error)
            session.commit()
        self.platform.hub.notify(job.conversation_id)

    def _give_up(self, session: Session, job: JobRow, error: Exception) -> None:
        """A failed job's suggestion or translation becomes unavailable rather than pending for ever."""
        failed = mediation.failed(job.kind, error)
        if "decision_id" in job.payload:
            self._settle(session, job.payload["decision_id"], NOT_POSTED)
        if "suggestion_id" in job.payload:
            row = session.get(SuggestionRow, job.payload["suggestion_id"])
        else:  # the policy's own work: the mediators are told it failed
            row = (
                self._suggestion_for(session, job, SUGGESTION_KIND[job.kind])
                if job.kind in SUGGESTION_KIND
                else None
            )
        if row is not None and row.status == "pending":
            self._fill(session, job, row, failed)
        translation = session.get(TranslationRow, job.payload.get("translation_id", ""))
        if translation is not None and translation.status == "pending":
            self._fill_translation(session, job, translation, failed)

    def _history(self, session: Session, job: JobRow) -> Conversation:
        return store.history(session, store.conversation(session, job.conversation_id))

    def _suggestion_for(self, session: Session, job: JobRow, kind: str) -> SuggestionRow:
        """The suggestion the job fills: named in its payload, or a new one for the policy's decision."""
        if "suggestion_id" in job.payload:
            row = session.get(SuggestionRow, job.payload["suggestion_id"])
            assert row is not None
            return row
        ai = store.ai_participant(session, job.conversation_id)
        row = SuggestionRow(
            conversation_id=job.conversation_id,
            participant_id=ai.id,
            kind=kind,
            status="pending",
            decision_id=job.payload.get("decision_id"),
        )
        session.add(row)
        return row

    def _fill(self, session: Session, job: JobRow, row: SuggestionRow, outcome: mediation.Outcome) -> None:
        if row.status == "pending":  # the author may have chosen already (e.g. sent the original)
            row.status = outcome.status
        row.text, row.method, row.checks = outcome.text, outcome.method, outcome.checks
        row.detail, row.reason = outcome.detail, outcome.reason
        self._record_calls(session, job, outcome)
        if row.decision_id is not None and not outcome.available:
            self._settle(session, row.decision_id, NOT_POSTED)
        session.flush()
        audience = row.participant_id if row.kind == "rephrase" else store.MEDIATORS
        payload = suggestion_public(row).model_dump(mode="json")
        store.append_event(session, job.conversation_id, "suggestion", payload, audience=audience)

    def _settle(self, session: Session, decision_id: str, outcome: str) -> None:
        """Record what became of a decision's intervention (one not posted leaves the cool-down alone)."""
        decision = session.get(DecisionRow, decision_id)
        if decision is not None:
            decision.outcome = outcome

    def _record_calls(self, session: Session, job: JobRow, outcome: mediation.Outcome) -> None:
        """The outcome's model calls, for the usage view; a failure no call recorded gets a record of its
        own, so that its technical cause is kept there (and nowhere a person reads)."""
        calls = list(outcome.calls)
        if outcome.error is not None and not any(call.error for call in calls):
            llm = self.platform.settings.llm
            calls.append(
                CallRecord(
                    backend=llm.backend,
                    model=llm.model,
                    template=outcome.task,
                    template_version="",
                    outcome="error",
                    error=outcome.error,
                )
            )
        for call in calls:
            session.merge(
                CallRow(
                    id=call.id,
                    conversation_id=job.conversation_id,
                    task=outcome.task,
                    backend=call.backend,
                    model=call.model,
                    prompt_tokens=call.prompt_tokens,
                    completion_tokens=call.completion_tokens,
                    latency_s=call.latency_s,
                    outcome=call.outcome,
                    error=call.error,
                    started_at=call.started_at,
                )
            )

    def _rephrase(self, session: Session, job: JobRow) -> None:
        row = self._suggestion_for(session, job, "rephrase")
        author = session.get(store.ParticipantRow, row.participant_id)
        recent = tuple(m.text for m in self._history(session, job).messages[-CONTEXT_MESSAGES:])
        lang = author.lang if author else None
        outcome = mediation.rephrase(self.platform.model, row.source, lang=lang, context=recent)
        self._fill(session, job, row, outcome)

    def _draft(self, session: Session, job: JobRow) -> None:
        row = self._suggestion_for(session, job, "draft")
        outcome = mediation.draft(
            self.platform.model, self._history(session, job), instruction=row.instruction
        )
        self._fill(session, job, row, outcome)

    def _summarize(self, session: Session, job: JobRow) -> None:
        row = self._suggestion_for(session, job, "summary")
        self._fill(session, job, row, mediation.summarize(self.platform.model, self._history(session, job)))
        if row.decision_id is not None and row.status == "proposed":
            self._post_as_ai(session, job, row)

    def _intervene(self, session: Session, job: JobRow) -> None:
        row = self._suggestion_for(session, job, "intervention")
        history = self._history(session, job)
        self._fill(
            session,
            job,
            row,
            mediation.intervene(self.platform.model, history, purpose=job.payload.get("purpose")),
        )
        if row.status == "proposed":
            self._post_as_ai(session, job, row)

    def _post_as_ai(self, session: Session, job: JobRow, row: SuggestionRow) -> None:
        """Post the suggestion as the AI mediator, recorded with the decision that caused it."""
        ai = store.ai_participant(session, job.conversation_id)
        session.commit()
        message, _ = store_message(self.platform, session, ai, client_id=f"job-{job.id}", text=row.text or "")
        row.status, row.message_id = "accepted", message.id
        decision = session.get(DecisionRow, row.decision_id) if row.decision_id else None
        if decision is not None:
            decision.outcome = POSTED
            decision.message_id = decision.message_id or message.id

    def _translate(self, session: Session, job: JobRow) -> None:
        row = session.get(TranslationRow, job.payload["translation_id"])
        assert row is not None
        if row.status != "pending":  # filled already by an earlier run of this job
            return
        message = session.get(MessageRow, row.message_id)
        assert message is not None
        outcome = mediation.translate(self.platform.model, message.text, target=row.lang)
        self._fill_translation(session, job, row, outcome)

    def _fill_translation(
        self, session: Session, job: JobRow, row: TranslationRow, outcome: mediation.Outcome
    ) -> None:
        translations.fill(row, outcome)
        self._record_calls(session, job, outcome)
        payload = translations.translation_public(row).model_dump(mode="json")
        audience = store.readers_of(row.lang)
        store.append_event(session, job.conversation_id, "translation", payload, audience=audience)

    def _notify(self, session: Session, job: JobRow) -> None:
        notify.run(self.platform, session, job)

    def _tick(self, session: Session, job: JobRow) -> None:
        conversation = store.conversation(session, job.conversation_id)
        event = Event(kind="tick", at=utcnow())
        evaluate(
            session,
            conversation,
            history=store.history(session, conversation, last=store.DETECTED_HISTORY),
            event=event,
            detectors=self.platform.detectors,
        )
