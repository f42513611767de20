"""The parties' positions quoted in a mediator's message: whose words, which message, how much of it."""

from __future__ import annotations

from commonground.core.conversation import Message
from commonground.tasks.draft.quotes import QUOTE_CHARS, opening, quoted_positions


def _messages(*said: tuple[str, str]) -> list[Message]:
    return [Message(id=str(i), speaker=speaker, text=text) for i, (speaker, text) in enumerate(said, 1)]


def test_each_party_is_quoted_from_their_first_message_that_says_something() -> None:
    recent = _messages(
        ("Nadia", "Hello?"),
        ("Omar", "I paid you 400 in cash and we agreed the last 200 only once you fixed the gears."),
        ("Nadia", "I sold you my road bike for 600 euros and you still owe me 200 of it."),
    )
    assert quoted_positions(recent, ("Nadia", "Omar")) == (
        "Nadia wrote: “I sold you my road bike for 600 euros and you still owe me 200 of it.” "
        "Omar wrote: “I paid you 400 in cash and we agreed the last 200 only once you fixed the gears.”"
    )


def test_an_insult_is_never_quoted_and_nobody_is_when_one_side_has_only_insults() -> None:
    recent = _messages(
        ("Ana", "You are a liar and a scammer, Marc."),
        ("Marc", "You left two months of bills unpaid, Ana."),
        ("Ana", "I paid every bill and I can send you the receipts."),
    )
    assert "liar" not in quoted_positions(recent, ("Ana", "Marc"))
    assert quoted_positions(recent, ("Ana", "Marc")).startswith("Ana wrote: “I paid every bill")
    assert quoted_positions(recent[:2], ("Ana", "Marc")) == ""
    colours = _messages(
        ("Kim", "The bag arrived in grey, not the black I paid for."), ("Shop", recent[1].text)
    )
    assert quoted_positions(colours, ("Kim", "Shop")).startswith("Kim wrote: “The bag arrived in grey")


def test_long_messages_are_cut_at_a_sentence_or_a_word() -> None:
    first = "The oven was filthy and there is a burn mark on the counter. Cleaning cost me 450."
    assert opening(f"{first} I kept every receipt from the shop, and the cleaner's too.") == first
    long = "I moved out on 30 April and left the flat spotless, " + "and really nothing was wrong, " * 5
    cut = opening(long)
    assert cut.endswith("…") and len(cut) <= QUOTE_CHARS and long.startswith(cut[:-1])
    assert opening("Hi. " + long).startswith("Hi. I moved out")


def test_more_parties_than_a_message_can_quote_get_no_quotes() -> None:
    recent = _messages(*((name, f"{name} thinks the plan should wait a year.") for name in "ABCD"))
    assert quoted_positions(recent, tuple("ABC")).count(" wrote: ") == 3
    assert quoted_positions(recent, tuple("ABCD")) == ""
