"""Forecasting metrics and the horizon against answers worked out by hand; the real forecaster on real data.

Four conversations, threshold 0.5, risk after each context message:

    derails  risks              forecast  horizon
    yes      0.2 0.6 0.4 0.7    TP        first reached after message 2 of 4: 2 messages follow -> 2
    yes      0.1 0.3 0.8        TP        first reached after the last message -> 0
    yes      0.9 0.2            FN        not flagged at the end -> none
    no       0.6 0.1            TN

Accuracy 3/4, precision 1, recall 2/3, F1 4/5, FPR 0; ROC-AUC: 0.7 and 0.8 outscore 0.1, 0.2 does too: 1.
Horizon over the two true positives: mean 1, median 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from commonground.datasets import ForecastCase, read_cga
from commonground.evaluation.forecasting import Forecast, forecast_report, forecasts, horizon
from commonground.signals.derailment import DerailmentForecaster
from commonground.signals.derailment_training import split_corpus

FORECASTS = [
    Forecast("a", True, (0.2, 0.6, 0.4, 0.7)),
    Forecast("b", True, (0.1, 0.3, 0.8)),
    Forecast("c", True, (0.9, 0.2)),
    Forecast("d", False, (0.6, 0.1)),
]


def test_horizon_worked_by_hand() -> None:
    assert [horizon(f.risks, 0.5) for f in FORECASTS] == [2, 0, None, None]
    assert horizon((0.7, 0.9, 0.8), 0.5) == 2
    assert horizon((None, 0.9), 0.5) is None


def test_report_worked_by_hand() -> None:
    report = forecast_report(FORECASTS, threshold=0.5, resamples=100)
    assert (report["n"], report["derailing"]) == (4, 3)
    metrics = {name: estimate.value for name, estimate in report["metrics"].items()}
    assert metrics == pytest.approx(
        {"roc_auc": 1.0, "accuracy": 3 / 4, "precision": 1.0, "recall": 2 / 3, "f1": 4 / 5, "fpr": 0.0}
    )
    horizon_report = report["horizon"]
    assert (horizon_report["mean"].value, horizon_report["mean"].n, horizon_report["median"].value) == (
        1,
        2,
        1,
    )
    assert horizon_report["untraced"] == 0
    untraced = forecast_report([Forecast("e", True, (None, 0.9))], threshold=0.5, resamples=10)["horizon"]
    assert (untraced["untraced"], untraced["mean"].n) == (1, 0)


def test_every_prefix_is_scored_unless_the_case_brings_its_scores() -> None:
    def by_length(texts: Sequence[str]) -> float:
        return len(texts) / 10

    cases = [ForecastCase("x", ("a", "b", "c"), True), ForecastCase("y", ("d",), False, (0.4,))]
    assert [f.risks for f in forecasts(cases, by_length)] == [(0.1, 0.2, 0.3), (0.1,)]
    given = list(forecasts(cases[1:], None))
    assert given == [Forecast("y", False, (0.4,))] and given[0].risk == 0.4


def test_real_forecaster_on_held_out_conversations(test_data: Path) -> None:
    # The held-out split of the sample lies in the full corpus's, which the shipped forecaster never saw.
    _, test = split_corpus(read_cga(test_data / "conversations-gone-awry-cmv" / "cmv_base_valid.json"))
    model = DerailmentForecaster.load()
    results = list(forecasts(test, model.risk))
    assert [f.risk for f in results] == pytest.approx([model.risk(case.texts) for case in test])
    assert all(len(f.risks) == len(case.texts) for f, case in zip(results, test, strict=True))
    report = forecast_report(results, threshold=model.threshold, resamples=100)
    true_positives = sum(f.derails and f.risk >= model.threshold for f in results)
    assert report["horizon"]["mean"].n == true_positives > 0
