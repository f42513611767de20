"""A detector that remembers its recent scores: a draft checked, then posted, is read once."""

from __future__ import annotations

import threading
from collections import OrderedDict

from commonground.signals.incivility.detector import IncivilityDetector, IncivilityScore

REMEMBERED = 4096
"""Scores kept, most recently used first out last."""


class RememberingDetector(IncivilityDetector):
    """The same scores as `detector`, the last `size` (text, language hint) pairs answered from memory.

    Safe to share between threads; a pair scored by two threads at once is scored twice, never wrongly.
    """

    def __init__(self, detector: IncivilityDetector, size: int = REMEMBERED) -> None:
        super().__init__(detector.artefact, detector.encoder, detector.cascade)
        self._size = size
        self._scores: OrderedDict[tuple[str, str | None], IncivilityScore] = OrderedDict()
        self._lock = threading.Lock()

    def score_many(self, texts: list[str], langs: list[str | None] | None = None) -> list[IncivilityScore]:
        langs = [None] * len(texts) if langs is None else langs
        if len(langs) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        keys = list(zip(texts, langs, strict=True))
        with self._lock:
            known = {key: self._scores[key] for key in keys if key in self._scores}
        missing = list(dict.fromkeys(key for key in keys if key not in known))
        if missing:
            fresh = super().score_many([text for text, _ in missing], [lang for _, lang in missing])
            known |= dict(zip(missing, fresh, strict=True))
        with self._lock:
            for key in keys:
                self._scores[key] = known[key]
                self._scores.move_to_end(key)
            while len(self._scores) > self._size:
                self._scores.popitem(last=False)
        return [known[key] for key in keys]
