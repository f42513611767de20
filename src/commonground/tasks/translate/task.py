"""Translation into a participant's language, with a fidelity score (cross-lingual embedding similarity)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from commonground.core.errors import InputError
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, check
from commonground.tasks.similarity import similarity

MAX_CHARS = 2000
# Cross-lingual cosines of the embedding model: ~0.75 for unrelated texts, ~0.87+ for translations.
FIDELITY_ZERO, FIDELITY_ONE = 0.78, 0.90
LANGUAGES: dict[str, tuple[str, frozenset[str]]] = {
    code: (name, frozenset(words.split()))
    for code, name, words in [
        ("en", "English", "the and is are you i it not of to was have this that with for"),
        ("fr", "French", "le la les et est je vous pas de des un une que pour avec ce"),
        ("de", "German", "der die das und ist ich sie nicht ein eine zu mit für den auf"),
        ("es", "Spanish", "el la los las y es yo usted no de un una que para con por"),
        ("it", "Italian", "il la le e è io lei non di un una che per con sono"),
        ("pt", "Portuguese", "o a os as e é eu você não de um uma que para com"),
        ("nl", "Dutch", "de het een en is ik u niet van dat met voor op zijn"),
    ]
}


class Translation(BaseModel):
    translation: str


@dataclass(frozen=True)
class TranslateRequest:
    text: str
    target: str

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InputError("nothing to translate: the text is empty")
        if len(self.text) > MAX_CHARS:
            raise InputError(f"text too long to translate ({len(self.text)} characters, at most {MAX_CHARS})")

    @property
    def language(self) -> str:
        return LANGUAGES.get(self.target.lower(), (self.target, frozenset()))[0]


class TranslateTask(Task[TranslateRequest, Translation]):
    """Translations checked for fidelity, target language and kept figures; the fallback is the original."""

    name = "translate"
    schema = Translation
    template_path = Path(__file__).with_name("prompt.toml")

    def prompt(self, request: TranslateRequest) -> Prompt:
        return self.template.render(language=request.language, text=request.text)

    def text(self, output: Translation) -> str:
        return output.translation

    def verify(self, request: TranslateRequest, output: Translation) -> list[Check]:
        cosine = similarity(request.text, output.translation)
        fidelity = (cosine - FIDELITY_ZERO) / (FIDELITY_ONE - FIDELITY_ZERO)
        source_numbers = {n.replace(",", "") for n in checks.NUMBER.findall(request.text)}
        kept = {n.replace(",", "") for n in checks.NUMBER.findall(output.translation)} >= source_numbers
        return [
            check("fidelity", fidelity, threshold=0.5, detail=f"cosine {cosine:.3f}"),
            language_check(output.translation, request.target),
            check("figures_kept", 1.0 if kept else 0.0, threshold=1.0),
        ]

    def fallback(self, request: TranslateRequest) -> Translation:
        """The original text, untranslated: its language check says so."""
        return Translation(translation=request.text)


def language_check(text: str, target: str) -> Check:
    """Function words of the target language against the best-scoring known language (1.0: target leads)."""
    profile = LANGUAGES.get(target.lower())
    if profile is None:
        return check("language", 1.0, threshold=0.5, detail=f"no word profile for {target!r}; not checked")
    tokens = checks.words(text)
    hits = {code: sum(t in words for t in tokens) for code, (_, words) in LANGUAGES.items()}
    best = max(hits.values())
    share = hits[target.lower()] / best if best else 0.0
    leader = max(hits, key=lambda code: hits[code])
    return check(
        "language",
        share,
        threshold=1.0,
        detail=f"function words: {hits[target.lower()]} {target}, most {leader}",
    )
