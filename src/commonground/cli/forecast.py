"""`commonground forecast`: derailment risk of conversations, JSON lines in and out."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from commonground.cli import jsonlines
from commonground.cli.analyze import load_detector
from commonground.core.errors import InputError
from commonground.signals.derailment import DerailmentForecaster


def forecast(
    files: jsonlines.InputFiles = None,
    output: jsonlines.OutputFile = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Decision threshold for `derail` (default: the model's)."),
    ] = None,
    mode: Annotated[
        str,
        typer.Option(
            help="The incivility detector's mode (accurate or fast), with the forecaster of that mode."
        ),
    ] = "accurate",
) -> None:
    """Add `risk` (0-1) and `derail` to each line {"id", "messages": [{"speaker", "text"}, ...]}.

    `--mode` scores the messages' incivility as the platform's `platform.detector` does, with the forecaster
    trained on that mode's scores. A bad line is answered by {"id", "error"} on its own line and the batch
    goes on.
    """
    forecaster = DerailmentForecaster.load(detector=load_detector(mode))
    cut = forecaster.threshold if threshold is None else threshold

    def answer(record: dict[str, Any]) -> dict[str, Any]:
        risk = forecaster.risk(_texts(record))
        return {**record, "risk": round(risk, 4), "derail": risk >= cut}

    jsonlines.run(files, output, jsonlines.each(answer), description="forecast", progress_after_bytes=1 << 16)


def _texts(record: dict[str, Any]) -> list[str]:
    if "messages" not in record:
        raise InputError("missing 'messages'")
    messages = record["messages"]
    if not isinstance(messages, list):
        raise InputError("'messages' must be a list")
    texts = []
    for number, message in enumerate(messages, start=1):
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            raise InputError(f"message {number} must be an object with a string 'text'")
        texts.append(message["text"])
    return texts


def register(app: typer.Typer) -> None:
    from commonground.cli import policy

    app.command()(forecast)
    policy.register(app)
