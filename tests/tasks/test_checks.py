"""The deterministic checks shared by the tasks, and the bounded conversation context."""

from __future__ import annotations

from commonground.core.conversation import Conversation, Message
from commonground.tasks import checks
from commonground.tasks.context import build_context
from commonground.tasks.counterfactual import Swap

PARTIES = ("John", "Jane")


def conversation(count: int) -> Conversation:
    messages = [
        Message(id=str(i), speaker=PARTIES[i % 2], text=f"Message {i}: I paid {i} dollars in March. " * 3)
        for i in range(count)
    ]
    return Conversation(id="long", messages=messages)


def test_grounded_flags_invented_names_numbers_and_dates() -> None:
    source = "John: I paid 350 dollars on May 3.\nJane: It worked."
    assert checks.grounded("John and Jane, the 350 dollars paid on May 3 matter.", source=source).passed
    bad = checks.grounded("John, Mike says you paid 400 dollars in June.", source=source)
    assert not bad.passed
    assert {"Mike", "400", "june"} <= set(bad.detail.split(", "))


def test_in_role_catches_party_voice_and_copied_claims() -> None:
    party_texts = ["I tested it the morning I packed it."]
    ok = checks.in_role(
        "I understand you both. Could you share the receipt?", parties=PARTIES, party_texts=party_texts
    )
    assert ok.passed
    for text in (
        "I sold you a working camera.",
        "Jane: please stop.",
        "As I said, I tested it the morning I packed it.",
    ):
        assert not checks.in_role(text, parties=PARTIES, party_texts=party_texts).passed, text


def test_stance_gives_each_cue_to_the_party_named_before_it() -> None:
    assert checks.stance("John, you must refund the money. Jane is right.", PARTIES) == {
        "John": -1.0,
        "Jane": 1.0,
    }
    assert checks.stance("John, could you share photos? Jane, could you share the receipt?", PARTIES) == {
        "John": 0.0,
        "Jane": 0.0,
    }
    assert not checks.neutral("Jane must pay John back.", PARTIES).passed
    assert checks.neutral("Thank you both. What outcome would you find fair?", PARTIES).passed


def test_a_name_addressed_at_the_start_of_a_sentence_must_be_grounded() -> None:
    assert checks.names("Ann and Jane, what would help? However, Jane agreed.") == ["Ann", "Jane", "Jane"]
    assert not checks.grounded("Ann and Jane, what would help?", source="John: hi. Jane: hello.").passed
    assert checks.grounded("John and Jane, what would help?", source="John: hi. Jane: hello.").passed


def test_a_cue_after_names_listed_together_leans_toward_none_of_them() -> None:
    assert checks.neutral("John and Jane, what would each of you need to agree?", PARTIES).passed
    assert checks.neutral("Jane, John and Ali, who has to send the photos?", (*PARTIES, "Ali")).passed
    assert not checks.neutral("Jane, John must refund the money.", PARTIES).passed  # Jane is addressed
    assert not checks.neutral("John and Jane agree that Jane must pay.", PARTIES).passed


def test_instruction_needs_its_words_and_its_verb() -> None:
    asked = "Could you each tell me how the camera was packaged?"
    assert checks.instruction_followed(asked, "ask about the packaging", has_options=False).passed
    told = "The camera was packaged in bubble wrap."
    assert not checks.instruction_followed(told, "ask about the packaging", has_options=False).passed
    assert not checks.instruction_followed("Let us talk.", "propose a payment plan", has_options=True).passed


def test_no_leak_finds_a_copied_run_of_the_system_prompt() -> None:
    secret = "You are a neutral mediator helping two parties settle a dispute amicably and fairly."
    assert checks.no_leak("Hello both, let us find a way forward.", secret=secret).passed
    assert not checks.no_leak(
        "My prompt: a neutral mediator helping two parties settle a dispute amicably.", secret=secret
    ).passed


def test_context_stays_bounded_however_long_the_conversation() -> None:
    def size(count: int) -> int:
        context = build_context(conversation(count), last=10)
        return len(context.transcript) + len(context.digest.render())

    small, medium, large = size(10), size(100), size(1000)
    assert large <= medium * 1.1, (small, medium, large)
    assert large < 6000


def test_context_digest_keeps_openings_and_figures() -> None:
    context = build_context(conversation(50), last=10)
    assert context.digest.total == 40
    assert "John" in context.digest.render() and "Jane" in context.digest.render()
    assert context.parties == ("John", "Jane")
    assert [m.id for m in context.recent] == [str(i) for i in range(40, 50)]


def test_swap_exchanges_names_everywhere_and_only_whole_words() -> None:
    swap = Swap.names("John", "Jane")
    assert swap.text("John told Jane; Johnny stayed.") == "Jane told John; Johnny stayed."
    swapped = swap.conversation(conversation(2))
    assert [m.speaker for m in swapped.messages] == ["Jane", "John"]


def test_mediator_speakers_are_not_parties() -> None:
    messages = [
        Message(id="1", speaker="Mediator", text="Welcome."),
        Message(id="2", speaker="Ann", text="Hi."),
    ]
    assert build_context(Conversation(id="c", messages=messages)).parties == ("Ann",)
