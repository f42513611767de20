"""Derailment forecaster: the probability that an exchange is about to turn into a personal attack.

The forecaster only scores; a policy decides what to do with the score. It is a logistic regression over
conversational cues of the last ten messages, each aggregated as last message, mean and maximum (a linear
model sees escalation as the last value against the mean): second-person address and accusations,
shouting, (rhetorical) questions, politeness and hedging markers, hostile words, quoting the other side,
repetition of earlier messages, the politeness drop from first to last message and message incivility from
the incivility detector. Word n-grams (TF-IDF) were tried and did not improve cross-validated accuracy, so
they are left out.

The detector's two modes score incivility differently, so one artefact ships per mode, each trained on the
scores of its mode: `derailment-v2-accurate` and `derailment-v2-fast` in `derailment_model/`, a small `.npz`
of arrays plus a `.json` of metadata (training command, split, C, threshold, detector mode and version).
`DerailmentForecaster.load(detector=...)` picks the one of the detector's mode and scores with that detector.

The development corpus (Conversations Gone Awry, ChangeMyView) is lowercased, so the cues read lowercased
text; shouting in capitals is folded into the same `shouting` cue as runs of exclamation marks, which the
corpus does keep. Train with `python -m commonground.signals.derailment_training --incivility accurate|fast`.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import numpy as np

from commonground.core.conversation import Message
from commonground.core.errors import ConfigError, InputError
from commonground.signals.incivility import IncivilityDetector
from commonground.signals.incivility.detector import Mode
from commonground.signals.incivility.remembered import RememberingDetector

log = logging.getLogger(__name__)

IncivilityFn = Callable[[Sequence[str], Sequence[str | None]], list[float | None]]
"""Incivility of texts in their languages (None: detect it); None for a text that could not be scored."""

MODEL_DIR = Path(__file__).parent / "derailment_model"
MAX_MESSAGES = 10  # the training contexts hold at most ten comments
MAX_MESSAGE_CHARS = 5_000  # the training contexts hold at most ~2,700 characters in all
INCIVILITY_CACHE = 4096  # messages whose incivility is remembered
Z_CLIP = 3.0  # standardised cues are clipped, so one odd short message cannot dominate

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[!?]")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "you're", "youre", "you've", "you'd", "u"})
_ACCUSATION = re.compile(
    r"\byou(?:'re| are|'ve| have)?\s+(?:just\s+|clearly\s+|obviously\s+|simply\s+|really\s+)?"
    r"(?:don't|didn't|can't|won't|haven't|never|always|keep|refuse|ignore|ignored|missed|miss|fail|failed|"
    r"misunderstand|misunderstood|wrong|lying|ignorant|being|making|trying|seem|clearly|obviously|literally|"
    r"completely|just)\b"
)
_RHETORICAL = re.compile(
    r"\b(?:do you (?:really|even|honestly|seriously|actually)|how (?:can|could|do|dare) you|"
    r"why (?:would|do|did|are|is|should) you|are you (?:serious|kidding|really|even|actually)|"
    r"don't you|did you (?:even|actually|really|read)|what makes you|seriously \?|really \?|"
    r"is that (?:really|what)|can you (?:even|not))"
)
_POLITE = re.compile(
    r"\b(?:please|thanks|thank you|thank|sorry|appreciate|good point|fair point|fair enough|i agree|"
    r"you're right|you are right|i see|i understand|interesting|delta|great point|respect)\b|∆"
)
_HEDGE = re.compile(r"\b(?:i think|i believe|i guess|i feel|perhaps|maybe|might|imo|imho|probably|seems)\b")
_HOSTILE = frozenset(
    [
        "stupid",
        "idiot",
        "idiots",
        "idiotic",
        "dumb",
        "ridiculous",
        "absurd",
        "nonsense",
        "bullshit",
        "crap",
        "shit",
        "fuck",
        "fucking",
        "pathetic",
        "moron",
        "troll",
        "liar",
        "lying",
        "lie",
        "lies",
        "insane",
        "ignorant",
        "hypocrite",
        "garbage",
        "laughable",
        "silly",
        "clueless",
        "retarded",
        "disgusting",
        "delusional",
        "joke",
        "childish",
        "arrogant",
        "hilarious",
        "seriously",
        "literally",
        "obviously",
        "clearly",
    ]
)
_INTENSIFIER = frozenset(
    ["literally", "just", "actually", "really", "then", "even", "obviously", "clearly", "totally"]
)
_QUOTE = re.compile(r"&gt;|^\s*>|\byou said\b", re.MULTILINE)
_CUES = (
    "second_person",
    "accusation",
    "shouting",
    "question",
    "rhetorical",
    "polite",
    "hedge",
    "hostile",
    "quoting",
)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _message_cues(text: str) -> dict[str, float]:
    """Rates of each conversational cue in one message (per token, or per sentence for questions)."""
    lowered = text.lower()
    tokens = _tokens(text)
    n = max(len(tokens), 1)
    exclamations = len(re.findall(r"!{2,}", text)) + 0.5 * text.count("!")
    caps = len(_CAPS_WORD.findall(text)) if text != lowered else 0
    return {
        "second_person": sum(token in _SECOND_PERSON for token in tokens) / n,
        "accusation": min(len(_ACCUSATION.findall(lowered)), 5) / 5,
        "shouting": min((exclamations + caps) / n * 10, 1.0),
        "question": min(tokens.count("?") / max(len(re.findall(r"[.!?]", text)), 1), 1.0),
        "rhetorical": min(len(_RHETORICAL.findall(lowered)), 3) / 3,
        "polite": min(len(_POLITE.findall(lowered)), 3) / 3,
        "hedge": min(len(_HEDGE.findall(lowered)), 5) / 5,
        "hostile": sum(token in _HOSTILE for token in tokens) / n * 10,
        "quoting": min(len(_QUOTE.findall(lowered)), 3) / 3,
    }


def _content_words(text: str) -> set[str]:
    return {token for token in _tokens(text) if len(token) > 3}


def _repetition(texts: Sequence[str]) -> tuple[float, float]:
    """Largest overlap of the last message with an earlier one, and mean overlap of consecutive messages."""
    words = [_content_words(text) for text in texts]

    def overlap(a: set[str], b: set[str]) -> float:
        return len(a & b) / max(min(len(a), len(b)), 1)

    last = max((overlap(words[-1], earlier) for earlier in words[:-1]), default=0.0)
    pairs = [overlap(a, b) for a, b in itertools.pairwise(words)]
    return last, (sum(pairs) / len(pairs) if pairs else 0.0)


def _aggregate(name: str, values: Sequence[float]) -> dict[str, float]:
    """Last, mean and maximum: escalation is the last value against the mean, which a linear model sees."""
    return {f"{name}_last": values[-1], f"{name}_mean": sum(values) / len(values), f"{name}_max": max(values)}


def cue_features(texts: Sequence[str], incivility: Sequence[float | None] | None = None) -> dict[str, float]:
    """Named conversational features of an exchange (texts oldest first, at least one).

    Incivility aggregates read the scored messages only (all 0 when none could be scored).
    """
    per_message = [_message_cues(text) for text in texts]
    features: dict[str, float] = {
        "n_messages": math.log(len(texts)),
        "length_last": math.log1p(len(_tokens(texts[-1]))),
        "length_mean": sum(math.log1p(len(_tokens(text))) for text in texts) / len(texts),
    }
    for cue in _CUES:
        features.update(_aggregate(cue, [cues[cue] for cues in per_message]))
    features["politeness_drop"] = per_message[0]["polite"] - per_message[-1]["polite"]
    features["repeat_last"], features["repeat_mean"] = _repetition(texts)
    if incivility is not None:
        features.update(_aggregate("incivility", [v for v in incivility if v is not None] or [0.0]))
    return features


def artefact_path(mode: Mode = "accurate") -> Path:
    """The shipped artefact trained on the scores of the incivility detector in `mode`."""
    return MODEL_DIR / f"derailment-v2-{mode}.npz"


@dataclass(frozen=True)
class _Model:
    cue_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict[str, Any]

    @property
    def uses_incivility(self) -> bool:
        return any(name.startswith("incivility_") for name in self.cue_names)

    @property
    def incivility_mode(self) -> Mode:
        """The detector mode whose scores the model was trained on (only for a model that uses them)."""
        return self.meta["incivility"]["mode"]


class DerailmentForecaster:
    """Scores an exchange; `threshold` is the default decision threshold chosen on the training folds."""

    def __init__(self, model: _Model, *, incivility: IncivilityFn | None = None) -> None:
        if model.uses_incivility and incivility is None:
            raise ConfigError(f"the derailment model {model.meta.get('name')} needs the incivility detector")
        self._model = model
        self._incivility = incivility if model.uses_incivility else None
        self.threshold = model.threshold
        self.meta = model.meta

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        detector: IncivilityDetector | None = None,
        incivility: IncivilityFn | None = None,
    ) -> DerailmentForecaster:
        """The shipped artefact of `detector`'s mode (accurate without one), or the one at `path` (a `.npz`
        beside its `.json`).

        Incivility is scored with `detector` (through `incivility`, a scorer of it that the caller shares);
        without one, with the shipped detector of the model's mode. A detector of another mode or version
        than the model was trained with is warned about.
        """
        model = _read_artefact(path or artefact_path(detector.mode if detector else "accurate"))
        if not model.uses_incivility:
            return cls(model)
        detector = detector or IncivilityDetector.load(model.incivility_mode)
        _check_detector(model, detector)
        return cls(model, incivility=incivility or incivility_scorer(detector))

    def risk(self, messages: Sequence[Message] | Sequence[str]) -> float:
        """Probability in [0, 1] that the exchange is about to derail into a personal attack.

        Only the last ten messages count, each cut to its last 5,000 characters. Raises InputError on an
        empty exchange or on items that are neither messages nor strings.
        """
        texts = context_texts(messages)
        model = self._model
        incivility = None
        if self._incivility is not None:
            langs = [m.lang if isinstance(m, Message) else None for m in messages[-MAX_MESSAGES:]]
            incivility = self._incivility(texts, langs)
        cues = cue_features(texts, incivility)
        vector = np.clip(
            (np.array([cues[name] for name in model.cue_names]) - model.mean) / model.scale, -Z_CLIP, Z_CLIP
        )
        return float(1.0 / (1.0 + math.exp(-(float(vector @ model.coef) + model.intercept))))

    def derails(self, messages: Sequence[Message] | Sequence[str]) -> bool:
        """Whether the risk reaches the default threshold."""
        return self.risk(messages) >= self.threshold


def context_texts(messages: Sequence[Message] | Sequence[str]) -> list[str]:
    if isinstance(messages, str) or not isinstance(messages, Sequence):
        raise InputError("messages must be a list of messages or strings")
    if not messages:
        raise InputError("cannot forecast an empty conversation")
    texts = []
    for item in messages[-MAX_MESSAGES:]:
        text = item.text if isinstance(item, Message) else item
        if not isinstance(text, str):
            raise InputError(f"each message must be a Message or a string, got {type(item).__name__}")
        texts.append(text[-MAX_MESSAGE_CHARS:])
    return texts


def incivility_scorer(detector: IncivilityDetector) -> IncivilityFn:
    """Message incivility probabilities from `detector`, in the messages' languages (None: detected).

    Scores are remembered per text and language (`RememberingDetector`, unless `detector` already is one):
    as a conversation grows, only its new message is scored, and the platform's incivility signal and the
    forecaster share one scorer, so each message is scored once.
    """
    remembering = (
        detector
        if isinstance(detector, RememberingDetector)
        else RememberingDetector(detector, INCIVILITY_CACHE)
    )
    return lambda texts, langs: [s.probability for s in remembering.score_many(list(texts), list(langs))]


def _check_detector(model: _Model, detector: IncivilityDetector) -> None:
    trained = (model.incivility_mode, model.meta["incivility"].get("version"))
    if trained != (detector.mode, detector.version):
        log.warning(
            "the derailment model %s was trained with the %s incivility detector %s, running with the %s one "
            "%s; retrain with `python -m commonground.signals.derailment_training --incivility %s`",
            model.meta.get("name"),
            *trained,
            detector.mode,
            detector.version,
            detector.mode,
        )


def _read_artefact(path: Path) -> _Model:
    try:
        with np.load(path) as arrays:
            mean, scale, coef = arrays["mean"], arrays["scale"], arrays["coef"]
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        model = _Model(
            cue_names=tuple(meta["cue_names"]),
            mean=mean,
            scale=scale,
            coef=coef,
            intercept=float(meta["intercept"]),
            threshold=float(meta["threshold"]),
            meta=meta,
        )
        if model.uses_incivility and model.incivility_mode not in get_args(Mode):
            raise ValueError(f"unknown incivility mode {model.incivility_mode!r}")
        return model
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"cannot read the derailment model {path}: {error}") from None
