"""Translation into a participant's language, with a fidelity score (cross-lingual embedding similarity)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from pydantic import BaseModel

from commonground.core.errors import InputError
from commonground.llm.types import Prompt
from commonground.tasks import checks
from commonground.tasks.base import Check, Task, check
from commonground.tasks.similarity import similarity

MAX_CHARS = 2000
# Cross-lingual cosines of the embedding model: ~0.75 for unrelated texts, ~0.87+ for translations.
FIDELITY_ZERO, FIDELITY_ONE = 0.78, 0.90


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
        language_named(self.target)

    @property
    def language(self) -> str:
        """The target language's English name, for the prompt."""
        return language_named(self.target).name

    @property
    def code(self) -> str:
        """The target language's code, as the language identifier knows it (ISO 639-1, else 639-3)."""
        language = language_named(self.target)
        return getattr(language, "alpha_2", language.alpha_3)


@cache
def language_named(target: str) -> pycountry.db.Data:
    """A language from a code ("fr", "fra") or an English name ("French"); a code wins over a name ("en" is
    English, not the language named En)."""
    wanted = target.strip().lower()
    by_code = pycountry.languages.get(alpha_2=wanted) or pycountry.languages.get(alpha_3=wanted)
    if by_code is not None:
        return by_code
    try:
        return pycountry.languages.lookup(wanted)
    except LookupError:
        raise InputError(f"unknown target language {target!r}: give a code such as fr, or a name") from None


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
        return [
            check("fidelity", fidelity, threshold=0.5, detail=f"cosine {cosine:.3f}"),
            checks.in_language(output.translation, request.code),
            checks.figures_kept(request.text, output.translation),
        ]

    def fallback(self, request: TranslateRequest) -> Translation:
        """The original text, untranslated: its language check says so."""
        return Translation(translation=request.text)
