"""Train the encoder head and its blend with the lexical model, deterministically, from the shared data.

Training data: the train split of ParaDetox, Davidson, Civil Comments sentences, GermEval and TextDetox (its
toxic inputs in nine languages), capped per source and language; civil dispute and deliberation messages
written for the project, and the shipped translations of civil English training messages into TextDetox's
other languages (`translated`); augmented variants of all of these
(`augment`). A language with no civil example (Amharic: no translation passed its checks) is left out, as
the head would learn it as toxic. Validation (the fixed validation split, of the same sources) selects the
head's regularisation, calibrates it, fits the blend (on the languages the lexical model scores) and picks
the threshold. Embeddings are cached on disk by text, so a re-run embeds only what changed.
"""

from __future__ import annotations

import hashlib
import logging
import random
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier

from commonground.signals.incivility import augment
from commonground.signals.incivility.data import Example, load_examples, written_examples
from commonground.signals.incivility.encoder import ENCODER_PATH, WINDOW_CHARS, EncoderHead, embed, windows
from commonground.signals.incivility.features import parse
from commonground.signals.incivility.model import Artefact
from commonground.signals.incivility.translated import translated_examples
from commonground.signals.language import language_of

logger = logging.getLogger(__name__)

SEED = 0
TRAIN_CAPS = {"davidson": 1000, "paradetox": 1400, "civil-comments": 1100, "germeval": 1500, "textdetox": 200}
VALIDATION_CAP = 250
HIDDEN = 64
ALPHAS = (1e-3, 1e-2, 1e-1)
MAX_VALIDATION_FPR = 0.08
CACHE_PATH = Path.home() / ".cache" / "commonground" / "incivility-embeddings.npz"


def _capped(examples: list[Example], caps: dict[str, int], default: int, rng: random.Random) -> list[Example]:
    """At most the source's cap of examples of each source and language."""
    by_source: dict[tuple[str, str], list[Example]] = {}
    for example in examples:
        by_source.setdefault((example.source, example.lang), []).append(example)
    kept = []
    for (source, _), group in sorted(by_source.items()):
        cap = caps.get(source, default)
        kept += group if len(group) <= cap else rng.sample(group, cap)
    return kept


def datasets(data_dir: Path) -> tuple[list[Example], list[Example]]:
    """(train, validation) examples for the encoder head, augmented variants included in both."""
    examples = [e for e in load_examples(data_dir) if e.split != "test"]
    examples += translated_examples() + written_examples()
    with_civil = {e.lang for e in examples if e.label == 0}
    examples = [e for e in examples if e.lang in with_civil]
    train = _capped([e for e in examples if e.split == "train"], TRAIN_CAPS, 10_000, random.Random(SEED))
    valid = _capped([e for e in examples if e.split == "validation"], {}, VALIDATION_CAP, random.Random(SEED))
    for split, base in (("train", train), ("validation", valid)):
        size = 60 if split == "train" else 25
        extra = list(augment.obfuscated(base, per_kind=size, seed=SEED))
        extra += [
            e for e in augment.in_long_context(base, count=size * 2, seed=SEED) if len(e.text) <= WINDOW_CHARS
        ]
        base += extra
    train += [*augment.identity_sentences("train"), *augment.contrasts("train")]
    return train, valid


class EmbeddingCache:
    """Embeddings of encoder windows, kept in a .npz by the SHA-1 of the window."""

    def __init__(self, path: Path = CACHE_PATH) -> None:
        self.path = path
        self.rows: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as arrays:
                self.rows = dict(zip(arrays["keys"].tolist(), arrays["vectors"], strict=True))

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self.rows))
        for start in range(0, len(missing), 500):
            batch = missing[start : start + 500]
            for text, vector in zip(batch, embed(batch), strict=True):
                self.rows[hashlib.sha1(text.encode("utf-8")).hexdigest()] = vector
            self.save()
            logger.info("embedded %d of %d new windows", min(start + 500, len(missing)), len(missing))
        return np.vstack([self.rows[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.rows)
        np.savez(self.path, keys=np.array(keys), vectors=np.vstack([self.rows[k] for k in keys]))


def window_matrix(examples: list[Example], cache: EmbeddingCache) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of every window of `examples` and the message index of each row."""
    owners, texts = [], []
    for index, example in enumerate(examples):
        for window in windows(example.text) or [""]:
            owners.append(index)
            texts.append(window)
    return cache.embed(texts), np.array(owners)


def worst(probabilities: np.ndarray, owners: np.ndarray, n: int) -> np.ndarray:
    """The highest window probability of each message."""
    result = np.zeros(n)
    np.maximum.at(result, owners, probabilities)
    return result


def fit_head(
    train: tuple[np.ndarray, np.ndarray], valid: tuple[np.ndarray, np.ndarray]
) -> tuple[float, EncoderHead]:
    """The head with the best validation ROC-AUC over `ALPHAS`, Platt-calibrated on validation."""
    (x_train, y_train), (x_valid, y_valid) = train, valid
    best: tuple[float, float, MLPClassifier] | None = None
    for alpha in ALPHAS:
        model = MLPClassifier((HIDDEN,), alpha=alpha, max_iter=300, early_stopping=False, random_state=SEED)
        model.fit(x_train, y_train)
        auc = float(roc_auc_score(y_valid, model.predict_proba(x_valid)[:, 1]))
        logger.info("encoder head alpha=%s: validation ROC-AUC %.4f", alpha, auc)
        if best is None or auc > best[0]:
            best = (auc, alpha, model)
    auc, _, model = best  # type: ignore[misc]
    raw = EncoderHead(
        model.coefs_[0], model.intercepts_[0], model.coefs_[1][:, 0], float(model.intercepts_[1][0]), 1.0, 0.0
    )
    platt = LogisticRegression(C=1e6).fit(raw.decision(x_valid).reshape(-1, 1), y_valid)
    return auc, EncoderHead(
        raw.hidden_weights,
        raw.hidden_bias,
        raw.out_weights,
        raw.out_bias,
        float(platt.coef_[0, 0]),
        float(platt.intercept_[0]),
    )


def fit_blend(
    encoder: np.ndarray, lexical: np.ndarray, labels: np.ndarray, lexically_scored: np.ndarray
) -> tuple[tuple[float, float, float], float, np.ndarray]:
    """Blend weights on the validation messages the lexical model scores (`lexically_scored`), the threshold
    (highest recall at a false-alarm rate of at most `MAX_VALIDATION_FPR`) and the validation probabilities
    as the detector gives them: blended where the lexical model scores, the encoder's alone elsewhere."""
    features = np.column_stack([_logit(encoder), _logit(lexical)])
    model = LogisticRegression(C=1e3).fit(features[lexically_scored], labels[lexically_scored])
    blend = (float(model.coef_[0, 0]), float(model.coef_[0, 1]), float(model.intercept_[0]))
    combined = np.where(lexically_scored, model.predict_proba(features)[:, 1], encoder)
    return blend, best_threshold(combined, labels), combined


def best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The lowest grid threshold whose false-alarm rate on civil messages is at most the limit."""
    civil = probabilities[labels == 0]
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(next(t for t in grid if np.mean(civil >= t) <= MAX_VALIDATION_FPR))


def _logit(p: np.ndarray) -> np.ndarray:
    clipped = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped))


def train_encoder(data_dir: Path, *, lexical: Artefact, out: Path = ENCODER_PATH) -> dict[str, float]:
    """Fit the head, calibrate, blend with `lexical`, choose the threshold and write `out`; returns the
    validation figures."""
    train, valid = datasets(data_dir)
    logger.info("encoder head: %d training and %d validation messages", len(train), len(valid))
    cache = EmbeddingCache()
    x_train, train_owner = window_matrix(train, cache)
    x_valid, valid_owner = window_matrix(valid, cache)
    y_train = np.array([train[i].label for i in train_owner])
    y_valid_windows = np.array([valid[i].label for i in valid_owner])
    auc, head = fit_head((x_train, y_train), (x_valid, y_valid_windows))
    labels = np.array([e.label for e in valid])
    encoder = worst(head.probabilities(x_valid), valid_owner, len(valid))
    lexical_p = np.array(
        [lexical.scorer((e.lang,)).probabilities([parse(e.text, (e.lang,))])[0] for e in valid]
    )
    lexically_scored = np.array([language_of(e.lang).supported for e in valid])  # as the detector decides
    blend, threshold, blended = fit_blend(encoder, lexical_p, labels, lexically_scored)
    EncoderHead(
        head.hidden_weights,
        head.hidden_bias,
        head.out_weights,
        head.out_bias,
        head.slope,
        head.offset,
        blend,
        threshold,
    ).save(out)
    figures = {
        "window_roc_auc": round(auc, 4),
        "encoder_roc_auc": round(float(roc_auc_score(labels, encoder)), 4),
        "lexical_roc_auc": round(
            float(roc_auc_score(labels[lexically_scored], lexical_p[lexically_scored])), 4
        ),
        "blended_roc_auc": round(float(roc_auc_score(labels, blended)), 4),
        "threshold": threshold,
        "recall_at_threshold": round(float(np.mean(blended[labels == 1] >= threshold)), 4),
        "false_alarms_at_threshold": round(float(np.mean(blended[labels == 0] >= threshold)), 4),
    }
    logger.info("encoder head written to %s: %s", out, figures)
    return figures
