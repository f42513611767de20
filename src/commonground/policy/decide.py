"""decide(): turn the signals of one event into auditable decisions. Pure: no clock, no I/O.

Rules, in order:

1. Autonomy `off`, or an event in a language the policy does not list: no action.
2. A draft or message the incivility detector could not score (an `unscored` signal): the policy's
   `unscored` setting decides. `hold` gives `hold_for_mediator`, `warn` and `allow` no action; the
   decision (rule `unscored: <setting>`) comes first. A draft that was not scored gets no other decision.
3. A draft (a message being written): incivility at or above its threshold gives the author pre-send
   feedback and a rephrasing suggestion, each if enabled. These stay between the mediator and the author,
   so they are not interventions and no limit applies to them.
4. Any other event may lead to one intervention, for the first purpose that fires: `requested` (a request
   event or request signal), `de_escalate` (incivility or derailment risk at or above threshold),
   `unblock` (deadlock), `re_engage` (inactivity reached), `summary` (cadence reached).
   The action is `intervene` (or `summarize`) when autonomy is `autonomous` and that is enabled,
   otherwise `draft_for_mediator` when autonomy reaches it and drafts are enabled.
5. Interventions are held back by quiet hours, then by the maximum per window, then by the cool-down
   (a request for the mediator is exempt from the cool-down only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from commonground.core.signals import Signal
from commonground.policy.records import (
    INTERVENTIONS,
    Action,
    ConversationState,
    Decision,
    Event,
    Intervention,
    Purpose,
)
from commonground.policy.schema import Policy

_SIGNAL_PURPOSE: tuple[tuple[str, Purpose], ...] = (
    ("request", "requested"),
    ("incivility", "de_escalate"),
    ("derailment_risk", "de_escalate"),
    ("deadlock", "unblock"),
    ("inactivity", "re_engage"),
    ("cadence", "summary"),
)


def decide(
    state: ConversationState, event: Event, signals: Sequence[Signal], policy: Policy
) -> list[Decision]:
    """The decisions for one event, given the signals computed for it. Never empty."""
    seen = tuple(signals)

    if policy.autonomy == "off":
        return [_none(event, seen, "autonomy", "autonomy off")]
    if event.lang is not None and event.lang not in policy.languages:
        return [_none(event, seen, "languages", f"language {event.lang!r} not in the policy's languages")]
    unscored = _unscored(event, seen, policy)
    if event.kind == "draft":
        return [unscored] if unscored is not None else _author_feedback(event, seen, policy)
    first = [unscored] if unscored is not None else []
    return first + _intervention(state, event, seen, policy)


def weighs_past(event: Event, signals: Sequence[Signal], policy: Policy) -> bool:
    """Whether decide() reads the past interventions for this event: only when a rule fires on it and the
    policy allows the action it asks for (their cool-down and limits), so a caller may skip loading them
    otherwise."""
    if event.kind == "draft" or policy.autonomy == "off":
        return False
    fired = _fired(event, signals, policy)
    return bool(fired) and _action_for(fired[0][0], policy)[1] is None


def _intervention(
    state: ConversationState, event: Event, seen: tuple[Signal, ...], policy: Policy
) -> list[Decision]:
    """At most one intervention for a non-draft event (rules 4 and 5)."""

    fired = _fired(event, seen, policy)
    if not fired:
        return [_none(event, seen, "none", _below(seen, policy))]
    (purpose, rule), *others = fired
    action, refusal = _action_for(purpose, policy)
    if refusal is not None:
        return [_none(event, seen, rule, refusal, purpose)]
    held = _held_back(state, event.at, purpose=purpose, policy=policy)
    if held is not None:
        return [_none(event, seen, rule, held, purpose)]
    also = f"; also fired: {', '.join(other for _, other in others)}" if others else ""
    return [_decision(event, seen, action=action, rule=rule, reason=f"{rule}{also}", purpose=purpose)]


def apply(state: ConversationState, decisions: Iterable[Decision], *, policy: Policy) -> ConversationState:
    """The state after the decisions are carried out; forgets interventions no limit can see any more."""
    made = [Intervention(at=d.at, action=d.action) for d in decisions if d.action in INTERVENTIONS]
    interventions = (*state.interventions, *made)
    if not interventions:
        return state
    horizon = max(i.at for i in interventions) - timedelta(
        seconds=max(policy.limits.window_s, policy.limits.cooldown_s)
    )
    kept = tuple(i for i in interventions if i.at > horizon)
    return state.model_copy(update={"interventions": kept})


def replay(
    state: ConversationState, steps: Iterable[tuple[Event, Sequence[Signal]]], policy: Policy
) -> tuple[ConversationState, list[Decision]]:
    """Decide and apply each (event, signals) in turn: the final state and every decision."""
    decisions: list[Decision] = []
    for event, signals in steps:
        made = decide(state, event, signals, policy)
        state = apply(state, made, policy=policy)
        decisions += made
    return state, decisions


def _none(
    event: Event, seen: tuple[Signal, ...], rule: str, reason: str, purpose: Purpose | None = None
) -> Decision:
    return _decision(event, seen, action="none", rule=rule, reason=reason, purpose=purpose)


def _decision(
    event: Event, seen: tuple[Signal, ...], *, action: Action, rule: str, reason: str, purpose: Purpose | None
) -> Decision:
    return Decision(
        at=event.at,
        event=event.kind,
        action=action,
        rule=rule,
        reason=reason,
        purpose=purpose,
        message_id=event.message.id if event.message else None,
        signals=seen,
    )


_UNSCORED_OUTCOME = {
    "hold": "held for the mediator",
    "warn": "let through with a warning",
    "allow": "let through",
}


def _unscored(event: Event, seen: tuple[Signal, ...], policy: Policy) -> Decision | None:
    """The decision on a draft or message the incivility detector could not score, or None."""
    if not any(signal.name == "unscored" for signal in seen):
        return None
    return _decision(
        event,
        seen,
        action="hold_for_mediator" if policy.unscored == "hold" else "none",
        rule=f"unscored: {policy.unscored}",
        reason=f"incivility could not be scored: {_UNSCORED_OUTCOME[policy.unscored]}",
        purpose=None,
    )


def _strongest(seen: Sequence[Signal], name: str) -> float | None:
    values = [signal.value for signal in seen if signal.name == name]
    return max(values) if values else None


def _threshold(name: str, policy: Policy) -> float:
    thresholds = policy.thresholds
    return {
        "incivility": thresholds.incivility,
        "derailment_risk": thresholds.derailment_risk,
        "deadlock": thresholds.deadlock,
    }.get(name, 1.0 if name in ("inactivity", "cadence") else 0.5)


def _author_feedback(event: Event, seen: tuple[Signal, ...], policy: Policy) -> list[Decision]:
    value = _strongest(seen, "incivility")
    limit = policy.thresholds.incivility
    if value is None or value < limit:
        shown = "no incivility signal" if value is None else f"incivility {value:.2f} < {limit:.2f}"
        return [
            _decision(
                event, seen, action="none", rule="none", reason=f"below threshold: {shown}", purpose=None
            )
        ]
    rule = f"incivility {value:.2f} >= {limit:.2f}"
    options: tuple[tuple[Action, bool, str], ...] = (
        ("presend_feedback", policy.actions.presend_feedback, "presend_feedback"),
        ("suggest_rephrase", policy.actions.rephrase_suggestion, "rephrase_suggestion"),
    )
    return [
        _decision(
            event,
            seen,
            action=action if enabled else "none",
            rule=rule,
            reason=rule if enabled else f"action disabled: {setting}",
            purpose=None,
        )
        for action, enabled, setting in options
    ]


def _fired(event: Event, seen: Sequence[Signal], policy: Policy) -> list[tuple[Purpose, str]]:
    fired: list[tuple[Purpose, str]] = []
    if event.kind == "request":
        fired.append(("requested", "request event"))
    for name, purpose in _SIGNAL_PURPOSE:
        value = _strongest(seen, name)
        limit = _threshold(name, policy)
        if value is not None and value >= limit:
            fired.append((purpose, f"{name} {value:.2f} >= {limit:.2f}"))
    return fired


def _below(seen: Sequence[Signal], policy: Policy) -> str:
    parts = [
        f"{name} {value:.2f} < {_threshold(name, policy):.2f}"
        for name in dict.fromkeys(signal.name for signal in seen)
        if (value := _strongest(seen, name)) is not None
    ]
    return "below threshold: " + ("; ".join(parts) if parts else "no signals")


def _action_for(purpose: Purpose, policy: Policy) -> tuple[Action, str | None]:
    """The intervention action for a purpose, or ('none', why not)."""
    actions = policy.actions
    if purpose == "summary" and not actions.summary:
        return "none", "action disabled: summary"
    if policy.autonomy == "autonomous" and (purpose == "summary" or actions.autonomous_intervention):
        return ("summarize" if purpose == "summary" else "intervene"), None
    if not policy.allows("draft_for_mediator"):
        return "none", f"autonomy {policy.autonomy} does not reach draft_for_mediator"
    if not actions.mediator_draft:
        return "none", "action disabled: mediator_draft"
    return "draft_for_mediator", None


def _held_back(state: ConversationState, now: datetime, *, purpose: Purpose, policy: Policy) -> str | None:
    """Why an intervention must wait (quiet hours, maximum per window, cool-down), or None."""
    quiet = policy.quiet_hours
    if quiet is not None and quiet.contains(now):
        return f"quiet hours {quiet.start:%H:%M}-{quiet.end:%H:%M} {quiet.timezone}"
    limits = policy.limits
    window = timedelta(seconds=limits.window_s)
    recent = sorted(i.at for i in state.interventions if now - window < i.at <= now)
    if len(recent) >= limits.max_interventions:
        until = (recent[0] + window).isoformat() if recent else "the policy changes"
        return f"max {limits.max_interventions} interventions per {limits.window_s:g} s reached until {until}"
    past = [i.at for i in state.interventions if i.at <= now]
    if purpose != "requested" and past:
        ready = max(past) + timedelta(seconds=limits.cooldown_s)
        if now < ready:
            return f"cooldown until {ready.isoformat()}"
    return None
