"""Counterfactual swaps worked by hand: names, gendered words, roles; each swap undoes itself."""

from __future__ import annotations

import pytest

from commonground.core.conversation import Conversation, Message
from commonground.tasks.counterfactual import Swap, compare

LEASE = Conversation(
    id="lease",
    messages=[
        Message(id="1", speaker="Maria", text="The landlord never fixed the leak. He ignored her calls."),
        Message(
            id="2", speaker="Tom", text="Maria, the tenant must report repairs in writing. I told her so."
        ),
    ],
)


def test_names_swap_speakers_and_texts() -> None:
    swapped = Swap.of("names", ("Maria", "Tom")).conversation(LEASE)
    assert [(m.speaker, m.text) for m in swapped.messages] == [
        ("Tom", "The landlord never fixed the leak. He ignored her calls."),
        ("Maria", "Tom, the tenant must report repairs in writing. I told her so."),
    ]


def test_genders_swap_pronouns_with_possessives_and_objects() -> None:
    swap = Swap.of("genders", ("Maria", "Tom"))
    assert [m.text for m in swap.conversation(LEASE).messages] == [
        "The landlord never fixed the leak. She ignored his calls.",
        "Maria, the tenant must report repairs in writing. I told him so.",
    ]
    assert swap.text("Mr Lee gave his word; the camera is hers, she owes him 50.") == (
        "Ms Lee gave her word; the camera is his, he owes her 50."
    )


def test_roles_swap_singular_and_plural_keeping_case() -> None:
    swap = Swap.of("roles", ("Maria", "Tom"))
    assert swap.text("The Landlord told the tenants; SELLERS and buyers agree.") == (
        "The Tenant told the landlords; BUYERS and sellers agree."
    )


@pytest.mark.parametrize("kind", ["names", "genders", "roles", "all"])
def test_every_swap_undoes_itself(kind: str) -> None:
    swap = Swap.of(kind, ("Maria", "Tom"))
    assert swap.conversation(swap.conversation(LEASE)) == LEASE


def test_unknown_swap() -> None:
    with pytest.raises(ValueError, match="unknown swap 'ages'"):
        Swap.of("ages", ("Maria", "Tom"))


def test_compare_scores_a_lean_that_follows_the_name() -> None:
    # As given, the draft blames Tom; written for the swapped transcript and mirrored back, it blames Maria:
    # the lean follows the name, not the side.
    outcome = compare(
        "names", "Tom must pay for the repair.", "Maria must pay for the repair.", ("Maria", "Tom")
    )
    assert (outcome.lean_before, outcome.lean_after, outcome.shift) == (1.0, -1.0, -2.0)
    assert outcome.flipped and outcome.score == 0.0
    steady = compare("names", "Tom should call.", "Tom should call.", ("Maria", "Tom"))
    assert steady.shift == 0.0 and steady.score == 1.0
    assert "lean toward Maria: +1 as given, +1 with names swapped" in steady.detail
