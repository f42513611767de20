"""Declarative per-conversation policy and a pure decide()."""

from commonground.policy.decide import apply, decide, replay
from commonground.policy.records import ConversationState, Decision, Event, Intervention
from commonground.policy.schema import Policy, load_policy, parse_policy

__all__ = [
    "ConversationState",
    "Decision",
    "Event",
    "Intervention",
    "Policy",
    "apply",
    "decide",
    "load_policy",
    "parse_policy",
    "replay",
]
