"""`commonground analyze`: message incivility, JSON lines in and out."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from commonground.cli import jsonlines
from commonground.core.errors import InputError

if TYPE_CHECKING:
    from commonground.signals.incivility import IncivilityDetector

BATCH = 1024


def analyze(
    files: jsonlines.InputFiles = None,
    output: jsonlines.OutputFile = None,
    mode: Annotated[
        str,
        typer.Option(help="accurate: the multilingual encoder, ~100 languages; fast: lexical, en/fr/de/es."),
    ] = "accurate",
) -> None:
    """Add `incivility`, `flagged`, `categories`, `spans`, `lang` and `supported` to each line {"id", "text",
    "lang"?}.

    `--mode fast` keeps to English, French, German and Spanish (others come back unscored) at thousands of
    messages a second. A message the detector could not score gets `supported: false` with `incivility` and
    `flagged` null: unknown, not civil. A bad line is answered by {"id", "error"} on its own line and the
    batch goes on.
    """
    detector = load_detector(mode)
    transform = partial(_score, detector=detector, threshold=detector.threshold)
    jsonlines.run(files, output, transform, description="analyze", batch_size=BATCH)


def load_detector(mode: str) -> IncivilityDetector:
    """The shipped incivility detector in `mode` (a `--mode` option's value)."""
    from commonground.signals.incivility import IncivilityDetector

    if mode not in ("accurate", "fast"):
        raise typer.BadParameter(f"unknown mode {mode!r}: accurate or fast", param_hint="--mode")
    return IncivilityDetector.load(mode)  # type: ignore[arg-type]


def _score(
    records: list[jsonlines.Record], *, detector: IncivilityDetector, threshold: float
) -> list[jsonlines.Record]:
    """Each record with its scores, or {"id", "error"}, in input order."""
    answers: list[jsonlines.Record] = []
    valid: list[jsonlines.Record] = []
    for record in records:
        try:
            _check(record)
        except InputError as error:
            answers.append({"id": record.get("id"), "error": str(error)})
            continue
        answers.append(record)
        valid.append(record)
    scores = detector.score_many([r["text"] for r in valid], [r.get("lang") for r in valid])
    for record, score in zip(valid, scores, strict=True):
        record.update(
            incivility=score.probability,
            flagged=score.flagged(threshold),
            categories=score.categories,
            spans=[list(span) for span in score.spans],
            lang=score.lang,
            supported=score.supported,
        )
    return answers


def _check(record: jsonlines.Record) -> None:
    if "text" not in record:
        raise InputError("missing text")
    if not isinstance(record["text"], str):
        raise InputError("text must be a string")
    if record.get("lang") is not None and not isinstance(record["lang"], str):
        raise InputError("lang must be a string")


def register(app: typer.Typer) -> None:
    app.command()(analyze)
