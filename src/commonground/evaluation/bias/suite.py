"""The democratic-bias suite: which items each dimension runs, chosen deterministically from a seed.

Dimensions and their held-out inputs (never a training split):
- `pluralism`: a deliberation summary (`tasks.deliberation`, as `summarize-polis` makes it) of Polis
  conversations in `polis/`, with opinion groups from the votes (`auto`: PCA and k-means; `polis`: Polis's).
- `rephrase`: the rephrase task on toxic sentences: English from ParaDetox's test split, German and Spanish
  from the TextDetox inputs of the same split (the rephrasing examples come from the training split).
- `translation`: the model's translations per language pair: English → French, German, Spanish of
  ParaDetox test-split neutral paraphrases; German and Spanish → English of the TextDetox inputs above.
- `neutrality`: the swap test on mediator drafts for the example disputes (`commonground.examples`).

Each pool is shuffled once by a generator seeded with the seed and the pool's name, and a size takes the
first items of each pool: a larger size runs the smaller one's items and more; `full` takes every item.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from commonground.core.devdata import development_data
from commonground.core.errors import InputError
from commonground.datasets import TextDetoxRow, read_textdetox
from commonground.examples import EXAMPLES_DIR
from commonground.signals.incivility.data import split_of
from commonground.tasks.rephrase.examples import paradetox_pairs

SUITE = "democratic-bias"
VERSION = 1
DIMENSIONS = ("pluralism", "rephrase", "translation", "neutrality")
CONVERSATIONS = ("15-per-hour-seattle", "scoop-hivemind.biodiversity")
SWAPS = ("names", "genders", "roles")
TEXTDETOX = Path("textdetox") / "clef24_dev_inputs_9lang.tsv"


@dataclass(frozen=True)
class Size:
    """How many items of each pool a run takes (None: all of them)."""

    deliberations: tuple[tuple[str, str], ...]
    rephrase: dict[str, int | None]
    translation: dict[str, int | None]
    transcripts: int | None


SIZES = {
    "quick": Size(
        deliberations=((CONVERSATIONS[0], "auto"),),
        rephrase={"en": 2, "de": 1, "es": 1},
        translation={"en-fr": 1, "en-de": 1, "de-en": 1},
        transcripts=1,
    ),
    "standard": Size(
        deliberations=tuple((name, "auto") for name in CONVERSATIONS),
        rephrase={"en": 20, "de": 10, "es": 10},
        translation={"en-fr": 8, "en-de": 8, "en-es": 8, "de-en": 8, "es-en": 8},
        transcripts=None,
    ),
    "full": Size(
        deliberations=tuple((name, grouping) for name in CONVERSATIONS for grouping in ("auto", "polis")),
        rephrase={"en": None, "de": None, "es": None},
        translation={"en-fr": None, "en-de": None, "en-es": None, "de-en": None, "es-en": None},
        transcripts=None,
    ),
}


@dataclass(frozen=True)
class Deliberation:
    dimension: ClassVar[str] = "pluralism"
    id: str
    directory: Path
    grouping: str


@dataclass(frozen=True)
class Rephrasing:
    dimension: ClassVar[str] = "rephrase"
    id: str
    text: str
    lang: str


@dataclass(frozen=True)
class Translation:
    dimension: ClassVar[str] = "translation"
    id: str
    text: str
    lang: str
    target: str


@dataclass(frozen=True)
class Transcript:
    dimension: ClassVar[str] = "neutrality"
    id: str
    path: Path
    swaps: tuple[str, ...] = SWAPS


Item = Deliberation | Rephrasing | Translation | Transcript


@dataclass(frozen=True)
class Suite:
    """A size of the suite and its seed; `limit` caps the items of every dimension (a smoke run);
    `fluency` scores FL of English rephrasings (SmolLM2-135M against human references)."""

    size: str
    seed: int = 0
    limit: int | None = None
    fluency: bool = True

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise InputError(f"unknown size {self.size!r}: choose {', '.join(SIZES)}")
        if self.limit is not None and self.limit < 1:
            raise InputError(f"limit must be at least 1, not {self.limit}")

    def identity(self) -> dict[str, object]:
        """What a checkpoint must share with a run to be resumed by it (the model aside)."""
        return {
            "suite": SUITE,
            "version": VERSION,
            "size": self.size,
            "seed": self.seed,
            "limit": self.limit,
            "fluency": self.fluency,
        }

    def items(self, data: Path) -> list[Item]:
        """Every item of this size, dimension by dimension, in a fixed order."""
        size = SIZES[self.size]
        for name, _ in size.deliberations:
            development_data(data, "polis", name)
        dimensions: list[list[Item]] = [
            [
                Deliberation(f"{name}/{grouping}", data / "polis" / name, grouping)
                for name, grouping in size.deliberations
            ],
            [item for lang, n in size.rephrase.items() for item in self._take(_rephrasings(data, lang), n)],
            [
                item
                for pair, n in size.translation.items()
                for item in self._take(_translations(data, pair), n)
            ],
            self._take(_transcripts(), size.transcripts),
        ]
        return [item for items in dimensions for item in items[: self.limit]]

    def _take(self, pool: tuple[str, list[Item]], count: int | None) -> list[Item]:
        name, items = pool
        random.Random(f"{self.seed}:{name}").shuffle(items)
        return items[:count]


def _key(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()[:8]


@cache
def _paradetox(data: Path) -> list[tuple[str, str]]:
    return paradetox_pairs(data, split="test")


@cache
def _textdetox(data: Path) -> list[TextDetoxRow]:
    return read_textdetox(data / TEXTDETOX)


def _held_out(data: Path, lang: str) -> list[str]:
    """Unique held-out toxic sentences of one language: ParaDetox (English) or TextDetox."""
    if lang == "en":
        texts = [toxic for toxic, _ in _paradetox(data)]
    else:
        texts = [row.toxic for row in _textdetox(data) if row.lang == lang and split_of(row.toxic) == "test"]
    if not texts:
        raise InputError(f"{data}: no held-out {lang} sentences; pass the development data with --data")
    return list(dict.fromkeys(texts))


def _rephrasings(data: Path, lang: str) -> tuple[str, list[Item]]:
    return f"rephrase-{lang}", [Rephrasing(f"{lang}-{_key(t)}", t, lang) for t in _held_out(data, lang)]


def _translations(data: Path, pair: str) -> tuple[str, list[Item]]:
    source, target = pair.split("-")
    if source == "en":
        texts = list(dict.fromkeys(neutral for _, neutral in _paradetox(data)))
    else:
        texts = _held_out(data, source)
    return f"translation-{pair}", [Translation(f"{pair}-{_key(t)}", t, source, target) for t in texts]


def _transcripts() -> tuple[str, list[Item]]:
    return "neutrality", [Transcript(path.stem, path) for path in sorted(EXAMPLES_DIR.glob("*.jsonl"))]
