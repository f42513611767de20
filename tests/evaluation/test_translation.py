"""Translation fidelity: one real round trip with the default model; per-pair aggregation by hand."""

from __future__ import annotations

import pytest

from commonground.core.errors import InputError
from commonground.evaluation.translation import (
    TranslationItem,
    TranslationPair,
    translation_item,
    translation_report,
)
from commonground.llm.local import LocalModel

MESSAGE = "I paid 45 dollars for the seeds and they never arrived."


def test_round_trip_into_french(default_model: LocalModel) -> None:
    item = translation_item(default_model, TranslationPair(id="1", text=MESSAGE, target="fr"))
    print(f"{item.translation} / {item.back_translation}: {item.relation}/{item.stance} {item.fidelity:.2f}")
    assert item.pair == "en-fr" and item.in_target == 1.0
    assert "45" in item.translation and "45" in item.back_translation
    assert item.back_cosine > item.cross_cosine - 0.1 and item.back_sim > 0.5
    assert item.judged > 0 and item.fidelity > 0.25


def test_unclear_source_language_needs_lang(default_model: LocalModel) -> None:
    with pytest.raises(InputError, match="give its 'lang'"):
        translation_item(default_model, TranslationPair(id="x", text="123 456", target="fr"))


def item(pair: str, fidelity: float) -> TranslationItem:
    return TranslationItem(
        id=pair,
        pair=pair,
        translation="",
        back_translation="",
        cross_cosine=0.9,
        cross=1.0,
        back_cosine=0.95,
        back_sim=1.0,
        relation="entails",
        stance="same",
        judged=1.0,
        in_target=1.0,
        fidelity=fidelity,
    )


def test_report_per_language_pair() -> None:
    report = translation_report([item("en-fr", 1.0), item("en-fr", 0.5), item("en-de", 0.0)])
    assert report.aggregate["fidelity"].value == pytest.approx(0.5) and report.aggregate["fidelity"].n == 3
    assert list(report.pairs) == ["en-de", "en-fr"]
    assert report.pairs["en-fr"]["fidelity"].value == 0.75 and report.pairs["en-de"]["fidelity"].n == 1
    assert report.public()["pairs"]["en-de"]["fidelity"]["low"] is None  # one item: no interval
