"""Few-shot examples for rephrasing, retrieved by similarity to the message being rewritten.

English pairs come from the training split of ParaDetox (CC0: Logacheva et al., ACL 2022), selected by
`python -m commonground.tasks.rephrase.examples DATA_DIR`; French, German and Spanish pairs are written for
this project, and so are the rewrites of 14 German tweets from the training split of the TextDetox 2024
inputs (MIT: PAN at CLEF 2024), the kind of political insult the German evaluation holds out. Retrieval
is character n-gram TF-IDF: instant, and good at finding messages with the same insult or construction.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.datasets import read_paradetox
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.incivility.data import split_of
from commonground.tasks.fluency import holes

PARADETOX_EXAMPLES = Path(__file__).with_name("examples_paradetox.jsonl")
WRITTEN_EXAMPLES = Path(__file__).with_name("examples_written.jsonl")
TEXTDETOX_EXAMPLES = Path(__file__).with_name("examples_textdetox.jsonl")
ENGLISH_PAIRS = 400


@dataclass(frozen=True)
class Example:
    lang: str
    message: str
    rewrite: str


class ExampleStore:
    """Examples per language, searchable by character n-gram similarity."""

    def __init__(self, examples: list[Example]) -> None:
        self._by_lang: dict[str, list[Example]] = {}
        for example in examples:
            self._by_lang.setdefault(example.lang, []).append(example)
        self._index = {lang: _fitted([e.message for e in items]) for lang, items in self._by_lang.items()}

    def nearest(self, text: str, *, lang: str | None, k: int = 3) -> list[Example]:
        """The `k` examples most like `text`, in its language when there are examples of it, else English."""
        lang = lang if lang in self._by_lang else "en"
        vectorizer, matrix = self._index[lang]
        scores = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
        best = scores.argsort()[::-1][:k]
        return [self._by_lang[lang][i] for i in best]


def _fitted(messages: list[str]) -> tuple[TfidfVectorizer, object]:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    return vectorizer, vectorizer.fit_transform(messages)


@cache
def example_store() -> ExampleStore:
    """Every shipped example whose rewrite is whole sentences (`fluency.holes` finds nothing) and civil:
    some crowd-written ParaDetox rewrites are fragments themselves ("haa ! ikr ! l scary.")."""
    lines = [
        line
        for path in (PARADETOX_EXAMPLES, WRITTEN_EXAMPLES, TEXTDETOX_EXAMPLES)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    examples = [Example(**json.loads(line)) for line in lines]
    scores = IncivilityDetector.load().score_many([e.rewrite for e in examples], [e.lang for e in examples])
    return ExampleStore(
        [
            example
            for example, score in zip(examples, scores, strict=True)
            if score.probability < DEFAULT_THRESHOLD and not holes(example.rewrite, example.lang)
        ]
    )


def paradetox_pairs(data_dir: Path, *, split: str) -> list[tuple[str, str]]:
    """(toxic, first neutral paraphrase) pairs of one split of ParaDetox."""
    rows = read_paradetox(data_dir / "paradetox" / "paradetox.tsv")
    return [(row.toxic, row.neutrals[0]) for row in rows if row.neutrals and split_of(row.toxic) == split]


def build(data_dir: Path) -> None:
    """Write the English examples from the ParaDetox training split (seeded, so reproducible)."""
    pairs = [(t, n) for t, n in paradetox_pairs(data_dir, split="train") if 25 <= len(t) <= 220 and t != n]
    chosen = random.Random(13).sample(pairs, ENGLISH_PAIRS)
    lines = [json.dumps({"lang": "en", "message": t, "rewrite": n}, ensure_ascii=False) for t, n in chosen]
    PARADETOX_EXAMPLES.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    given = Path(sys.argv[1]) if len(sys.argv) > 1 else DEVELOPMENT_DATA
    build(script_data(given, option="the DATA_DIR argument"))
