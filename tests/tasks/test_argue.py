"""Arguments for each side: one per party, balanced in length and tone, grounded and cited."""

from __future__ import annotations

from commonground.core.conversation import Conversation
from commonground.llm.local import LocalModel
from commonground.llm.openai_compat import OpenAIModel
from commonground.tasks.argue.task import ArgueRequest, ArgueTask, Argument, Arguments


def test_snow_arguments_end_to_end(default_model: LocalModel, disputes: dict[str, Conversation]) -> None:
    result = ArgueTask(candidates=1).run(default_model, ArgueRequest(disputes["snow"]))
    print(f"argue snow: {result.method} {result.fallback_reason or ''}\n{result.text}")
    assert result.passed, result.checks
    assert {a.party for a in result.output.arguments} >= {"Sam", "Linda"}
    assert result.method == "llm" or result.fallback_reason


def test_fallback_is_balanced_on_every_dispute(
    unreachable_model: OpenAIModel, disputes: dict[str, Conversation]
) -> None:
    for name, conversation in disputes.items():
        result = ArgueTask().run(unreachable_model, ArgueRequest(conversation))
        assert result.method == "fallback" and result.passed, (name, result.checks)


def test_unbalanced_arguments_are_rejected(camera: Conversation) -> None:
    lopsided = Arguments(
        point="Who pays for the camera.",
        arguments=[
            Argument(
                party="John",
                argument="John argues the camera arrived broken and he paid 350 dollars for it, so "
                "a refund is the only fair outcome after such an expensive purchase.",
                cites=["1"],
            ),
            Argument(party="Jane", argument="Jane is a scammer!", cites=["2"]),
        ],
    )
    failed = {c.name for c in ArgueTask().verify(ArgueRequest(camera), lopsided) if not c.passed}
    assert failed >= {"balanced_length", "balanced_tone"}
