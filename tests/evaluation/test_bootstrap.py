"""Bootstrap intervals: paired resampling, undefined resamples dropped, degenerate samples."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.evaluation.bootstrap import estimate, mean


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    if len(set(labels.tolist())) < 2:
        raise ValueError("one class only")
    positive, negative = scores[labels == 1], scores[labels == 0]
    return float((positive[:, None] > negative[None, :]).mean())


def test_mean_interval_brackets_the_mean_and_is_reproducible() -> None:
    values = np.random.default_rng(1).normal(10, 2, size=400)
    first, second = mean(values, seed=3), mean(values, seed=3)
    assert first == second
    assert first.low < first.value < first.high
    assert first.value == pytest.approx(values.mean())
    assert first.high - first.low == pytest.approx(2 * 1.96 * values.std() / 20, rel=0.2)


def test_constant_sample_has_a_zero_width_interval() -> None:
    result = mean([1.0, 1.0, 1.0])
    assert (result.value, result.low, result.high, result.n) == (1.0, 1.0, 1.0, 3)


def test_paired_statistic_keeps_rows_together_and_drops_undefined_resamples() -> None:
    labels = np.array([0, 1] * 10)
    perfect = estimate(auc, labels, labels.astype(float))
    assert (perfect.value, perfect.low, perfect.high) == (1.0, 1.0, 1.0)
    tiny = estimate(auc, np.array([0, 1, 1]), np.array([0.2, 0.9, 0.1]))
    assert np.isfinite(tiny.low) and tiny.low <= tiny.value <= tiny.high


def test_too_small_or_mismatched_samples() -> None:
    assert np.isnan(mean([]).value) and mean([]).n == 0
    single = mean([0.5])
    assert single.value == 0.5 and np.isnan(single.low)
    with pytest.raises(ValueError, match="one value per item"):
        estimate(auc, [0, 1], [0.5])
