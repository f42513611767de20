"""One short role-play with the real default model: structure, ground truth, and the derailing turn is uncivil
per the incivility detector."""

from __future__ import annotations

from commonground.llm.local import LocalModel
from commonground.synthesis.generators.base import generate
from commonground.synthesis.generators.roleplay import RolePlayGenerator, reply_text
from commonground.synthesis.plan import Planner, Spec
from commonground.synthesis.quality import label_agreement


def test_a_dispute_derails_then_recovers_after_the_mediator(default_model: LocalModel) -> None:
    generator = RolePlayGenerator(default_model, mediator="template")
    spec = Spec(
        count=1,
        scenarios=("camera",),
        personas=("blunt", "wry"),  # terse: short answers
        turns=(4, 4),
        derail_turn=2,
        mix={"recover": 1},
        escalations=("insult",),
    )
    planner = Planner(spec, languages=generator.languages, needs_openings=False)
    generator.prepare(planner)
    [conversation] = list(generate(generator, planner))

    messages = conversation.messages
    first, second = (persona["speaker"] for persona in conversation.meta["personas"])
    assert [m.speaker for m in messages] == [first, second, "Mediator", first]
    assert [m.meta["stage"] for m in messages] == ["opening", "derailment", "intervention", "recovery"]
    assert [m.meta["label"] for m in messages] == ["civil", "uncivil", "civil", "civil"]
    assert [m.meta["source"] for m in messages] == ["llm", "llm", "intervene-template", "llm"]
    assert conversation.meta["derail_turn"] == 2 and conversation.meta["model"] == default_model.name
    assert messages[2].text.startswith("[AI mediator]")
    for message in messages:
        assert message.text and not message.text.startswith((f"{first}:", f"{second}:"))

    report = label_agreement([conversation])
    assert report["by_stage"]["derailment"]["value"] == 1.0, messages[1].text


def test_reply_text_keeps_one_speaker_line_without_name_or_quotes() -> None:
    raw = 'Alex: "I tested it twice."\nJordan: That is not true.'
    assert reply_text(raw, ["Alex", "Jordan"]) == "I tested it twice."
    assert reply_text("  \n ", ["Alex", "Jordan"]) == ""
