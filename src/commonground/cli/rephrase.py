"""`commonground rephrase`: calmer wordings of drafts, with pre-send feedback, as JSON lines."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from commonground.cli import jsonlines
from commonground.core.errors import InputError
from commonground.core.settings import load_settings


def rephrase(
    files: jsonlines.InputFiles = None,
    output: jsonlines.OutputFile = None,
    candidates: Annotated[int, typer.Option(min=1, max=5, help="Model candidates before the fallback.")] = 2,
) -> None:
    """Add `rephrased`, `method` (llm or fallback), `scores` and `feedback` to lines {"id", "text", "lang"?}.

    `rephrased` is null when no civil wording in whole sentences could be made: the feedback stands alone.

    A bad line is answered by {"id", "error"} on its own line and the batch goes on.
    """
    from commonground.llm import open_model
    from commonground.signals.incivility import IncivilityDetector
    from commonground.tasks.feedback import presend_feedback
    from commonground.tasks.rephrase import RephraseRequest, RephraseTask

    model = open_model(load_settings())
    detector = IncivilityDetector.load()
    task = RephraseTask(candidates=candidates, detector=detector)

    def answer(record: dict[str, Any]) -> dict[str, Any]:
        text, lang = record.get("text"), record.get("lang")
        if not isinstance(text, str):
            raise InputError("missing text" if text is None else "text must be a string")
        if lang is not None and not isinstance(lang, str):
            raise InputError("lang must be a string")
        result = task.run(model, RephraseRequest(text=text, lang=lang))
        return record | {
            "rephrased": result.text or None,
            "method": result.method,
            "scores": {item.name: item.score for item in result.checks},
            "failed_checks": [item.name for item in result.checks if not item.passed],
            "fallback_reason": result.fallback_reason,
            "feedback": presend_feedback(text, detector.score(text, lang)).text,
        }

    jsonlines.run(files, output, jsonlines.each(answer), description="rephrase", progress_after_bytes=0)


def register(app: typer.Typer) -> None:
    app.command()(rephrase)
