"""Translation with a fidelity score beside it."""

from __future__ import annotations

import pytest

from commonground.core.errors import InputError
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.translate.task import TranslateRequest, TranslateTask, Translation

MESSAGE = "I bought your used camera for 350 dollars and it arrived with a cracked lens."


def test_french_translation_end_to_end(default_model: LocalModel) -> None:
    result = TranslateTask(candidates=1).run(default_model, TranslateRequest(MESSAGE, target="fr"))
    print(f"translate: {result.method} {result.text} {[(c.name, c.score) for c in result.checks]}")
    assert result.method == "llm", result.checks
    assert result.passed and "350" in result.text


def test_fidelity_and_language_checks_tell_good_from_bad() -> None:
    task = TranslateTask()
    request = TranslateRequest(MESSAGE, target="fr")
    good = task.verify(
        request,
        Translation(
            translation="J'ai acheté votre appareil photo d'occasion pour 350 dollars et il est arrivé "
            "avec un objectif fissuré."
        ),
    )
    unrelated = task.verify(
        request, Translation(translation="Il fait beau aujourd'hui et nous allons à la plage.")
    )
    untranslated = task.verify(request, task.fallback(request))
    assert all(c.passed for c in good), good
    assert {c.name for c in unrelated if not c.passed} >= {"fidelity", "figures_kept"}
    assert [c.name for c in untranslated if not c.passed] == ["language"]


def test_fallback_keeps_the_original_and_says_so(unreachable_model: OpenAIModel) -> None:
    result = TranslateTask().run(unreachable_model, TranslateRequest(MESSAGE, target="de"))
    assert result.method == "fallback" and result.text == MESSAGE and not result.passed


def test_targets_by_code_or_name_and_short_texts() -> None:
    task = TranslateTask()
    for target in ("de", "German", "deu", "DE"):
        request = TranslateRequest("Vielen Dank.", target=target)
        assert (request.language, request.code) == ("German", "de")
    for target in ("en", "eng", "English"):  # "en" is English's code and the name of the language En
        request = TranslateRequest("Merci.", target=target)
        assert (request.language, request.code) == ("English", "en")
    short = TranslateRequest("Thank you.", target="de")

    def in_german(translation: str) -> bool:
        checks = task.verify(short, Translation(translation=translation))
        return next(c.passed for c in checks if c.name == "language")

    assert in_german("Genau so.")  # read as English first, German second: short texts are judged leniently
    assert not in_german("Thank you.")


def test_bad_input() -> None:
    for text in ("", "   ", "x" * 5000):
        with pytest.raises(InputError):
            TranslateRequest(text, target="fr")
    with pytest.raises(InputError, match="unknown target language 'Klingonish'"):
        TranslateRequest("Hello", target="Klingonish")
