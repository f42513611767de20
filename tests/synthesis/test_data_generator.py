"""The data-only generator end to end on samples of the real data sets (tests/data): ground truth by
construction, reproducibility, deduplication and the ConvoKit export read back by the project's reader."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commonground.cli import app
from commonground.core.conversation import Conversation
from commonground.core.convokit import read_corpus
from commonground.signals.incivility.data import load_examples
from commonground.synthesis.export import read_jsonl, write_convokit
from commonground.synthesis.generators.base import generate
from commonground.synthesis.generators.data import DataGenerator
from commonground.synthesis.plan import Planner, Spec
from commonground.synthesis.quality import Deduplicator
from commonground.synthesis.utterances import clean, escalation_of

runner = CliRunner()


def conversations(data_dir: Path, **settings: object) -> list[Conversation]:
    spec = Spec(data_dir=data_dir, **settings)  # type: ignore[arg-type]
    generator = DataGenerator()
    planner = Planner(spec, languages=generator.languages, needs_openings=True)
    generator.prepare(planner)
    return list(generate(generator, planner))


@pytest.fixture(scope="module")
def mixed(test_data: Path) -> list[Conversation]:
    """300 conversations of every trajectory, in English and German, 2 to 9 turns."""
    return conversations(test_data, count=300, turns=(2, 9), languages=("en", "de"), seed=7)


@pytest.fixture(scope="module")
def human_labels(test_data: Path) -> dict[tuple[str, str], set[int]]:
    """The human labels of each cleaned training-split message, by (language, text)."""
    labels: dict[tuple[str, str], set[int]] = {}
    for example in load_examples(test_data):
        if example.split == "train":
            labels.setdefault((example.lang, clean(example.text)), set()).add(example.label)
    return labels


def test_labels_and_derailment_points_hold_by_construction(
    mixed: list[Conversation], human_labels: dict[tuple[str, str], set[int]]
) -> None:
    assert Counter(c.meta["trajectory"] for c in mixed).keys() == {"civil", "derail", "recover"}
    assert {c.meta["lang"] for c in mixed} == {"en", "de"}
    for conversation in mixed:
        meta, messages = conversation.meta, conversation.messages
        assert 2 <= len(messages) <= 9
        labels = [m.meta["label"] for m in messages]
        k = meta["derail_turn"]
        if meta["trajectory"] == "civil":
            assert k is None and set(labels) == {"civil"}
            continue
        derailing = messages[k - 1]
        assert labels[: k - 1] == ["civil"] * (k - 1)
        assert derailing.meta["stage"] == "derailment" and derailing.meta["label"] == "uncivil"
        assert derailing.meta["escalation"] == meta["escalation"]
        assert escalation_of(derailing.text, conversation.meta["lang"]) == meta["escalation"]
        if meta["trajectory"] == "recover":
            mediator = messages[k]
            assert mediator.speaker == "Mediator" and mediator.text.startswith("[AI mediator]")
            assert mediator.lang == "en"  # the intervene task's own message is English
            assert meta["intervention_turn"] == k + 1 and set(labels[k:]) == {"civil"}
        for message in messages:
            if message.meta["source"] in ("paradetox", "davidson", "germeval", "textdetox"):
                truth = human_labels[conversation.meta["lang"], message.text]
                assert int(message.meta["label"] == "uncivil") in truth, message.text


def test_parties_alternate_and_openings_come_from_the_scenario(mixed: list[Conversation]) -> None:
    for conversation in mixed:
        parties = [m.speaker for m in conversation.messages if m.speaker != "Mediator"]
        assert all(a != b for a, b in itertools.pairwise(parties))
        first = conversation.messages[0]
        assert first.meta["stage"] == "opening"
        assert first.meta["source"] == ("habermas" if conversation.kind == "deliberation" else "scenario")
        assert [m.reply_to for m in conversation.messages[1:]] == [m.id for m in conversation.messages[:-1]]


def test_a_fixed_derail_turn_and_escalation(test_data: Path) -> None:
    made = conversations(
        test_data, count=40, turns=(5, 8), derail_turn=4, mix={"recover": 1}, escalations=("sarcasm",)
    )
    assert {(c.meta["derail_turn"], c.meta["escalation"], c.meta["intervention_turn"]) for c in made} == {
        (4, "sarcasm", 5)
    }


def test_same_seed_same_bytes_other_seed_other_conversations(tmp_path: Path, test_data: Path) -> None:
    outputs = []
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        args = ["synth", "--count", "25", "--seed", seed, "--turns", "3-7", "--data", str(test_data)]
        result = runner.invoke(app, [*args, "--out", str(tmp_path / name), "--no-report"])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name / "conversations.jsonl").read_bytes())
    assert outputs[0] == outputs[1] != outputs[2]
    assert len(outputs[0].splitlines()) == 25


def test_duplicates_are_replaced(test_data: Path) -> None:
    """Two dispute cases, two turns, one persona: openings repeat, so most plans are duplicates."""
    deduplicator = Deduplicator()
    spec = Spec(
        count=30,
        scenarios=("camera", "leak"),
        personas=("steady",),
        turns=(2, 2),
        mix={"civil": 1},
        data_dir=test_data,
    )
    generator = DataGenerator()
    planner = Planner(spec, languages=generator.languages, needs_openings=True)
    generator.prepare(planner)
    made = list(generate(generator, planner, deduplicator=deduplicator))
    assert sorted(c.meta["scenario"] for c in made) == ["camera", "leak"]
    assert deduplicator.dropped == 30 * 3 - 2  # every attempt allowed, each a duplicate but the first two


def test_convokit_export_reads_back(tmp_path: Path, mixed: list[Conversation]) -> None:
    sample = mixed[:20]
    corpus = read_corpus(write_convokit(sample, tmp_path / "corpus"))
    assert [c.id for c in corpus.conversations] == [c.id for c in sample]
    for original, read in zip(sample, corpus.conversations, strict=True):
        assert [m.text for m in read.messages] == [m.text for m in original.messages]
        assert [m.meta["label"] for m in read.messages] == [m.meta["label"] for m in original.messages]
        assert read.meta["derail_turn"] == original.meta["derail_turn"]
        assert read.meta["conversation_has_personal_attack"] == original.meta["derails"]
        assert [m.meta["comment_has_personal_attack"] for m in read.messages] == [
            m.meta["label"] == "uncivil" for m in original.messages
        ]
        assert {m.speaker for m in read.messages} == {f"{original.id}/{m.speaker}" for m in original.messages}
    speaker = corpus.speakers[f"{sample[0].id}/{sample[0].messages[0].speaker}"]
    assert speaker["name"] == sample[0].messages[0].speaker and speaker["temperament"]
    assert "habermas" in corpus.meta["sources"]


def test_cli_writes_jsonl_corpus_and_report(tmp_path: Path, test_data: Path) -> None:
    out = tmp_path / "run"
    args = ["synth", "--count", "12", "--seed", "1", "--data", str(test_data), "--mix", "derail=1"]
    result = runner.invoke(app, [*args, "--format", "both", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(out / "conversations.jsonl")) == 12
    assert len(read_corpus(out / "corpus").conversations) == 12
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["composition"]["trajectory"] == {"derail": 12}
    assert report["labels"]["by_escalation"] and report["personas"]["personas"] == 24
    again = runner.invoke(app, ["synth", "report", str(out / "conversations.jsonl"), "--no-labels"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["diversity"] == report["diversity"]


def test_listings_name_scenarios_and_personas(test_data: Path) -> None:
    scenarios = runner.invoke(app, ["synth", "scenarios", "--data", str(test_data)], terminal_width=200)
    assert scenarios.exit_code == 0 and "camera" in scenarios.stdout
    questions = json.loads((test_data / "habermas" / "230118_chinchilla_questions.json").read_text("utf-8"))
    counted = f"{len(questions):,} questions on {len({q['topic'] for q in questions})} topics"
    assert counted in scenarios.stdout and "CC BY 4.0" in scenarios.stdout
    personas = runner.invoke(app, ["synth", "personas"], terminal_width=200)
    assert personas.exit_code == 0 and "relentless" in personas.stdout and "sarcastic" in personas.stdout
