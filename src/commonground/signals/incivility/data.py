"""Labelled messages for training and evaluation, read from the shared data sets, with a fixed split.

Split rule: the MD5 of a message's group key (the text; for ParaDetox the toxic sentence, so a toxic sentence
and its paraphrases stay together) picks a bucket 0-9: 9 is the held-out test split, 8 validation, the rest
training. GermEval 2018 keeps its official test file as the test split (its training file gives training and
validation). Spanish TextDetox inputs and the hand-written French and Spanish sets are test-only.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from commonground.core.errors import InputError

EVAL_SETS_DIR = Path(__file__).parent / "eval_sets"
SPLITS = ("train", "validation", "test")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message: label 1 is uncivil."""

    text: str
    label: int
    lang: str
    source: str
    split: str


def split_of(key: str) -> str:
    """The split of a group key, fixed by the MD5 of its text."""
    bucket = int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if bucket == 9 else "validation" if bucket == 8 else "train"


def load_examples(data_dir: Path) -> list[Example]:
    """All labelled examples of the shared data sets and of the shipped hand-written sets."""
    if not (data_dir / "paradetox").is_dir():
        raise InputError(f"no shared data sets in {data_dir}: pass the shared data folder")
    csv.field_size_limit(1 << 24)
    loaders = (_paradetox, _paradetox_cannot_rewrite, _davidson, _germeval, _textdetox)
    examples = [example for loader in loaders for example in loader(data_dir)]
    return examples + list(_handwritten())


def _rows(path: Path, delimiter: str) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader)
        yield from reader


def _paradetox(data_dir: Path) -> Iterator[Example]:
    for row in _rows(data_dir / "paradetox" / "paradetox.tsv", "\t"):
        toxic, *neutrals = (field.strip() for field in row)
        split = split_of(toxic)
        yield Example(toxic, 1, "en", "paradetox", split)
        yield from (Example(n, 0, "en", "paradetox", split) for n in neutrals if n)


def _paradetox_cannot_rewrite(data_dir: Path) -> Iterator[Example]:
    labels = {'{"toxic_content":true}': 1, '{"not_toxic":true}': 0}
    for _, text, reasons in _rows(data_dir / "paradetox" / "paradetox_cannot_rewrite.tsv", "\t"):
        text = text.strip().strip('"').strip()
        if reasons in labels and text:
            yield Example(text, labels[reasons], "en", "paradetox", split_of(text))


def _davidson(data_dir: Path) -> Iterator[Example]:
    for row in _rows(data_dir / "toxicity" / "davidson-2017" / "labeled_data.csv", ","):
        text = row[6]
        yield Example(text, int(row[5] != "2"), "en", "davidson", split_of(text))


def _germeval(data_dir: Path) -> Iterator[Example]:
    folder = data_dir / "toxicity" / "germeval-2018"
    for name, official_test in (("germeval2018.training.txt", False), ("germeval2018.test.txt", True)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text, coarse, _ = line.split("\t")
            split = "test" if official_test else split_of(text).replace("test", "validation")
            yield Example(text, int(coarse == "OFFENSE"), "de", "germeval", split)


def _textdetox(data_dir: Path) -> Iterator[Example]:
    for text, _, lang in _rows(data_dir / "textdetox" / "clef24_dev_inputs_9lang.tsv", "\t"):
        if lang in {"en", "de"}:
            yield Example(text, 1, lang, "textdetox", split_of(text))
        elif lang == "es":
            yield Example(text, 1, lang, "textdetox", "test")


def _handwritten() -> Iterator[Example]:
    for path in sorted(EVAL_SETS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            yield Example(row["text"], row["label"], path.stem, "handwritten", "test")
