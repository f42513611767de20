"""Stateless Perspective-compatible scoring: change a Perspective client's base URL and it works."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body
from starlette.concurrency import run_in_threadpool

from commonground.platform.deps import PlatformDep
from commonground.signals.perspective import analyze_comment

router = APIRouter(tags=["perspective"])

EXAMPLE = {"comment": {"text": "You are an idiot"}, "requestedAttributes": {"TOXICITY": {}}}


@router.post("/v1alpha1/comments:analyze")
async def analyze(
    platform: PlatformDep,
    request: dict[str, Any] = Body(examples=[EXAMPLE]),  # noqa: B008
) -> dict[str, Any]:
    """Perspective API's `comments:analyze` request and response format, scored by the local detector.

    A comment the detector could not score is answered with HTTP 400 naming its language, never a score.
    """
    return await run_in_threadpool(analyze_comment, request, detector=platform.detector)
