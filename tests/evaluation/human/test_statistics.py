"""Agreement, win rates, Bradley–Terry and the report, on tables and tournaments worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from commonground.evaluation.human.agreement import krippendorff_alpha
from commonground.evaluation.human.judgements import Judgement
from commonground.evaluation.human.preferences import Comparison, bradley_terry, win_rates
from commonground.evaluation.human.report import report

N = np.nan


def codes(table: list[list[float]]) -> dict[tuple[str, int], float]:
    """(annotator, unit) → value of an annotators × units table, NaN meaning not coded."""
    return {(f"coder{r}", u): v for r, row in enumerate(table) for u, v in enumerate(row) if not np.isnan(v)}


def test_alpha_matches_the_documented_examples() -> None:
    # Krippendorff (2011) / the krippendorff package's own tests: nominal 0.691, ordinal 0.815.
    wikipedia = [
        [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
        [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
        [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
    ]
    nominal = krippendorff_alpha(codes(wikipedia), level="nominal", domain=[1, 2, 3, 4], resamples=200)
    assert nominal.alpha.value == pytest.approx(0.691358, abs=1e-6)
    assert nominal.units == 12  # three units have fewer than two values
    ordinal_table = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    ordinal = krippendorff_alpha(codes(ordinal_table), level="ordinal", domain=[1, 2, 3, 4, 5], resamples=200)
    assert round(ordinal.alpha.value, 3) == 0.815
    assert ordinal.alpha.low < ordinal.alpha.value < ordinal.alpha.high <= 1


def test_alpha_by_hand_and_when_undefined() -> None:
    # Two coders, units (a, a), (b, b), (a, b): o_ab = o_ba = 1 of n = 6 pairable values, so D_o = 2/6;
    # n_a = n_b = 3, D_e = 2·3·3 / (6·5) = 0.6; alpha = 1 − (1/3)/0.6 = 4/9.
    two = krippendorff_alpha(codes([[0, 1, 0], [0, 1, 1]]), level="nominal", domain=[0, 1], resamples=200)
    assert two.alpha.value == pytest.approx(4 / 9)
    lonely = krippendorff_alpha(codes([[1, N], [N, 2]]), level="ordinal", domain=[1, 2, 3, 4, 5])
    assert lonely.units == 0 and np.isnan(lonely.alpha.value)


TOURNAMENT = (
    [Comparison("strong", "middle", 1.0)] * 4
    + [Comparison("weak", "strong", 0.0)] * 4
    + [Comparison("middle", "weak", 1.0)] * 3
    + [Comparison("middle", "weak", 0.5)]
)


def test_win_rates_of_an_obvious_tournament() -> None:
    rates = {(r.system, r.opponent): r for r in win_rates(TOURNAMENT, resamples=200)}
    assert set(rates) == {("middle", "strong"), ("middle", "weak"), ("strong", "weak")}
    assert rates[("middle", "strong")].rate.value == 0.0 and rates[("middle", "strong")].losses == 4
    assert rates[("strong", "weak")].rate.value == 1.0 and rates[("strong", "weak")].rate.low == 1.0
    middle_weak = rates[("middle", "weak")]
    assert (middle_weak.wins, middle_weak.losses, middle_weak.ties) == (3, 0, 1)
    assert middle_weak.rate.value == pytest.approx(3.5 / 4)
    assert 0.5 <= middle_weak.rate.low < middle_weak.rate.value < middle_weak.rate.high == 1.0


def test_bradley_terry_ranks_the_tournament_and_separates_its_ends() -> None:
    scores = bradley_terry(TOURNAMENT, resamples=200)
    assert sorted(scores, key=lambda s: -scores[s].value) == ["strong", "middle", "weak"]
    assert sum(score.value for score in scores.values()) == pytest.approx(0, abs=1e-6)
    assert scores["strong"].low > scores["weak"].high
    assert all(score.low <= score.value <= score.high for score in scores.values())


def test_bradley_terry_of_evenly_matched_systems_is_zero() -> None:
    even = [Comparison("a", "b", 1.0), Comparison("a", "b", 0.0), Comparison("a", "b", 0.5)] * 3
    scores = bradley_terry(even, resamples=200)
    assert scores["a"].value == pytest.approx(0, abs=1e-6) and scores["b"].value == pytest.approx(0, abs=1e-6)
    assert scores["a"].low < 0 < scores["a"].high


def judgement(annotator: str, item: str, **fields: object) -> Judgement:
    return Judgement(batch="b1", annotator=annotator, item=item, **fields)  # type: ignore[arg-type]


def test_report_leaves_out_annotators_who_failed_attention_checks() -> None:
    pair = ["a", "b"]
    judgements = [
        # alice and bob agree on items 1 and 2 and split on item 3: preference alpha 4/9 (worked above).
        judgement(
            "alice", "i1", systems=pair, preference="a", ratings={"a": {"civility": 5}, "b": {"civility": 2}}
        ),
        judgement(
            "bob", "i1", systems=pair, preference="a", ratings={"a": {"civility": 5}, "b": {"civility": 2}}
        ),
        judgement(
            "alice", "i2", systems=pair, preference="b", ratings={"a": {"civility": 3}, "b": {"civility": 4}}
        ),
        judgement(
            "bob", "i2", systems=pair, preference="b", ratings={"a": {"civility": 3}, "b": {"civility": 4}}
        ),
        judgement("alice", "i3", systems=pair, preference="a"),
        judgement("bob", "i3", systems=pair, preference="b"),
        judgement("alice", "check", attention=True),
        judgement("bob", "check", attention=True),
        judgement("eve", "check", attention=False),
        judgement("eve", "i1", systems=pair, preference="b", ratings={"a": {"civility": 1}}),
    ]
    result = report(judgements, resamples=200)
    assert result["annotators"]["eve"] == {
        "judgements": 1,
        "attention_checks": 1,
        "attention_passed": 0,
        "excluded": True,
    }
    assert result["judgements"] == 6
    assert result["agreement"]["preference"]["alpha"]["value"] == pytest.approx(4 / 9)
    assert result["agreement"]["civility"]["alpha"]["value"] == 1.0
    assert result["agreement"]["civility"]["units"] == 4
    assert result["ratings"]["a"]["civility"]["value"] == 4.0  # eve's 1 is left out
    (rate,) = result["win_rates"]
    assert (rate["system"], rate["wins"], rate["losses"], rate["win_rate"]["value"]) == ("a", 3, 3, 0.5)
    assert set(result["bradley_terry"]) == {"a", "b"}
    kept = report(judgements, min_attention=0.0, resamples=200)
    assert kept["judgements"] == 7 and kept["ratings"]["a"]["civility"]["value"] == pytest.approx(3.4)
