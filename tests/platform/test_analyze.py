"""The stateless Perspective-compatible endpoint."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_analyze_answers_in_perspective_format(client: TestClient) -> None:
    body = {
        "comment": {"text": "You are an idiot"},
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
        "spanAnnotations": True,
        "clientToken": "t1",
    }
    answer = client.post("/v1alpha1/comments:analyze", json=body).json()
    assert answer["clientToken"] == "t1"
    assert answer["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"
    assert answer["attributeScores"]["INSULT"]["spanScores"]


def test_analyze_rejects_unknown_attributes_with_422(client: TestClient) -> None:
    body = {"comment": {"text": "hi"}, "requestedAttributes": {"FLIRTATION": {}}}
    response = client.post("/v1alpha1/comments:analyze", json=body)
    assert response.status_code == 422 and "FLIRTATION" in response.json()["detail"]
