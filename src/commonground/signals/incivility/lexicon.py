"""Hand-curated per-language lexicons: which words and phrases signal which category, and how strongly.

A lexicon file has one entry a line, `category weight term`. A term is a word, a phrase of words, a word
ending in `*` (any word starting so) or starting with `*` (any word ending so, for compounds). Category
`identity` lists identity terms: they carry no weight and are masked before the statistical model. Category
`none` cancels an entry borrowed from English ("dick" is "thick" in German).

Messages in other languages also match the English profanity and slurs, which travel across languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from commonground.signals.incivility.text import Token, canonical, fold, undoubled

CATEGORIES: tuple[str, ...] = ("insult", "profanity", "identity_attack", "threat", "dismissive")
IDENTITY = "identity"
NONE = "none"
_BORROWED = frozenset({"profanity", "identity_attack"})
_SILENT = frozenset({IDENTITY, NONE})
LEXICON_DIR = Path(__file__).parent / "lexicons"
_MIN_AFFIX = 4
_MEMO_SIZE = 1 << 17


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon match: the original-text span, its category and weight."""

    start: int
    end: int
    category: str
    weight: float


@dataclass(slots=True)
class Lexicon:
    """The entries of one language, indexed for fast look-up by canonical word."""

    words: dict[str, tuple[str, float]] = field(default_factory=dict)
    prefixes: dict[str, tuple[str, float]] = field(default_factory=dict)
    suffixes: dict[str, tuple[str, float]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, float]] = field(default_factory=dict)
    phrase_sizes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    identities: set[str] = field(default_factory=set)
    _memo: dict[str, tuple[str, float] | None] = field(default_factory=dict, repr=False)

    def add(self, term: str, entry: tuple[str, float]) -> None:
        """Index one term (see the module docstring for its syntax)."""
        words = [canonical(w) for w in term.split()]
        if len(words) > 1:
            self.phrases[tuple(words)] = entry
            sizes = {len(words), *self.phrase_sizes.get(words[0], ())}
            self.phrase_sizes[words[0]] = tuple(sorted(sizes, reverse=True))
        elif term.startswith("*"):
            self.suffixes[canonical(term[1:])] = entry
        else:
            index = self.prefixes if term.endswith("*") else self.words
            stem = canonical(term.rstrip("*"))
            index[stem] = entry
            if entry[0] == IDENTITY:
                self.identities.add(stem)
            if entry[0] not in _SILENT:
                for masked in _masked_spellings(stem):
                    index.setdefault(masked, entry)

    def lookup(self, form: str) -> tuple[str, float] | None:
        """The entry a canonical word matches, if any (identity terms included), memoised.

        A word that matches nothing is tried again with its doubled letters single ("stuupid").
        """
        if form in self._memo:
            return self._memo[form]
        entry = self._find(form)
        if entry is None and (single := undoubled(form)) != form:
            entry = self._find(single)
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[form] = entry
        return entry

    def _find(self, form: str) -> tuple[str, float] | None:
        entry = self.words.get(form)
        if entry is not None or len(form) < _MIN_AFFIX:
            return entry
        for cut in range(len(form), _MIN_AFFIX - 1, -1):
            if entry := self.prefixes.get(form[:cut]):
                return entry
        for cut in range(len(form) - _MIN_AFFIX + 1):
            if entry := self.suffixes.get(form[cut:]):
                return entry
        return None

    def match(self, tokens: list[Token]) -> list[Hit]:
        """Every word and phrase of `tokens` found in this lexicon (phrases first, without overlap)."""
        hits: list[Hit] = []
        covered = -1
        forms = [t.form for t in tokens]
        for i, token in enumerate(tokens):
            if i <= covered:
                continue
            for size in self.phrase_sizes.get(forms[i], ()):
                entry = self.phrases.get(tuple(forms[i : i + size])) if i + size <= len(forms) else None
                if entry is not None:
                    hits.append(Hit(token.start, tokens[i + size - 1].end, *entry))
                    covered = i + size - 1
                    break
            else:
                entry = self.lookup(token.form)
                if entry is not None and entry[0] not in _SILENT:
                    hits.append(Hit(token.start, token.end, *entry))
        return hits


def _masked_spellings(word: str) -> set[str]:
    """Spellings with inner letters starred out ("fuck" -> "f*ck", "f**k" and "fu*k")."""
    spellings = set()
    for start in range(1, len(word) - 1):
        for stop in range(start + 1, min(start + 2, len(word) - 1) + 1):
            spellings.add(canonical(word[:start] + "*" + word[stop:]))
    return spellings if len(word) >= _MIN_AFFIX else set()


def parse(lines: list[str]) -> Lexicon:
    """Build a lexicon from the lines of a lexicon file."""
    lexicon = Lexicon()
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        category, weight, term = line.split(maxsplit=2)
        if category not in (*CATEGORIES, *_SILENT):
            raise ValueError(f"line {number}: unknown category {category!r}")
        lexicon.add(fold(term), (category, float(weight)))
    return lexicon


@cache
def load_lexicon(langs: tuple[str, ...]) -> Lexicon:
    """The lexicon for messages in `langs` (most likely first): their entries over borrowed English ones."""
    lines = [] if "en" in langs else [line for line in _lines("en") if line.split(maxsplit=1)[0] in _BORROWED]
    for code in reversed(langs):
        lines += _lines(code)
    return parse(lines)


def _lines(lang: str) -> list[str]:
    path = LEXICON_DIR / f"{lang}.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line for line in lines if line.strip() and not line.startswith("#")]
