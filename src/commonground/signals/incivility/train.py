"""Train the incivility model on the shared data sets and write the shipped artefact (deterministic)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

from commonground.signals.incivility import augment
from commonground.signals.incivility.data import Example, load_examples, written_examples
from commonground.signals.incivility.features import (
    N_HASHED,
    WORD_BITS,
    Parsed,
    hashed_features,
    lexicon_matrix,
    parse,
)
from commonground.signals.incivility.model import MODEL_DIR, Artefact, LinearScorer

logger = logging.getLogger(__name__)

ARTEFACT_VERSION = "2.0"
AUGMENTED_PER_KIND = 1000
TRAINED_LANGUAGES = ("en", "de")
C_GRID = (2.0, 4.0, 8.0)
ATTRIBUTION_QUANTILE = 0.998
SEED = 0
SPLIT_RULE = "md5(group text) % 10: 9 test, 8 validation, else train; GermEval official test file = test"


def design_matrix(parsed: list[Parsed]) -> sparse.csr_matrix:
    """Hashed n-grams followed by the lexicon strengths, one row per message."""
    docs, cols, values = hashed_features(parsed)
    hashed = sparse.csr_matrix((values, (docs, cols)), shape=(len(parsed), N_HASHED))
    return sparse.hstack([hashed, sparse.csr_matrix(lexicon_matrix(parsed))], format="csr")


def train(data_dir: Path, out_dir: Path = MODEL_DIR) -> Artefact:
    """Fit, select C and calibrate on validation, then save the artefact to `out_dir`."""
    examples = [e for e in load_examples(data_dir) if e.lang in TRAINED_LANGUAGES and e.split != "test"]
    examples += written_examples()
    train_set = [e for e in examples if e.split == "train"]
    train_set += [
        *augment.obfuscated(train_set, per_kind=AUGMENTED_PER_KIND, seed=SEED),
        *augment.in_long_context(train_set, count=AUGMENTED_PER_KIND, seed=SEED),
    ]
    templated = [*augment.identity_sentences("train"), *augment.contrasts("train")]
    train_set += [e for e in templated if e.lang in TRAINED_LANGUAGES]
    valid_set = [e for e in examples if e.split == "validation"]
    logger.info("training on %d messages, validating on %d", len(train_set), len(valid_set))
    train_parsed = [parse(e.text, (e.lang,)) for e in train_set]
    valid_parsed = [parse(e.text, (e.lang,)) for e in valid_set]
    x_train, x_valid = design_matrix(train_parsed), design_matrix(valid_parsed)
    y_train, y_valid = _labels(train_set), _labels(valid_set)

    auc, c, full = _fit_full(x_train, y_train, x_valid, valid_set)
    lexical_model = LogisticRegression(C=1.0, solver="liblinear", random_state=SEED)
    lexical_model.fit(lexicon_matrix(train_parsed), y_train)
    lexical_only = _calibrated(lexical_model, lexicon_matrix(valid_parsed), y_valid)

    probabilities = full.probabilities(valid_parsed)
    threshold = _best_threshold(probabilities, y_valid)
    word_weights = full.hashed[: 1 << WORD_BITS] if full.hashed is not None else np.zeros(1)
    artefact = Artefact(
        version=f"{ARTEFACT_VERSION}+{_fingerprint(train_set, c)}",
        full=full,
        lexical_only=lexical_only,
        trained_languages=frozenset(TRAINED_LANGUAGES),
        threshold=threshold,
        attribution_floor=float(np.quantile(word_weights[word_weights > 0], ATTRIBUTION_QUANTILE)),
        meta={
            "C": c,
            "split": SPLIT_RULE,
            "data": "../shared/data: ParaDetox (CC0), Davidson 2017 (MIT), Civil Comments sentences (CC0), "
            "GermEval 2018 (CC BY 4.0), TextDetox 2024 dev inputs (MIT); civil messages written for the "
            "project (train_sets/civil_written.txt); augmented variants (augment.py)",
            "counts": {f"{lang}/{split}/{label}": n for (lang, split, label), n in sorted(_counts(examples))},
            "validation": {
                "mean_roc_auc": round(auc, 4),
                "f1_at_threshold": round(float(f1_score(y_valid, probabilities >= threshold)), 4),
            },
        },
    )
    artefact.save(out_dir)
    logger.info("wrote %s (version %s, threshold %.2f)", out_dir, artefact.version, threshold)
    return artefact


def _labels(examples: list[Example]) -> np.ndarray:
    return np.array([e.label for e in examples])


def _counts(examples: list[Example]) -> list[tuple[tuple[str, str, int], int]]:
    return list(Counter((e.lang, e.split, e.label) for e in examples).items())


def _mean_auc(examples: list[Example], scores: np.ndarray) -> float:
    langs = np.array([e.lang for e in examples])
    labels = _labels(examples)
    return float(
        np.mean([roc_auc_score(labels[langs == lang], scores[langs == lang]) for lang in TRAINED_LANGUAGES])
    )


def _fit_full(
    x_train: sparse.csr_matrix, y_train: np.ndarray, x_valid: sparse.csr_matrix, valid_set: list[Example]
) -> tuple[float, float, LinearScorer]:
    """The n-gram + lexicon scorer whose C gives the best mean validation ROC-AUC: (AUC, C, scorer)."""
    candidates = []
    for c in C_GRID:
        model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=SEED)
        model.fit(x_train, y_train)
        auc = _mean_auc(valid_set, model.decision_function(x_valid))
        logger.info("C=%s: mean validation ROC-AUC %.4f", c, auc)
        candidates.append((auc, c, model))
    auc, c, model = max(candidates, key=lambda candidate: candidate[0])
    return auc, c, _calibrated(model, x_valid, _labels(valid_set), n_hashed=N_HASHED)


def _calibrated(
    model: LogisticRegression,
    x_valid: sparse.csr_matrix | np.ndarray,
    y_valid: np.ndarray,
    *,
    n_hashed: int = 0,
) -> LinearScorer:
    """The model as a scorer, Platt-scaled on validation: p = sigmoid(slope * score + offset).

    Its first `n_hashed` weights are the hashed n-grams, the rest the lexicon strengths.
    """
    scores = model.decision_function(x_valid).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, random_state=SEED).fit(scores, y_valid)
    weights = model.coef_[0]
    return LinearScorer(
        lexical=weights[n_hashed:].astype(np.float64),
        intercept=float(model.intercept_[0]),
        slope=float(platt.coef_[0, 0]),
        offset=float(platt.intercept_[0]),
        hashed=weights[:n_hashed].copy() if n_hashed else None,
    )


def _best_threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(max(grid, key=lambda t: f1_score(labels, probabilities >= t)))


def _fingerprint(examples: list[Example], c: float) -> str:
    digest = hashlib.sha256(f"C={c}".encode())
    for example in examples:
        digest.update(f"{example.label}\t{example.text}\n".encode())
    return digest.hexdigest()[:10]
