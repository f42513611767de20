"""Rephrase before posting: a calmer wording of the author's draft that keeps its meaning and voice.

Verified: the detector must find it civil, its meaning must stay close to the draft (embedding cosine), its
length reasonable, with no invented names or numbers, the author's point of view kept (first person stays,
and what was said of the addressee is not turned into "I am…"), no apology or thanks the author did not
write, the same language, complete sentences (`tasks.fluency`), and no word just cut out of a clause ("up
shit creek" → "up creek") nor one doubled in its place ("lies and lies", `holes`). A rewrite that stays
uncivil is sent back to the model with the words the detector blames. The fallback keeps the draft's
inoffensive clauses whole (`fallback.rewrite`), or makes no suggestion: an empty text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from commonground.core.errors import InputError
from commonground.llm.types import ChatMessage, Prompt
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.language import detect_language
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, check
from commonground.tasks.rephrase.examples import example_store
from commonground.tasks.rephrase.fallback import rewrite
from commonground.tasks.rephrase.holes import doubled, holes_left
from commonground.tasks.similarity import similarity

MAX_CHARS = 2000
# Cosines of the embedding model: unrelated sentence pairs ~0.79 (median), human rewrites ~0.93 (median).
MEANING_ZERO, MEANING_ONE, MEANING_PASS = 0.79, 0.93, 0.45
LENGTH_RANGE = (0.3, 1.6)
FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|je|j'|moi|mon|ma|mes|ich|mich|mir|mein\w*|yo|mí|mi|mis)\b",
    re.IGNORECASE,
)
SELF_DESCRIPTION = re.compile(r"\b(?:i'm|i am|je suis|ich bin|soy|estoy)\b", re.IGNORECASE)
APOLOGY_OR_THANKS = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|thank(?:s| you)|désolée?|excuse[sz]?-moi|merci|pardon|"
    r"entschuldig\w*|tut mir leid|danke|lo siento|perd[oó]n|gracias)\b",
    re.IGNORECASE,
)


STILL_UNCIVIL = (
    "Your rewrite still reads as uncivil{words}. Rewrite the message again: leave out every insult, swear "
    "word and word of contempt, and keep everything else. Answer with JSON only.\n\nMessage: {text}"
)
BLAMED = "\nWords to leave out or replace: {words}"


NOT_FLUENT = (
    "Your rewrite is not a complete sentence ({detail}). Rewrite the whole message again as complete, "
    "grammatical sentences, with neutral words where the insults were. Answer with JSON only.\n\n"
    "Message: {text}"
)


class Rephrasing(BaseModel):
    rephrased: str


@dataclass(frozen=True)
class RephraseRequest:
    text: str
    lang: str | None = None
    context: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InputError("nothing to rephrase: the text is empty")
        if len(self.text) > MAX_CHARS:
            raise InputError(f"text too long to rephrase ({len(self.text)} characters, at most {MAX_CHARS})")


class RephraseTask(Task[RephraseRequest, Rephrasing]):
    """Calmer rewordings of a draft, verified; the fallback keeps whole inoffensive clauses, or nothing."""

    name = "rephrase"
    schema = Rephrasing
    template_path = Path(__file__).with_name("prompt.toml")

    def __init__(
        self,
        *,
        candidates: int = 2,
        max_tokens: int | None = None,
        detector: IncivilityDetector | None = None,
    ) -> None:
        super().__init__(candidates=candidates, max_tokens=max_tokens)
        self.detector = detector or IncivilityDetector.load()

    def prompt(self, request: RephraseRequest) -> Prompt:
        lang = request.lang or detect_language(request.text).lang
        shots = example_store().nearest(request.text, lang=lang, k=3)
        examples = "\n".join(
            f'Message: {e.message}\nAnswer: {{"rephrased": "{_quoted(e.rewrite)}"}}' for e in reversed(shots)
        )
        blamed = _blamed(request.text, self.detector.score(request.text, request.lang).spans)
        return self.template.render(
            examples=f"Examples:\n{examples}",
            text=request.text,
            blamed=BLAMED.format(words=blamed) if blamed else "",
        )

    def text(self, output: Rephrasing) -> str:
        return output.rephrased

    def revise(
        self, prompt: Prompt, request: RephraseRequest, output: Rephrasing, failed: list[Check]
    ) -> Prompt:
        """A new sampled candidate; after a rewrite that stayed uncivil, told which words are blamed; after
        one with a hole, told to write whole sentences."""
        sampled = super().revise(prompt, request, output, failed)
        names = {item.name: item for item in failed}
        if "civil" not in names and "fluent" in names:
            return sampled.followed_by(
                ChatMessage("assistant", output.model_dump_json()),
                ChatMessage("user", NOT_FLUENT.format(detail=names["fluent"].detail, text=request.text)),
            )
        if "civil" not in names:
            return sampled
        rewrite = output.rephrased
        blamed = _blamed(rewrite, self.detector.score(rewrite, request.lang).spans)
        words = f" ({blamed})" if blamed else ""
        return sampled.followed_by(
            ChatMessage("assistant", output.model_dump_json()),
            ChatMessage("user", STILL_UNCIVIL.format(words=words, text=request.text)),
        )

    def verify(self, request: RephraseRequest, output: Rephrasing) -> list[Check]:
        draft, rewrite = request.text, output.rephrased.strip()
        if not rewrite:
            return [check("non_empty", 0.0, threshold=1.0)]
        lang = request.lang or detect_language(draft).lang
        before = self.detector.score(draft, request.lang).probability
        after = self.detector.score(rewrite, request.lang).probability
        cosine = similarity(draft, rewrite)
        ratio = len(rewrite) / len(draft)
        return [
            check(
                "civil",
                0.0 if after is None else 1 - after,
                threshold=1 - DEFAULT_THRESHOLD,
                detail=f"incivility {_shown(before)} → {_shown(after)}",
            ),
            check(
                "meaning",
                (cosine - MEANING_ZERO) / (MEANING_ONE - MEANING_ZERO),
                threshold=MEANING_PASS,
                detail=f"cosine {cosine:.3f}",
            ),
            check(
                "length",
                float(LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]),
                threshold=1.0,
                detail=f"{ratio:.2f}x",
            ),
            checks.grounded(rewrite, source=" ".join((draft, *request.context)), lang=lang),
            _kept(
                "point_of_view",
                needed=bool(FIRST_PERSON.search(draft)),
                present=bool(FIRST_PERSON.search(rewrite)),
            ),
            _kept(
                "addressee_kept",
                needed=True,
                present=len(SELF_DESCRIPTION.findall(rewrite)) <= len(SELF_DESCRIPTION.findall(draft)),
            ),
            _kept(
                "no_added_apology",
                needed=not APOLOGY_OR_THANKS.search(draft),
                present=not APOLOGY_OR_THANKS.search(rewrite),
            ),
            checks.in_language(rewrite, lang),
            checks.figures_kept(draft, rewrite),
            checks.fluent(rewrite, lang),
            _no_hole(draft, rewrite, lang),
        ]

    def fallback(self, request: RephraseRequest) -> Rephrasing:
        """The draft's inoffensive clauses, calmed; empty (no suggestion) when none reads well on its own."""
        lang = request.lang or detect_language(request.text).lang
        score = partial(self.detector.score, lang=request.lang)
        return Rephrasing(rephrased=rewrite(request.text, score=score, lang=lang))


def _no_hole(draft: str, rewrite: str, lang: str) -> Check:
    """Fails when the rewrite removed a word from inside a clause and put nothing in its place, or filled the
    place with a word the sentence already had."""
    holes = holes_left(draft, rewrite, lang) + doubled(draft, rewrite, lang)
    return check("no_hole", float(not holes), threshold=1.0, detail="; ".join(holes))


def _shown(probability: float | None) -> str:
    return "not scored" if probability is None else f"{probability:.2f}"


def _kept(name: str, *, needed: bool, present: bool) -> Check:
    """Passes unless something the draft had (or lacked) is lost (or added) in the rewrite."""
    return check(name, float(present or not needed), threshold=1.0)


def _blamed(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The words of `text` the detector blames, quoted: '"idiot", "liar"'."""
    return ", ".join(f'"{w}"' for w in dict.fromkeys(text[start:end] for start, end, _ in spans))


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
