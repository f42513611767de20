"""The entailment judge: its prompt, its scores worked by hand, and the default model on clear cases."""

from __future__ import annotations

import pytest

from commonground.core.errors import InputError
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.entailment import Judgement, entailment_prompt, judge


def test_prompt_is_versioned_with_few_shot_turns() -> None:
    prompt = entailment_prompt("I did  not\nbreak it.", "I broke it.")
    assert (prompt.template, prompt.template_version) == ("entailment", "2")
    roles = [m.role for m in prompt.messages]
    assert roles[0] == "system" and roles[1:] == ["user", "assistant"] * ((len(roles) - 2) // 2) + ["user"]
    assert prompt.messages[-1].content == "A: I did not break it.\nB: I broke it."
    assert all(Judgement.model_validate_json(m.content) for m in prompt.messages if m.role == "assistant")


@pytest.mark.parametrize(
    ("premise", "hypothesis", "message"),
    [
        ("", "x", "the premise is empty"),
        ("x", "  ", "the hypothesis is empty"),
        ("x" * 2001, "x", "too long"),
    ],
)
def test_bad_texts(premise: str, hypothesis: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        entailment_prompt(premise, hypothesis)


@pytest.mark.parametrize(
    ("relation", "stance", "kept", "score"),
    [
        ("entails", "same", True, 1.0),
        ("neutral", "same", True, 0.5),
        ("contradicts", "same", False, 0.0),
        ("entails", "reversed", False, 0.0),
        ("neutral", "lost", False, 0.0),
    ],
)
def test_scores(relation: str, stance: str, kept: bool, score: float) -> None:
    judgement = Judgement.model_validate({"relation": relation, "stance": stance})
    assert (judgement.kept, judgement.score) == (kept, score)


def test_the_same_words_need_no_model(unreachable_model: OpenAIModel) -> None:
    verdict = judge(unreachable_model, "I paid 45 dollars.", "i paid 45 dollars")
    assert verdict.value.score == 1.0 and verdict.completions == []


def test_default_model_on_clear_cases(default_model: LocalModel) -> None:
    # Kinds the default model gets right on the hand-labelled set (bench/eval_entailment.py has the figures).
    softened = judge(
        default_model,
        "Shut up, the delivery was late because of your mistake.",
        "The delivery was late because of your mistake.",
    )
    figure = judge(default_model, "I paid 80 euros for the lamp.", "I paid 60 euros for the lamp.")
    print("judge:", [(v.value.relation, v.value.stance) for v in (softened, figure)])
    assert softened.value.kept and softened.value.score == 1.0
    assert figure.value.relation == "contradicts" and not figure.value.kept
    assert all(v.completions[0].record.template == "entailment" for v in (softened, figure))
