"""A bounded, thread-safe memory of a batched function's recent results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The last `size` results by key, least recently used out first.

    A key asked for by two threads at once may be computed twice, never wrongly.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._results: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, keys: Sequence[K], compute: Callable[[list[K]], Sequence[V]]) -> list[V]:
        """The result of each key: remembered ones as they were, the others from one `compute` call on the
        missing keys (each once, in order of first appearance)."""
        with self._lock:
            known = {key: self._results[key] for key in keys if key in self._results}
        missing = list(dict.fromkeys(key for key in keys if key not in known))
        if missing:
            known |= dict(zip(missing, compute(missing), strict=True))
        with self._lock:
            for key in keys:
                self._results[key] = known[key]
                self._results.move_to_end(key)
            while len(self._results) > self._size:
                self._results.popitem(last=False)
        return [known[key] for key in keys]
