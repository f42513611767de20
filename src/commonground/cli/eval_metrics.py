"""`commonground eval detection` and `commonground eval forecast`: metrics with bootstrap intervals, as JSON.

Both score with the project's own model (the incivility detector; the derailment forecaster) unless every
item of the data carries a score of its own, so any external classifier can be evaluated the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import track

from commonground.cli.jsonlines import OutputFile
from commonground.core.errors import InputError
from commonground.datasets import (
    ATTACK_KEY,
    DERAILS_KEY,
    FORECAST_FORMATS,
    FORMATS,
    SCORE_KEY,
    Columns,
    read_forecast_cases,
    read_labelled,
)

if TYPE_CHECKING:
    from commonground.signals.incivility import IncivilityDetector, IncivilityScore

Item = TypeVar("Item")
BATCH = 512
EXTERNAL_THRESHOLD = 0.5

Resamples = Annotated[
    int | None, typer.Option(min=10, help="Bootstrap resamples of every interval (default 1000).")
]
Threshold = Annotated[
    float | None,
    typer.Option(help="Flag at or above this score (default: the model's own; 0.5 for given scores)."),
]


def detection(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Labelled data: CSV, TSV or JSON lines (text, label, and optional lang, id, identity, "
            "score), ParaDetox or TextDetox TSV, or a ConvoKit corpus directory.",
            show_default=False,
        ),
    ],
    data_format: Annotated[
        str, typer.Option("--format", help="auto, csv, tsv, jsonl, paradetox, textdetox or convokit.")
    ] = "auto",
    threshold: Threshold = None,
    by: Annotated[str | None, typer.Option(help="lang: the metrics per language too.")] = None,
    text: Annotated[str, typer.Option(help="Column of the text.")] = "text",
    label: Annotated[str, typer.Option(help="Column of the label (1 uncivil, 0 civil).")] = "label",
    lang: Annotated[str, typer.Option(help="Column of the language.")] = "lang",
    identity: Annotated[str, typer.Option(help="Column of the identity a civil text mentions.")] = "identity",
    score: Annotated[str, typer.Option(help="Column of an external classifier's score.")] = "score",
    identities: Annotated[
        bool,
        typer.Option(
            help="With the project's detector: false positives on civil sentences naming identities."
        ),
    ] = True,
    resamples: Resamples = None,
    output: OutputFile = None,
) -> None:
    """Detection quality: ROC-AUC, accuracy, precision, recall, F1 and false-positive rate at a threshold."""
    from commonground.evaluation.bootstrap import RESAMPLES
    from commonground.evaluation.detection import detection_report, identity_report

    _check_choice(data_format, FORMATS, "--format")
    if by is not None:
        _check_choice(by, ("lang",), "--by")
    resamples = RESAMPLES if resamples is None else resamples
    columns = Columns(text=text, label=label, lang=lang, identity=identity, score=score)
    items = [
        item
        for path in files
        for item in read_labelled(path, format=data_format, columns=columns)  # type: ignore[arg-type]
    ]
    if not items:
        raise InputError("no labelled texts in the input")
    has_score = _external(
        items, lambda item: item.score is not None, lambda item: f"{item.where}: no {score!r}"
    )
    templates = None
    if has_score:
        scores, detected = [float(item.score) for item in items], [None] * len(items)  # type: ignore[arg-type]
        scorer, cut = f"column {score!r}", _or(threshold, EXTERNAL_THRESHOLD)
    else:
        from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector

        detector = IncivilityDetector.load()
        scores, detected = _detect([item.text for item in items], detector)
        scorer, cut = f"incivility detector {detector.version}", _or(threshold, DEFAULT_THRESHOLD)
        if identities:
            templates = identity_report(
                lambda texts, _: [_ranked(s) for s in detector.score_many(texts)], cut, resamples=resamples
            )
    langs = [item.lang or guess or "unknown" for item, guess in zip(items, detected, strict=True)]
    report = detection_report(
        [item.label for item in items],
        scores,
        threshold=cut,
        langs=langs if by else None,
        identities=[item.identity for item in items] if any(item.identity for item in items) else None,
        resamples=resamples,
    )
    if templates is not None:
        report["identity_templates"] = templates
    _emit({"files": [str(path) for path in files], "scorer": scorer, **report}, output)


def forecast(
    file: Annotated[
        Path,
        typer.Argument(help="A Conversations Gone Awry (CMV) file or a labelled ConvoKit corpus directory."),
    ],
    data_format: Annotated[str, typer.Option("--format", help="auto, cga or convokit.")] = "auto",
    split: Annotated[
        str, typer.Option(help="all, or the fixed train or held-out test split of the forecaster's training.")
    ] = "all",
    threshold: Threshold = None,
    derails: Annotated[
        str, typer.Option(help="ConvoKit: conversation meta saying whether it derails.")
    ] = DERAILS_KEY,
    attack: Annotated[
        str, typer.Option(help="ConvoKit: utterance meta marking the derailing utterance.")
    ] = ATTACK_KEY,
    score: Annotated[
        str, typer.Option(help="ConvoKit: utterance meta of an external risk score.")
    ] = SCORE_KEY,
    resamples: Resamples = None,
    output: OutputFile = None,
) -> None:
    """Forecasting quality: accuracy, precision, recall, F1, false-positive rate, ROC-AUC, and the horizon."""
    from commonground.evaluation.bootstrap import RESAMPLES
    from commonground.evaluation.forecasting import forecast_report, forecasts
    from commonground.signals.derailment_training import split_corpus

    _check_choice(data_format, FORECAST_FORMATS, "--format")
    _check_choice(split, ("all", "train", "test"), "--split")
    resamples = RESAMPLES if resamples is None else resamples
    cases = read_forecast_cases(
        file,
        format=data_format,  # type: ignore[arg-type]
        derails_key=derails,
        attack_key=attack,
        score_key=score,
    )
    if split != "all":
        train, test = split_corpus(cases)
        cases = test if split == "test" else train
    if not cases:
        raise InputError(f"{file}: no conversations to forecast")
    if _external(
        cases,
        lambda case: case.scores is not None and case.scores[-1] is not None,
        lambda case: f"{file}: conversation {case.id} has no score after its last context message",
    ):
        forecaster, scorer, cut = None, f"given scores ({score!r})", _or(threshold, EXTERNAL_THRESHOLD)
    else:
        from commonground.signals.derailment import DerailmentForecaster

        model = DerailmentForecaster.load()
        forecaster, cut = model.risk, _or(threshold, model.threshold)
        scorer = f"derailment forecaster {model.meta['name']}"
    results = list(_progress(forecasts(cases, forecaster), "forecasting", total=len(cases)))
    report = forecast_report(results, threshold=cut, resamples=resamples)
    _emit({"file": str(file), "split": split, "scorer": scorer, **report}, output)


def _ranked(score: IncivilityScore) -> float:
    """The probability, or 0 for a message the detector could not score (a toxic one counts as missed)."""
    return 0.0 if score.probability is None else score.probability


def _detect(texts: list[str], detector: IncivilityDetector) -> tuple[list[float], list[str | None]]:
    """The detector's probabilities and detected languages, in batches, as deployed (languages detected)."""
    scores: list[float] = []
    langs: list[str | None] = []
    batches = range(0, len(texts), BATCH)
    for start in _progress(batches, "detecting", total=len(batches)):
        for result in detector.score_many(texts[start : start + BATCH]):
            scores.append(_ranked(result))
            langs.append(result.lang)
    return scores, langs


def _external(items: Sequence[Item], scored: Callable[[Item], bool], missing: Callable[[Item], str]) -> bool:
    """True when every item has its own score, False when none has; an error when only some have."""
    flags = [scored(item) for item in items]
    if all(flags):
        return True
    if any(flags):
        raise InputError(f"{missing(items[flags.index(False)])}; give every item a score, or none")
    return False


def _progress(items: Iterable[Item], description: str, *, total: int) -> Iterable[Item]:
    console = Console(stderr=True)
    return track(
        items, description, total=total, console=console, transient=True, disable=not console.is_terminal
    )


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _check_choice(value: str, choices: Sequence[str], option: str) -> None:
    if value not in choices:
        raise typer.BadParameter(f"choose one of {', '.join(choices)}", param_hint=option)


def _emit(report: dict[str, Any], output: Path | None) -> None:
    from commonground.evaluation.report import finite

    text = json.dumps(finite(report), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def register(app: typer.Typer) -> None:
    app.command()(detection)
    app.command()(forecast)
