"""Perspective-API-compatible scoring: the request and response shapes of `comments:analyze`.

`analyze_comment(request)` takes the JSON body Perspective accepts and returns the body it would answer, with
scores from the local incivility detector. Offsets in `spanScores` count Unicode code points. A comment the
detector could not score is refused, as Perspective refuses a language it does not support (an InputError
naming the language, HTTP 400 on the platform), never given a score.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commonground.core.errors import InputError
from commonground.signals.incivility import IncivilityDetector, IncivilityScore
from commonground.signals.language import normalize_code

ATTRIBUTES: dict[str, str | None] = {
    "TOXICITY": None,
    "SEVERE_TOXICITY": None,
    "INSULT": "insult",
    "PROFANITY": "profanity",
    "IDENTITY_ATTACK": "identity_attack",
    "THREAT": "threat",
}
"""Supported attributes and the detector category behind each (None: derived from the overall score)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Comment(_Strict):
    """The text to score."""

    text: str
    type: Literal["PLAIN_TEXT"] = "PLAIN_TEXT"


class AttributeRequest(_Strict):
    """Options for one requested attribute."""

    scoreType: Literal["PROBABILITY"] = "PROBABILITY"
    scoreThreshold: float | None = Field(default=None, ge=0.0, le=1.0)


class AnalyzeRequest(_Strict):
    """The body of a `comments:analyze` request (Perspective's camelCase field names)."""

    comment: Comment
    requestedAttributes: dict[str, AttributeRequest] = Field(min_length=1)
    languages: list[str] = Field(default_factory=list)
    spanAnnotations: bool = False
    doNotStore: bool = False
    clientToken: str | None = None
    sessionId: str | None = None
    communityId: str | None = None
    context: dict[str, Any] | None = None

    @field_validator("requestedAttributes")
    @classmethod
    def _known_attributes(cls, value: dict[str, AttributeRequest]) -> dict[str, AttributeRequest]:
        unknown = sorted(set(value) - set(ATTRIBUTES))
        if unknown:
            raise ValueError(f"unknown attribute(s) {', '.join(unknown)}; supported: {', '.join(ATTRIBUTES)}")
        return value


def analyze_comment(request: dict[str, Any], *, detector: IncivilityDetector | None = None) -> dict[str, Any]:
    """Score a `comments:analyze` request body; raise InputError for a malformed one."""
    try:
        parsed = AnalyzeRequest.model_validate(request)
    except ValidationError as error:
        raise InputError(f"invalid analyze request: {_describe(error)}") from None
    detector = detector or IncivilityDetector.load()
    requested = [normalize_code(code) for code in parsed.languages]
    score = detector.score(parsed.comment.text, requested[0] if requested else None)
    if score.probability is None:
        raise InputError(
            f"attributes {', '.join(parsed.requestedAttributes)} do not support request language {score.lang}"
        )
    attribute_scores = {}
    for name, options in parsed.requestedAttributes.items():
        value = _attribute_value(score, name)
        if options.scoreThreshold is not None and value < options.scoreThreshold:
            continue
        entry: dict[str, Any] = {"summaryScore": _probability(value)}
        if parsed.spanAnnotations:
            entry["spanScores"] = _span_scores(score, name)
        attribute_scores[name] = entry
    response: dict[str, Any] = {
        "attributeScores": attribute_scores,
        "languages": requested or [score.lang or "en"],
        "detectedLanguages": [score.lang] if score.lang else [],
    }
    if parsed.clientToken is not None:
        response["clientToken"] = parsed.clientToken
    return response


def _attribute_value(score: IncivilityScore, name: str) -> float:
    probability = score.probability or 0.0  # analyze_comment refuses the comments that were not scored
    category = ATTRIBUTES[name]
    if category is not None:
        return score.categories[category]
    if name == "SEVERE_TOXICITY":
        return round(probability * max(score.categories.values(), default=0.0), 4)
    return probability


def _span_scores(score: IncivilityScore, name: str) -> list[dict[str, Any]]:
    category = ATTRIBUTES[name]
    value = _attribute_value(score, name)
    return [
        {"begin": start, "end": end, "score": _probability(value)}
        for start, end, span_category in score.spans
        if category is None or span_category == category
    ]


def _probability(value: float) -> dict[str, Any]:
    return {"value": value, "type": "PROBABILITY"}


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}" + (
        f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    )
