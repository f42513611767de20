"""Request and response models of the HTTP API, one family per resource."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from commonground.platform.verdicts import Verdict
from commonground.policy.schema import Autonomy, Unscored

EmailAddress = Annotated[
    str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$", description="An e-mail address.")
]
TEXT_RULE = "Valid Unicode, not blank, at most `platform.max_message_chars` characters (else 422 or 413)."


def _valid_unicode(text: str) -> str:
    """Refuse text that UTF-8 cannot store (a lone surrogate such as "\\ud800" in the JSON body)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid unicode (it holds a lone surrogate)") from None
    return text


Text = Annotated[str, AfterValidator(_valid_unicode), Field(description=TEXT_RULE)]
VERDICT = (
    "How far the text was checked: pending; unavailable (the model did not answer); checked (the checks "
    "in `checked` passed); template (written without the model); translated (language and numbers checked, "
    "the meaning not); not_translated. Scores are not given: see commonground.platform.verdicts."
)
CHECKED = "The codes of the automatic checks that passed (e.g. grounded, language, figures_kept)."
Role = Literal["party", "mediator", "administrator", "observer"]
Choice = Literal["original", "suggestion", "edited"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParticipantBase(_In):
    name: str = Field(min_length=1, max_length=80)
    role: Role = "party"
    lang: str = Field("en", min_length=2, max_length=8, description="The language the participant reads.")


class ParticipantCreate(ParticipantBase):
    """A person to invite; with an e-mail address they are told by mail of messages that arrive while they
    are away."""

    email: EmailAddress | None = None


class ParticipantUpdate(_In):
    """The caller's own settings."""

    lang: str = Field(min_length=2, max_length=8, description="One of the conversation's languages.")


class ParticipantPublic(BaseModel):
    id: str
    name: str
    role: Role
    lang: str
    is_ai: bool


class Invitation(BaseModel):
    """A participant and the link that lets them in (a signed, expiring token)."""

    participant: ParticipantPublic
    token: str
    url: str


class ConversationBase(_In):
    kind: Literal["dispute", "deliberation"] = "dispute"
    title: str = Field(min_length=1, max_length=200)
    languages: list[str] = Field(default_factory=lambda: ["en"], min_length=1)


class ConversationCreate(ConversationBase):
    """A new conversation with its policy (default when omitted) and the people to invite."""

    policy: dict[str, Any] | None = None
    participants: list[ParticipantCreate] = Field(default_factory=list)


class ConversationPublic(BaseModel):
    id: str
    kind: str
    title: str
    languages: list[str]
    policy: dict[str, Any]
    last_seq: int
    created_at: datetime
    participants: list[ParticipantPublic]


class ConversationCreated(BaseModel):
    conversation: ConversationPublic
    invitations: list[Invitation]


class MessageCreate(_In):
    """A message to post. Posting twice with the same `client_id` stores it once."""

    client_id: str = Field(min_length=1, max_length=64)
    text: Text
    choice: Choice = Field("original", description="What the author sent after a pre-send check.")
    suggestion_id: str | None = Field(None, description="The rephrasing suggestion the choice refers to.")


class MessagePublic(BaseModel):
    id: str
    seq: int
    participant_id: str
    author: str
    role: Role
    is_ai: bool
    text: str
    lang: str | None
    created_at: datetime
    original: str | None = Field(None, description="The author's own draft; shown to the author only.")


class TranslationPublic(BaseModel):
    """A message's text in the reader's language, or why there is none (yet)."""

    message_id: str
    lang: str
    status: Literal["pending", "translated", "unverified", "unavailable"] = Field(
        description="unverified: no translation passed the checks; unavailable: the model was down or slow."
    )
    text: str | None
    verdict: Verdict = Field(description=VERDICT)
    checked: list[str] = Field(description=CHECKED)
    verdict_text: str = Field(description="The verdict as an English sentence.")
    reason: str | None = Field(description="Why there is no translation, in words.")


class CheckRequest(_In):
    text: Text


class SuggestionPublic(BaseModel):
    id: str
    kind: str
    status: str
    text: str | None
    method: str | None
    verdict: Verdict = Field(description=VERDICT)
    checked: list[str] = Field(description=CHECKED)
    verdict_text: str = Field(description="The verdict as an English sentence.")
    detail: dict[str, Any]
    reason: str | None = Field(description="Why there is no text, in words.")
    instruction: str | None
    created_at: datetime


class CheckResult(BaseModel):
    """The pre-send check: incivility now, feedback if flagged, and a suggestion arriving later.

    A draft the detector could not score has `incivility` null and `unscored` set to the policy's handling
    (`hold`, `warn`: flagged, with a note saying it could not be checked; `allow`: not flagged).
    """

    flagged: bool
    incivility: float | None
    unscored: Unscored | None = None
    threshold: float
    categories: dict[str, float]
    spans: list[tuple[int, int, str]]
    feedback: str | None
    suggestion: SuggestionPublic | None


class DraftCreate(_In):
    instruction: str | None = Field(None, max_length=500)


class InterventionCreate(_In):
    """The mediator's message, optionally from a draft (accepted as is, or edited)."""

    client_id: str = Field(min_length=1, max_length=64)
    text: Text
    suggestion_id: str | None = None


class AutonomyUpdate(_In):
    autonomy: Autonomy


class MediatorRequest(_In):
    note: str | None = Field(None, max_length=500)


class DecisionPublic(BaseModel):
    id: str
    at: datetime
    event: str
    action: str
    rule: str
    reason: str
    purpose: str | None
    message_id: str | None
    signals: list[dict[str, Any]]
    draft_sha256: str | None = Field(
        None, description="SHA-256 of the private draft a pre-send decision was about (its text is not kept)."
    )
    draft_chars: int | None = Field(None, description="The length of that draft, in characters.")
    outcome: str | None = Field(
        None,
        description="What became of an intervention: posted, not_posted (nothing to post; not counted "
        "toward the cool-down), or null while pending.",
    )


class MessageSignals(BaseModel):
    message_id: str
    seq: int
    incivility: float | None
    derailment_risk: float | None


class EventPublic(BaseModel):
    seq: int
    kind: str
    payload: dict[str, Any]


class UsageLine(BaseModel):
    task: str
    model: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    mean_latency_s: float
    failures: int


class UsageError(BaseModel):
    """A failed model call with its technical cause (shown to the administrator only)."""

    model_config = ConfigDict(from_attributes=True)

    started_at: datetime
    conversation_id: str | None
    task: str
    model: str
    error: str


class Usage(BaseModel):
    calls: int
    prompt_tokens: int
    completion_tokens: int
    lines: list[UsageLine]
    errors: list[UsageError] = Field(description="The latest failed calls, newest first.")
