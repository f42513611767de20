"""The derailment forecaster with its shipped artefact."""

from __future__ import annotations

import json

import numpy as np
import pytest

from commonground.core.conversation import Message
from commonground.core.errors import ConfigError, InputError
from commonground.datasets import ForecastCase, read_cga
from commonground.signals.derailment import ARTEFACT_PATH, DerailmentForecaster, cue_features
from commonground.signals.derailment_training import save_artefact, split_corpus, train

CALM = [
    "I think the refund policy is fair, thanks for explaining it.",
    "Thanks, I appreciate that. Maybe we could agree on a partial refund?",
    "That sounds reasonable to me, I agree.",
]
HEATED = [
    "I think the refund policy is fair.",
    "You clearly did not even read it. Are you serious?",
    "You are LYING!! How can you say that? You never listen, this is stupid.",
]


@pytest.fixture(scope="module")
def forecaster() -> DerailmentForecaster:
    return DerailmentForecaster.load()


def test_escalating_exchange_scores_higher_than_calm_one(forecaster: DerailmentForecaster) -> None:
    calm, heated = forecaster.risk(CALM), forecaster.risk(HEATED)
    assert 0.0 <= calm < forecaster.threshold <= heated <= 1.0
    assert forecaster.derails(HEATED) and not forecaster.derails(CALM)


def test_messages_and_strings_score_the_same(forecaster: DerailmentForecaster) -> None:
    messages = [Message(id=str(i), speaker="ab"[i % 2], text=text) for i, text in enumerate(HEATED)]
    assert forecaster.risk(messages) == pytest.approx(forecaster.risk(HEATED))


def test_only_the_last_ten_messages_count(forecaster: DerailmentForecaster) -> None:
    assert forecaster.risk(["filler text"] * 30 + HEATED) == forecaster.risk(["filler text"] * 7 + HEATED)


@pytest.mark.parametrize(
    "messages",
    [[""], ["   "], ["🙂🙂🙂"], ["<b>hello</b> **there**"], ["x" * 1_000_000], ["f u c k", "id1ot"]],
)
def test_odd_text_gives_a_probability(forecaster: DerailmentForecaster, messages: list[str]) -> None:
    assert 0.0 <= forecaster.risk(messages) <= 1.0


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([], "empty conversation"),
        ("just a string", "list of messages"),
        (None, "list of messages"),
        ([{"text": "a dict"}], "Message or a string"),
        ([3], "Message or a string"),
    ],
)
def test_bad_input_is_an_input_error(
    forecaster: DerailmentForecaster, messages: object, expected: str
) -> None:
    with pytest.raises(InputError, match=expected):
        forecaster.risk(messages)  # type: ignore[arg-type]


def test_cues_see_shouting_accusations_and_politeness() -> None:
    polite = cue_features(["Thanks, good point. Perhaps I agree."])
    hostile = cue_features(["YOU are WRONG!! you never listen, how can you say that?"])
    assert hostile["shouting_last"] > polite["shouting_last"] == 0
    assert hostile["accusation_last"] > polite["accusation_last"] == 0
    assert hostile["rhetorical_last"] > 0 and polite["polite_last"] > hostile["polite_last"]


def test_artefact_metadata_matches_its_arrays() -> None:
    meta = json.loads(ARTEFACT_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    with np.load(ARTEFACT_PATH) as arrays:
        assert arrays["coef"].shape == arrays["mean"].shape == (len(meta["cue_names"]),)
    assert 0.0 < meta["threshold"] < 1.0 and meta["n_train"] > 900


def test_missing_or_corrupt_artefact_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        DerailmentForecaster.load(tmp_path / "absent.npz")
    save_artefact(
        {"mean": np.zeros(1), "scale": np.ones(1), "coef": np.zeros(1)}, {"name": "x"}, tmp_path / "m.npz"
    )
    with pytest.raises(ConfigError, match="cannot read"):
        DerailmentForecaster.load(tmp_path / "m.npz")


def test_split_is_fixed_stratified_and_disjoint(tmp_path) -> None:
    lines = [json.dumps({"src": f"a [SEP] b {i}", "tgt": i % 2 == 0, "convo_id": i}) for i in range(100)]
    (tmp_path / "corpus.json").write_text("\n".join(lines), encoding="utf-8")
    cases = read_cga(tmp_path / "corpus.json")
    train, test = split_corpus(cases)
    _, again_test = split_corpus(list(reversed(cases)))
    ids = {case.id for case in test}
    assert ids == {case.id for case in again_test}
    assert not ids & {case.id for case in train} and len(train) + len(test) == 100
    assert sum(case.derails for case in test) == 15 and len(test) == 30
    assert cases[0].texts == ("a", "b 0")


def test_training_with_incivility_scores_round_trips(tmp_path) -> None:
    cases = [
        ForecastCase(
            id=str(i),
            texts=("We disagree.", "You are WRONG!! idiot" if i % 2 else "Fair point, thanks."),
            derails=bool(i % 2),
        )
        for i in range(40)
    ]

    def fake(texts: list[str]) -> list[float]:
        return [0.9 if "idiot" in text else 0.1 for text in texts]

    arrays, meta = train(cases, incivility=fake)
    save_artefact(arrays, meta, tmp_path / "m.npz")
    trained = DerailmentForecaster.load(tmp_path / "m.npz", incivility=fake)
    assert meta["incivility"] is True and "incivility_max" in meta["cue_names"]
    assert trained.risk(cases[1].texts) > 0.5 > trained.risk(cases[0].texts)
