"""The derailment forecaster with its shipped artefacts, one per incivility detector mode."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from commonground.core.conversation import Message
from commonground.core.errors import ConfigError, InputError
from commonground.datasets import ForecastCase, read_cga
from commonground.signals.derailment import DerailmentForecaster, artefact_path, cue_features
from commonground.signals.derailment_training import save_artefact, split_corpus, train
from commonground.signals.incivility import IncivilityDetector, IncivilityScore

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


MODES = ("accurate", "fast")


class Scripted(IncivilityDetector):
    """The fast detector's models with scripted probabilities; keeps every text it scored."""

    def __init__(self, probability: Callable[[str], float]) -> None:
        super().__init__(IncivilityDetector.load("fast").artefact)
        self.probability = probability
        self.read: list[str] = []

    def score_many(self, texts: list[str], langs: list[str | None] | None = None) -> list[IncivilityScore]:
        self.read += texts
        return [IncivilityScore(self.probability(text)) for text in texts]


@pytest.fixture(scope="module", params=MODES)
def forecaster(request: pytest.FixtureRequest) -> DerailmentForecaster:
    return DerailmentForecaster.load(detector=IncivilityDetector.load(request.param))


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


@pytest.mark.parametrize("mode", MODES)
def test_artefact_metadata_matches_its_arrays_and_names_its_mode(mode: str) -> None:
    path = artefact_path(mode)  # type: ignore[arg-type]
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    with np.load(path) as arrays:
        assert arrays["coef"].shape == arrays["mean"].shape == (len(meta["cue_names"]),)
    assert 0.0 < meta["threshold"] < 1.0 and meta["n_train"] > 900 and "incivility_max" in meta["cue_names"]
    assert meta["name"] == path.stem == f"derailment-v2-{mode}"
    assert meta["incivility"] == {"mode": mode, "version": IncivilityDetector.load(mode).version}  # type: ignore[arg-type]
    assert meta["command"].endswith(f"--incivility {mode}") and meta["split"]["test_share"] == 0.3


def test_loading_picks_the_artefact_of_the_detectors_mode() -> None:
    assert DerailmentForecaster.load().meta["name"] == "derailment-v2-accurate"
    for mode in MODES:
        loaded = DerailmentForecaster.load(detector=IncivilityDetector.load(mode))  # type: ignore[arg-type]
        assert loaded.meta["name"] == f"derailment-v2-{mode}"
    assert DerailmentForecaster.load(artefact_path("fast")).meta["incivility"]["mode"] == "fast"


def test_risk_scores_incivility_with_the_given_detector_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_second_detector(mode: str = "accurate") -> IncivilityDetector:
        raise AssertionError(f"a second detector ({mode}) was loaded")

    civil, uncivil = Scripted(lambda _: 0.0), Scripted(lambda _: 1.0)
    monkeypatch.setattr(IncivilityDetector, "load", no_second_detector)
    calm, hostile = (DerailmentForecaster.load(detector=d) for d in (civil, uncivil))
    assert hostile.risk(CALM) > calm.risk(CALM)
    assert civil.read == uncivil.read == CALM
    calm.risk([*CALM, "One more message."])
    assert civil.read == [*CALM, "One more message."]  # the earlier messages' scores are remembered


def test_a_detector_other_than_the_trained_one_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="commonground.signals.derailment"):
        DerailmentForecaster.load(artefact_path("accurate"), detector=IncivilityDetector.load("fast"))
    assert (
        "trained with the accurate incivility detector" in caplog.text
        and "running with the fast" in caplog.text
    )
    caplog.clear()
    path = tmp_path / "derailment-v2-fast.npz"
    shutil.copy(artefact_path("fast"), path)
    meta = json.loads(artefact_path("fast").with_suffix(".json").read_text(encoding="utf-8"))
    path.with_suffix(".json").write_text(
        json.dumps({**meta, "incivility": {"mode": "fast", "version": "0.1"}})
    )
    with caplog.at_level(logging.WARNING, logger="commonground.signals.derailment"):
        DerailmentForecaster.load(path, detector=IncivilityDetector.load("fast"))
    assert "incivility detector 0.1" in caplog.text and "--incivility fast" in caplog.text


def test_missing_or_corrupt_artefact_is_a_config_error(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        DerailmentForecaster.load(tmp_path / "absent.npz")
    save_artefact(
        {"mean": np.zeros(1), "scale": np.ones(1), "coef": np.zeros(1)}, {"name": "x"}, tmp_path / "m.npz"
    )
    with pytest.raises(ConfigError, match="cannot read"):
        DerailmentForecaster.load(tmp_path / "m.npz")
    meta = {"cue_names": ["incivility_max"], "intercept": 0, "threshold": 0.5, "incivility": {"mode": "slow"}}
    save_artefact({"mean": np.zeros(1), "scale": np.ones(1), "coef": np.zeros(1)}, meta, tmp_path / "m.npz")
    with pytest.raises(ConfigError, match="unknown incivility mode 'slow'"):
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

    detector = Scripted(lambda text: 0.9 if "idiot" in text else 0.1)
    arrays, meta = train(cases, detector=detector)
    save_artefact(arrays, meta, tmp_path / "m.npz")
    trained = DerailmentForecaster.load(tmp_path / "m.npz", detector=detector)
    assert meta["incivility"] == {"mode": "fast", "version": detector.version}
    assert "incivility_max" in meta["cue_names"] and trained.meta["name"] == "m"
    assert trained.risk(cases[1].texts) > 0.5 > trained.risk(cases[0].texts)


def test_training_on_cues_alone_needs_no_detector(tmp_path: Path) -> None:
    cases = [
        ForecastCase(id=str(i), texts=("Hi.", "You idiot!!" if i % 2 else "Thanks."), derails=bool(i % 2))
        for i in range(40)
    ]
    arrays, meta = train(cases, detector=None)
    save_artefact(arrays, meta, tmp_path / "cues.npz")
    trained = DerailmentForecaster.load(tmp_path / "cues.npz")
    assert meta["incivility"] is None and not any(name.startswith("incivility") for name in meta["cue_names"])
    assert trained.risk(cases[1].texts) > trained.risk(cases[0].texts)
