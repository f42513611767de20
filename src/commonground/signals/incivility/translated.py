"""Civil training messages in the languages whose labelled data is toxic only: civil English training
messages translated by the project's own translation task (`tasks/translate`: fidelity, language and figures
checked).

    python -m commonground.signals.incivility.translated ../shared/data [--per-language 150] [--langs ru,uk]

appends to `train_sets/translated.jsonl`, which ships with the package so that retraining the detector needs
no model run. TextDetox gives toxic messages in es, ru, uk, zh, ar, hi and am, and nothing civil: trained on
those alone, the encoder head would learn the language rather than the incivility. The sources are ParaDetox
neutral paraphrases and civil Civil Comments sentences, half each, short, from the train and validation splits
only, and every message of `train_sets/civil_written.txt`: civil messages of disputes and deliberations
written for this project (firm complaints, strong criticism of ideas, identity mentions), the platform's own
kind of message, which the news comments and tweets lack. A translation keeps its source's split (the written
messages' split is the MD5 rule's; its test bucket is left out). Only civil messages are translated: the
embedded model softens insults and drops swear words when it translates, so a translated toxic message is
often civil. Each language gets its own seeded sample. Every translation is written with whether it passed the
task's checks; training uses the passing ones. A re-run resumes, skipping the sources a language already has.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.progress import Progress

from commonground.core.devdata import script_data
from commonground.core.settings import load_settings
from commonground.datasets import read_paradetox
from commonground.llm import Model, open_model
from commonground.signals.incivility.data import Example, load_examples, split_of, written_examples
from commonground.tasks.translate.task import TranslateRequest, TranslateTask

TRANSLATED_PATH = Path(__file__).with_name("train_sets") / "translated.jsonl"
LANGUAGES = ("ru", "uk", "es", "zh", "ar", "hi", "am")
PER_LANGUAGE = 150
MAX_SOURCE_CHARS = 160
SEED = 0


@dataclass(frozen=True, slots=True)
class Translated:
    """One translated message: `english` is its source, `passed` whether the translation passed every
    check of the translation task."""

    text: str
    label: int
    lang: str
    source: str
    split: str
    english: str
    passed: bool


@dataclass(frozen=True, slots=True)
class CivilPool:
    """The civil English messages translations are drawn from, as (text, split) pairs, sorted."""

    neutrals: list[tuple[str, str]]
    comments: list[tuple[str, str]]
    written: list[tuple[str, str]]

    @classmethod
    def read(cls, data_dir: Path) -> CivilPool:
        """ParaDetox first neutral paraphrases and civil Civil Comments sentences, short, outside the test
        split."""
        neutrals = {
            (row.neutrals[0], split_of(row.toxic))
            for row in read_paradetox(data_dir / "paradetox" / "paradetox.tsv")
            if split_of(row.toxic) != "test" and len(row.neutrals[0]) <= MAX_SOURCE_CHARS
        }
        comments = {
            (e.text, e.split)
            for e in load_examples(data_dir)
            if e.source == "civil-comments"
            and e.label == 0
            and e.split != "test"
            and len(e.text) <= MAX_SOURCE_CHARS
        }
        written = [(e.text, e.split) for e in written_examples()]
        return cls(sorted(neutrals), sorted(comments), written)

    def sources(self, lang: str, count: int) -> list[Example]:
        """`count` messages to translate into `lang`, half of each pool, sampled with `lang`'s own seed, and
        every written message."""
        rng = random.Random(f"{SEED}-{lang}")
        chosen = [(text, split, "paradetox") for text, split in rng.sample(self.neutrals, count // 2)]
        chosen += [
            (text, split, "civil-comments") for text, split in rng.sample(self.comments, count - count // 2)
        ]
        chosen += [(text, split, "written") for text, split in self.written]
        return [Example(text, 0, "en", source, split) for text, split, source in chosen]


def translations(model: Model, examples: list[Example], lang: str) -> Iterator[Translated]:
    """Each example translated into `lang` with one candidate of the translation task."""
    task = TranslateTask(candidates=1)
    for example in examples:
        result = task.run(model, TranslateRequest(example.text, lang))
        yield Translated(
            result.text, example.label, lang, example.source, example.split, example.text, result.passed
        )


def load_translated(path: Path = TRANSLATED_PATH) -> list[Translated]:
    """Every translation written so far (none when the file does not exist)."""
    if not path.exists():
        return []
    return [Translated(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]


def translated_examples(path: Path = TRANSLATED_PATH) -> list[Example]:
    """The translations that passed their checks, as labelled examples of source "translated"."""
    return [
        Example(t.text, t.label, t.lang, "translated", t.split) for t in load_translated(path) if t.passed
    ]


def main() -> None:
    """Translate civil training messages into each language and append them to the shipped file."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data", type=Path, help="the shared data folder")
    parser.add_argument("--per-language", type=int, default=PER_LANGUAGE)
    parser.add_argument("--langs", default=",".join(LANGUAGES), help="comma-separated ISO 639-1 codes")
    parser.add_argument("--out", type=Path, default=TRANSLATED_PATH)
    args = parser.parse_args()
    pool = CivilPool.read(script_data(args.data, option="the DATA argument"))
    done = {(t.lang, t.english) for t in load_translated(args.out)}
    todo = {
        lang: [e for e in pool.sources(lang, args.per_language) if (lang, e.text) not in done]
        for lang in args.langs.split(",")
    }
    model = open_model(load_settings())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with Progress() as progress, args.out.open("a", encoding="utf-8") as out:
        for lang, examples in todo.items():
            bar = progress.add_task(f"translating into {lang}", total=len(examples))
            for translated in translations(model, examples, lang):
                out.write(json.dumps(asdict(translated), ensure_ascii=False) + "\n")
                out.flush()
                progress.advance(bar)


if __name__ == "__main__":
    main()
