"""Perspective-compatible scoring: request validation and response shapes."""

from __future__ import annotations

from typing import Any

import pytest

from commonground.core.errors import InputError
from commonground.signals.perspective import ATTRIBUTES, analyze_comment


def _request(text: str, *attributes: str, **extra: Any) -> dict[str, Any]:
    return {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes}, **extra}


def test_response_has_perspective_shape() -> None:
    text = "You are a stupid idiot, fuck off."
    response = analyze_comment(_request(text, *ATTRIBUTES, spanAnnotations=True, clientToken="abc"))
    assert set(response) == {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert response["languages"] == ["en"] and response["detectedLanguages"] == ["en"]
    assert set(response["attributeScores"]) == set(ATTRIBUTES)
    for entry in response["attributeScores"].values():
        assert entry["summaryScore"]["type"] == "PROBABILITY"
        assert 0.0 <= entry["summaryScore"]["value"] <= 1.0
        for span in entry["spanScores"]:
            assert set(span) == {"begin", "end", "score"} and span["score"]["type"] == "PROBABILITY"
    toxicity = response["attributeScores"]["TOXICITY"]
    assert toxicity["summaryScore"]["value"] > 0.9
    insults = {text[s["begin"] : s["end"]] for s in response["attributeScores"]["INSULT"]["spanScores"]}
    assert insults == {"stupid", "idiot"}
    assert response["attributeScores"]["THREAT"]["spanScores"] == []


def test_civil_comment_scores_low_and_spans_are_omitted_unless_asked() -> None:
    response = analyze_comment(_request("Thank you for the thoughtful reply.", "TOXICITY", "INSULT"))
    assert response["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.3
    assert "spanScores" not in response["attributeScores"]["INSULT"]


def test_score_threshold_drops_attributes_below_it() -> None:
    request = _request("Have a nice day.", "TOXICITY")
    request["requestedAttributes"]["TOXICITY"] = {"scoreType": "PROBABILITY", "scoreThreshold": 0.9}
    assert analyze_comment(request)["attributeScores"] == {}


def test_requested_language_is_used() -> None:
    response = analyze_comment(_request("Du bist ein Idiot", "INSULT", languages=["de-DE"]))
    assert response["languages"] == ["de"]
    assert response["attributeScores"]["INSULT"]["summaryScore"]["value"] > 0.5


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        (_request("hi", "TOXICITY", "SARCASM"), "unknown attribute.*SARCASM"),
        ({"comment": {}, "requestedAttributes": {"TOXICITY": {}}}, "comment.text: Field required"),
        ({"requestedAttributes": {"TOXICITY": {}}}, "comment: Field required"),
        ({"comment": {"text": "hi"}, "requestedAttributes": {}}, "requestedAttributes"),
        (_request("hi", "TOXICITY", colour="red"), "colour"),
        (
            {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV"}}},
            "scoreType",
        ),
        (
            _request("Imaynallam kachkanki", "TOXICITY", languages=["qu"]),
            "do not support request language qu",
        ),
    ],
)
def test_bad_requests_raise_clear_input_errors(request_body: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze_comment(request_body)
