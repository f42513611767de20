"""Quality control on a tiny set worked out by hand: deduplication, label agreement with the real detector,
distinct-n, topics and persona coverage."""

from __future__ import annotations

import math

from commonground.core.conversation import Conversation, Message
from commonground.synthesis.diversity import distinct_n, lexical, persona_coverage, topical
from commonground.synthesis.personas import profiles
from commonground.synthesis.quality import deduplicate, label_agreement
from commonground.synthesis.report import quality_report


def conversation(cid: str, topic: str, *turns: tuple[str, str], persona: str = "steady") -> Conversation:
    messages = [
        Message(id=f"{cid}-{i}", speaker="AB"[i % 2], text=text, lang="en", meta={"label": label})
        for i, (text, label) in enumerate(turns)
    ]
    personas = [
        {"speaker": "A", "profile": persona, "temperament": "calm", "verbosity": "moderate", "lang": "en",
         "stance": "claimant"},
        {"speaker": "B", "profile": "blunt", "temperament": "combative", "verbosity": "terse", "lang": "en",
         "stance": "respondent"},
    ]  # fmt: skip
    return Conversation(
        id=cid, messages=messages, meta={"topic": topic, "scenario": topic, "personas": personas}
    )


CIVIL = ("Thank you for explaining, I appreciate it.", "civil")
INSULT = ("You are a stupid idiot.", "uncivil")
MISLABELLED = ("Shut up, you clueless moron.", "civil")  # labelled civil, plainly uncivil

SET = [
    conversation("a", "camera", ("the cat sat", "civil"), ("the cat ran", "civil")),
    conversation("b", "camera", ("The cat sat!", "civil"), ("the  CAT ran.", "civil")),  # a duplicate of a
    conversation("c", "leak", CIVIL, INSULT, MISLABELLED, persona="wry"),
]


def test_duplicates_ignore_case_spacing_and_punctuation() -> None:
    kept, dropped = deduplicate(SET)
    assert [c.id for c in kept] == ["a", "c"] and dropped == 1


def test_label_agreement_per_label() -> None:
    report = label_agreement(SET[2:])
    # civil: "Thank you..." agreed, "Shut up..." not -> 1/2; uncivil: the insult agreed -> 1/1
    assert report["by_label"]["civil"]["value"] == 0.5 and report["by_label"]["civil"]["n"] == 2
    assert report["by_label"]["uncivil"]["value"] == 1.0 and report["by_label"]["uncivil"]["n"] == 1
    assert report["agreement"]["value"] == round(2 / 3, 4)
    # truth (civil, uncivil, civil) against flags (no, yes, yes): p_o = 2/3, p_e = 2/3*1/3 + 1/3*2/3 = 4/9
    assert math.isclose(report["cohen_kappa"], round((2 / 3 - 4 / 9) / (1 - 4 / 9), 4))
    [wrong] = report["disagreements"]
    assert wrong["message"] == "c-2" and wrong["probability"] >= report["threshold"]


def test_distinct_n_by_hand() -> None:
    texts = ["the cat sat", "the cat ran"]
    assert distinct_n(texts, 1) == round(4 / 6, 4)  # the, cat, sat, ran of six tokens
    assert distinct_n(texts, 2) == 0.75  # (the cat) twice, (cat sat), (cat ran)
    assert distinct_n(texts, 3) == 1.0
    assert distinct_n(["one"], 2) == 0.0


def test_lexical_topical_and_persona_figures() -> None:
    kept = SET[:1] + SET[2:]
    assert lexical(SET)["reused_messages"] == round(4 / 7, 4)  # a's and b's four messages occur twice
    assert lexical(kept)["messages"] == 5
    topics = topical(SET)
    # topics camera, camera, leak: H = -(2/3 log2 2/3 + 1/3 log2 1/3)
    assert topics["topics"] == 2 and topics["topic_entropy_bits"] == round(math.log2(3) - 2 / 3, 4)
    coverage = persona_coverage(kept, profiles())
    assert coverage["profile"] == {"blunt": 2, "steady": 1, "wry": 1}
    assert coverage["profile_coverage"] == 3 / 8
    assert coverage["stance"] == {"claimant": 2, "respondent": 2}


def test_report_counts_remaining_duplicates() -> None:
    report = quality_report(SET, validate_labels=False)
    assert report["duplicates"] == {"dropped_during_generation": 0, "remaining": 1}
    assert report["labels"] is None and report["composition"]["conversations"] == 3
