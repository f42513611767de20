"""What a task sees of a conversation: the recent messages in full plus a bounded rolling digest of the rest.

The digest is a fold over earlier messages with a fixed-size state (each party's opening message, message
counts, the latest figures mentioned), so the prompt stays the same size at 10, 100 or 1,000 messages.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from commonground.core.conversation import Conversation, Message
from commonground.core.errors import InputError

MESSAGE_CHARS = 400
OPENING_CHARS = 160
DIGEST_PARTIES = 4
FIGURES_KEPT = 8
FIGURE = re.compile(
    r"(?:[$€£]\s?)?\d[\d,.]*(?:\s?(?:dollars|cad|usd|eur|euros?|%))?"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)
NON_PARTIES = {"mediator", "ai mediator", "moderator", "system"}


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class RollingDigest:
    """A bounded summary of the messages before the recent window."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    openings: dict[str, str] = field(default_factory=dict)
    figures: deque[str] = field(default_factory=lambda: deque(maxlen=FIGURES_KEPT))

    def add(self, message: Message) -> None:
        self.total += 1
        if message.speaker in self.counts or len(self.counts) < DIGEST_PARTIES:
            self.counts[message.speaker] = self.counts.get(message.speaker, 0) + 1
            self.openings.setdefault(message.speaker, clip(message.text, OPENING_CHARS))
        for figure in FIGURE.findall(message.text):
            if figure.strip() not in self.figures:
                self.figures.append(figure.strip())

    def render(self) -> str:
        if not self.total:
            return "(none)"
        lines = [f"{self.total} earlier messages."]
        lines += [
            f"{name} ({self.counts[name]} messages) opened with: {text}"
            for name, text in self.openings.items()
        ]
        if self.figures:
            lines.append("Figures mentioned: " + ", ".join(self.figures))
        return "\n".join(lines)


@dataclass(frozen=True)
class Context:
    """The parties, the recent messages and the digest of everything before them."""

    parties: tuple[str, ...]
    recent: tuple[Message, ...]
    digest: RollingDigest

    @property
    def transcript(self) -> str:
        return "\n".join(f"[{m.id}] {m.speaker}: {clip(m.text, MESSAGE_CHARS)}" for m in self.recent)

    @property
    def source_text(self) -> str:
        """Everything the task may take facts from (for grounding checks)."""
        parts = [*self.parties, self.transcript, *self.digest.openings.values(), *self.digest.figures]
        return "\n".join(parts)


def build_context(conversation: Conversation, *, last: int = 10) -> Context:
    """Split a conversation into a recent window of `last` messages and a digest of the rest."""
    if not conversation.messages:
        raise InputError(f"conversation {conversation.id} has no messages")
    if last < 1:
        raise InputError(f"the window must hold at least one message, not {last}")
    earlier, recent = conversation.messages[:-last], conversation.messages[-last:]
    digest = RollingDigest()
    for message in earlier:
        digest.add(message)
    parties = tuple(s for s in conversation.speakers if s.strip().lower() not in NON_PARTIES)
    return Context(parties=parties, recent=tuple(recent), digest=digest)
