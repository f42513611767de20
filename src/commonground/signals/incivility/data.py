"""Labelled messages for training and evaluation, read from the shared data sets, with a fixed split.

Split rule: the MD5 of a message's group key (the text; for ParaDetox the toxic sentence, so a toxic sentence
and its paraphrases stay together) picks a bucket 0-9: 9 is the held-out test split, 8 validation, the rest
training. GermEval 2018 keeps its official test file as the test split (its training file gives training and
validation). The TextDetox inputs are split so in every language (toxic only: en, de, es, ru, uk, zh, ar, hi,
am). The hand-written sets (civil and uncivil; fr, es, it, ru, uk, pt, nl, pl, he, zh, ja, ar, hi) are
test-only: no model sees them, and fr, it, pt, nl, pl, he and ja have no training data at all, so those
measure the encoder's transfer to languages it was not trained on.

`python -m commonground.signals.incivility.data DATA_DIR [--split test]` writes a split as JSON lines, ready
for `commonground eval detection`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from commonground.core.devdata import development_data, script_data
from commonground.core.records import table_rows
from commonground.datasets import read_paradetox, read_paradetox_cannot_rewrite, read_textdetox

EVAL_SETS_DIR = Path(__file__).parent / "eval_sets"
WRITTEN_PATH = Path(__file__).parent / "train_sets" / "civil_written.txt"
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
    development_data(data_dir, "paradetox", option="--data")
    loaders = (_paradetox, _paradetox_cannot_rewrite, _davidson, _civil_comments, _germeval, _textdetox)
    examples = [example for loader in loaders for example in loader(data_dir)]
    return examples + list(_handwritten())


def _paradetox(data_dir: Path) -> Iterator[Example]:
    for row in read_paradetox(data_dir / "paradetox" / "paradetox.tsv"):
        split = split_of(row.toxic)
        yield Example(row.toxic, 1, "en", "paradetox", split)
        yield from (Example(n, 0, "en", "paradetox", split) for n in row.neutrals)


def _paradetox_cannot_rewrite(data_dir: Path) -> Iterator[Example]:
    labels = {frozenset({"toxic_content"}): 1, frozenset({"not_toxic"}): 0}
    for text, reasons in read_paradetox_cannot_rewrite(
        data_dir / "paradetox" / "paradetox_cannot_rewrite.tsv"
    ):
        if reasons in labels and text:
            yield Example(text, labels[reasons], "en", "paradetox", split_of(text))


def _davidson(data_dir: Path) -> Iterator[Example]:
    path = data_dir / "toxicity" / "davidson-2017" / "labeled_data.csv"
    for _, row in table_rows(path, ("class", "tweet")):
        text = row["tweet"]
        yield Example(text, int(row["class"] != "2"), "en", "davidson", split_of(text))


def _civil_comments(data_dir: Path) -> Iterator[Example]:
    folder = data_dir / "toxicity" / "civil-comments-sentences"
    for name, label in (("dev_toxic.txt", 1), ("dev_normal.txt", 0)):
        for text in (folder / name).read_text(encoding="utf-8").splitlines():
            if text.strip():
                yield Example(text, label, "en", "civil-comments", split_of(text))


def _germeval(data_dir: Path) -> Iterator[Example]:
    folder = data_dir / "toxicity" / "germeval-2018"
    for name, official_test in (("germeval2018.training.txt", False), ("germeval2018.test.txt", True)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text, coarse, _ = line.split("\t")
            split = "test" if official_test else split_of(text).replace("test", "validation")
            yield Example(text, int(coarse == "OFFENSE"), "de", "germeval", split)


def _textdetox(data_dir: Path) -> Iterator[Example]:
    for row in read_textdetox(data_dir / "textdetox" / "clef24_dev_inputs_9lang.tsv"):
        yield Example(row.toxic, 1, row.lang, "textdetox", split_of(row.toxic))


def _handwritten() -> Iterator[Example]:
    for path in sorted(EVAL_SETS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            yield Example(row["text"], row["label"], path.stem, "handwritten", "test")


def written_examples(path: Path = WRITTEN_PATH) -> list[Example]:
    """The written civil English messages outside the test split, one a line in `path` (shipped: civil
    dispute and deliberation messages written for the project; they train, never test)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = [Example(line, 0, "en", "written", split_of(line)) for line in lines]
    return [e for e in examples if e.split != "test"]


def main() -> None:
    """Write one split of the examples to stdout as JSON lines {"text", "label", "lang", "source"}."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("--split", choices=SPLITS, default="test")
    args = parser.parse_args()
    for example in load_examples(script_data(args.data, option="the DATA_DIR argument")):
        if example.split == args.split:
            record = {
                "text": example.text,
                "label": example.label,
                "lang": example.lang,
                "source": example.source,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
