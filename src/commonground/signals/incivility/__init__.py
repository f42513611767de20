"""Message incivility: a calibrated probability, categories and the spans that drove the score."""

from commonground.signals.incivility.detector import (
    DEFAULT_THRESHOLD,
    MODEL_SPAN,
    IncivilityDetector,
    IncivilityScore,
)
from commonground.signals.incivility.lexicon import CATEGORIES

__all__ = ["CATEGORIES", "DEFAULT_THRESHOLD", "MODEL_SPAN", "IncivilityDetector", "IncivilityScore"]
