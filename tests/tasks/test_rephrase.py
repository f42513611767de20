"""Rephrase before posting: verification catches meaning changes; model path and fallback both work."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from commonground.core.errors import InputError
from commonground.llm.local import LocalModel
from commonground.signals.incivility import DEFAULT_THRESHOLD, IncivilityDetector
from commonground.signals.incivility.data import split_of
from commonground.tasks.rephrase import RephraseRequest, RephraseTask, Rephrasing
from commonground.tasks.rephrase.examples import TEXTDETOX_EXAMPLES, example_store
from commonground.tasks.rephrase.holes import doubled, holes_left


@pytest.fixture(scope="module")
def task() -> RephraseTask:
    return RephraseTask()


def failed(task: RephraseTask, draft: str, rewrite: str, lang: str | None = None) -> set[str]:
    checks = task.verify(RephraseRequest(draft, lang), Rephrasing(rephrased=rewrite))
    return {item.name for item in checks if not item.passed}


DRAFT = "You idiot, I paid you 40 dollars on Monday and I still have NOTHING!!!"


def test_a_faithful_calm_rewrite_passes(task: RephraseTask) -> None:
    assert failed(task, DRAFT, "I paid you 40 dollars on Monday and I still have nothing.") == set()


@pytest.mark.parametrize(
    ("rewrite", "caught"),
    [
        (DRAFT, "civil"),
        ("The weather is lovely and the garden is full of roses today.", "meaning"),
        ("I paid you 45 dollars on Monday and I still have nothing.", "grounded"),
        ("I paid you 40 dollars on Monday and Peter still has nothing.", "grounded"),
        ("Paid 40 dollars on Monday; nothing received yet.", "point_of_view"),
        ("Sorry, I paid you 40 dollars on Monday and I still have nothing.", "no_added_apology"),
        ("J'ai payé 40 dollars lundi et je n'ai toujours rien reçu.", "language"),
        ("I paid.", "length"),
        ("I paid you 40 dollars on Monday and I still have a.", "fluent"),
    ],
)
def test_verification_catches_what_a_rewrite_must_not_do(
    task: RephraseTask, rewrite: str, caught: str
) -> None:
    assert caught in failed(task, DRAFT, rewrite)


@pytest.mark.parametrize(
    ("draft", "rewrite", "hole"),
    [
        ("We were up shit creek without a paddle.", "We were up creek without a paddle.", "up … creek"),
        ("He won the dumb ass prize again.", "He won the dumb prize again.", "dumb … prize"),
        ("Ich habe die Scheiße jeden Tag satt.", "Ich habe die jeden Tag satt.", "die … jeden"),
        ("fuck if i know since i did it back in 69", "if i know since i did it back in 69", "… if"),
        ("Fuck off and pay me.", "Off and pay me.", "… off"),
        ("It is amazing how dishonest you are.", "It is amazing how you are.", "how … you"),
        ("Not only greed but stupidity runs this town.", "Not only greed but runs this town.", "but … runs"),
        ("Yes, he was a lying bastard.", "Yes, he was a lying.", "lying … ."),
    ],
)
def test_a_swear_word_cut_out_of_a_clause_is_a_hole(
    task: RephraseTask, draft: str, rewrite: str, hole: str
) -> None:
    assert holes_left(draft, rewrite, "de" if draft.startswith("Ich") else "en") == [hole]
    assert "no_hole" in failed(task, draft, rewrite)


def test_a_word_doubled_where_an_insult_was_is_a_hole(task: RephraseTask) -> None:
    draft, rewrite = "Stop posting crap and lies about me.", "Stop posting lies and lies about me."
    assert doubled(draft, rewrite, "en") == ["lies … lies"]
    assert doubled("The law is a shit law.", "The law is a bad law.", "en") == []  # the draft had it twice
    assert doubled("Du Idiot, der Vertrag gilt.", "Der Vertrag gilt, der Preis auch.", "de") == []
    assert "no_hole" in failed(task, draft, rewrite)


@pytest.mark.parametrize(
    ("draft", "rewrite"),
    [
        ("That was a fucking great show.", "That was a great show."),  # an intensifier
        ("Stop this crap.", "Stop this."),  # at the clause's edge; "this" stands alone
        ("Shit, I lost the receipt.", "I lost the receipt."),
        ("shit i wish i could be like you", "I wish I could be like you"),  # the rest is a sentence
        ("Your idiotic little plan failed.", "Your plan failed."),  # modifiers
        ("He is lazy and stupid and rude.", "He is lazy and rude."),  # a conjunct with its conjunction
        ("You are an ass and a liar.", "You are a liar."),  # a phrase removed whole
        ("They gave me crap service.", "They gave me bad service."),  # replaced
    ],
)
def test_words_that_can_go_leave_no_hole(draft: str, rewrite: str) -> None:
    assert holes_left(draft, rewrite, "en") == []


def test_what_was_said_of_the_addressee_is_not_turned_on_the_author(task: RephraseTask) -> None:
    draft = "You're a scammer and I'll make sure everyone knows it."
    assert "addressee_kept" in failed(task, draft, "I am a scammer and I will make sure everyone knows it.")


def test_german_nouns_are_not_taken_for_invented_names(task: RephraseTask) -> None:
    draft = "Der Gscheidschmatzer macht mich richtig wütend! Fährt mit seinem Porsche rum."
    calm = "Dieser Mann macht mich richtig wütend. Er fährt mit seinem Porsche herum."
    assert "grounded" not in failed(task, draft, calm)
    assert "grounded" in failed(task, draft, calm.replace("herum", "300 km herum"))


def test_a_rewrite_that_stayed_uncivil_goes_back_with_the_blamed_words(task: RephraseTask) -> None:
    request = RephraseRequest(DRAFT)
    prompt = task.prompt(request)
    uncivil = Rephrasing(rephrased="You idiot, I paid you 40 dollars on Monday.")
    checks = task.verify(request, uncivil)
    revised = task.revise(prompt, request, uncivil, [c for c in checks if not c.passed])
    assert revised.messages[: len(prompt.messages)] == prompt.messages
    assert revised.messages[-2].content == uncivil.model_dump_json()
    assert '"idiot"' in revised.messages[-1].content and revised.temperature > prompt.temperature
    off_topic = Rephrasing(rephrased="The weather is lovely and the garden is full of roses today.")
    wrong = [c for c in task.verify(request, off_topic) if not c.passed]
    sampled = task.revise(prompt, request, off_topic, wrong)
    assert sampled.messages == prompt.messages and sampled.temperature > prompt.temperature


def test_german_textdetox_examples_are_training_split_inputs(test_data: Path) -> None:
    with (test_data / "textdetox" / "clef24_dev_inputs_9lang.tsv").open(encoding="utf-8", newline="") as file:
        german = {
            row["toxic_sentence"] for row in csv.DictReader(file, delimiter="\t") if row["lang"] == "de"
        }
    examples = [json.loads(line) for line in TEXTDETOX_EXAMPLES.read_text(encoding="utf-8").splitlines()]
    assert examples and all(e["message"] in german for e in examples)
    assert {split_of(e["message"]) for e in examples} == {"train"}


def test_examples_are_retrieved_by_language_and_similarity() -> None:
    store = example_store()
    french = store.nearest("Ferme-la, ton avis ne compte pas.", lang="fr", k=2)
    assert all(e.lang == "fr" for e in french)
    assert "Ferme-la" in french[0].message
    assert all(e.lang == "en" for e in store.nearest("Halt, idiota", lang="it", k=2))


def test_empty_and_huge_drafts_are_refused() -> None:
    with pytest.raises(InputError, match="empty"):
        RephraseRequest("   ")
    with pytest.raises(InputError, match="too long"):
        RephraseRequest("x" * 5000)


def test_fallback_writes_whole_sentences_when_the_model_output_cannot_be_used(
    small_model: LocalModel,
) -> None:
    task = RephraseTask(candidates=1, max_tokens=2)  # every answer cut short: it cannot validate
    result = task.run(small_model, RephraseRequest(DRAFT))
    assert result.method == "fallback"
    assert "model failed" in (result.fallback_reason or "")
    assert [call.outcome for call in result.calls] == ["invalid_output", "invalid_output"]
    assert result.text == "I paid you 40 dollars on Monday and I still have nothing."
    assert result.passed


@pytest.mark.parametrize(
    ("draft", "lang", "expected"),
    [
        (
            "You are a liar and a scammer, I want my money back NOW you idiot",
            "en",
            "I want my money back now.",
        ),
        ("Give me my fucking money back, you scammer", "en", "Please give me my money back."),
        ("T'es vraiment un idiot, j'ai payé le loyer le 5 mars.", "fr", "J'ai payé le loyer le 5 mars."),
        ("Du bist so ein Idiot, ich habe das Paket nie bekommen.", "de", "Ich habe das Paket nie bekommen."),
        ("Eres un idiota, yo pagué el alquiler el 5 de marzo.", "es", "Yo pagué el alquiler el 5 de marzo."),
        ("this is all nonsense , a theatrical display which reveals contempt for voters .", "en", ""),
        ("does that belief , regardless of objective reality , make him an idiot ?", "en", ""),
        ("trump has given new meaning to the term potus : i. e. totally useless piece of st .", "en", ""),
        ("you are a fucking idiot", "en", ""),
        ("kim is not that stupid .", "en", ""),
        ("Give me the keys now!", "en", ""),  # nothing to take out: "Please" alone is no rephrasing
    ],
)
def test_the_fallback_keeps_whole_clauses_or_suggests_nothing(
    task: RephraseTask, draft: str, lang: str, expected: str
) -> None:
    output = task.fallback(RephraseRequest(draft, lang))
    assert output.rephrased == expected
    verdict = {c.name: c.passed for c in task.verify(RephraseRequest(draft, lang), output)}
    assert verdict.get("fluent", False) and verdict["civil"] if expected else verdict == {"non_empty": False}


@pytest.mark.parametrize(
    ("draft", "lang", "kept"),
    [
        ("This is the dumbest fucking policy, you clearly know nothing about rent control.", None, "rent"),
        ("T'es vraiment un idiot, j'ai payé le loyer le 5 mars.", "fr", "5"),
    ],
)
def test_default_model_rephrases_calmly_and_keeps_the_content(
    default_model: LocalModel, task: RephraseTask, draft: str, lang: str | None, kept: str
) -> None:
    result = task.run(default_model, RephraseRequest(draft, lang))
    assert kept in result.text
    assert IncivilityDetector.load().score(result.text, lang).probability < DEFAULT_THRESHOLD
    if result.method == "llm":
        assert result.passed and result.calls
        assert result.calls[0].template == "rephrase"
