"""Blind, randomised, reproducible annotation batches, and the private key that unblinds them.

A batch holds only what annotators see: items with their context and texts, and the rubric. Which system
wrote which text, which source an item comes from, the left/right order of a pair and the answers expected of
attention checks are in the key, a separate file never shown to annotators. The same outputs and seed give
the same batch and key; each annotator sees the items in an order of their own, also reproducible.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from commonground.core.errors import InputError, first_problem
from commonground.core.records import read_json
from commonground.evaluation.human.answers import Answer
from commonground.evaluation.human.rubric import SCALE, Rubric
from commonground.evaluation.human.sources import KINDS, Kind, KindName, Output

BATCH_FORMAT = "commonground-annotation-batch/1"
KEY_FORMAT = "commonground-annotation-key/1"
M = TypeVar("M", bound=BaseModel)


class Item(BaseModel):
    """One thing to rate, as annotators see it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=40)
    context: str = ""
    texts: dict[str, str]


class Batch(BaseModel):
    """What annotators see: the kind, the rubric and the items; nothing that names a system."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["commonground-annotation-batch/1"] = BATCH_FORMAT
    id: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    kind: KindName
    rubric: Rubric
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _texts_fit_the_kind(self) -> Batch:
        sides = list(self.kind_spec.sides)
        for number, item in enumerate(self.items):
            if list(item.texts) != sides:
                raise ValueError(f"items.{number}.texts: a {self.kind} item has the texts {', '.join(sides)}")
        if len(self.by_id) != len(self.items):
            raise ValueError("items: every item id must be unique")
        return self

    @property
    def kind_spec(self) -> Kind:
        return KINDS[self.kind]

    @cached_property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def order_for(self, annotator: str) -> list[Item]:
        """The items in the annotator's own random order, the same every time."""
        order = list(self.items)
        random.Random(f"{self.id}:{annotator}").shuffle(order)
        return order


class KeyEntry(BaseModel):
    """The truth about an item: its source and the system behind each side, or an attention check's answer."""

    item: str
    source: str | None = None
    systems: dict[str, str] = Field(default_factory=dict)
    expected: Answer | None = None


class Key(BaseModel):
    """The private key of one batch."""

    format: Literal["commonground-annotation-key/1"] = KEY_FORMAT
    batch: str
    seed: int
    systems: list[str]
    entries: list[KeyEntry]

    @cached_property
    def by_item(self) -> dict[str, KeyEntry]:
        return {entry.item: entry for entry in self.entries}


@dataclass(frozen=True)
class _Candidate:
    item: Item
    entry: KeyEntry


def build_batch(
    kind: Kind,
    outputs: Mapping[str, Sequence[Output]],
    *,
    rubric: Rubric,
    seed: int = 0,
    attention_checks: int = 0,
    name: str | None = None,
) -> tuple[Batch, Key]:
    """A shuffled batch of `outputs` (system name → outputs) and its key.

    Single kinds get one item per output; pairwise kinds one item per pair of systems with an output for the
    same source, sides drawn at random. `attention_checks` items ask for a given answer.
    """
    rng = random.Random(seed)
    systems = sorted(outputs)
    if kind.pairwise and len(systems) < 2:
        raise InputError(f"a {kind.name} batch compares two or more systems; got {len(systems)}")
    candidates = _pairs(outputs, systems, rng) if kind.pairwise else _singles(outputs, systems)
    if not candidates:
        raise InputError(
            f"nothing to rate: no source has outputs from {'two systems' if kind.pairwise else 'any'}"
        )
    candidates += [_attention_check(kind, rubric, rng) for _ in range(attention_checks)]
    rng.shuffle(candidates)
    width = max(3, len(str(len(candidates))))
    items, entries = [], []
    for number, candidate in enumerate(candidates, start=1):
        item_id = f"item-{number:0{width}d}"
        items.append(candidate.item.model_copy(update={"id": item_id}))
        entries.append(candidate.entry.model_copy(update={"item": item_id}))
    content = json.dumps(
        [kind.name, rubric.model_dump(), [item.model_dump() for item in items]], sort_keys=True
    )
    batch_id = hashlib.sha256(content.encode()).hexdigest()[:16]
    batch = Batch(
        id=batch_id, name=name or f"{kind.name} {batch_id}", kind=kind.name, rubric=rubric, items=items
    )
    return batch, Key(batch=batch_id, seed=seed, systems=systems, entries=entries)


def _singles(outputs: Mapping[str, Sequence[Output]], systems: list[str]) -> list[_Candidate]:
    return [
        _Candidate(
            Item(id="new", context=output.context, texts={"text": output.text}),
            KeyEntry(item="new", source=output.source, systems={"text": system}),
        )
        for system in systems
        for output in outputs[system]
    ]


def _pairs(
    outputs: Mapping[str, Sequence[Output]], systems: list[str], rng: random.Random
) -> list[_Candidate]:
    by_source: dict[str, dict[str, Output]] = {}
    for system in systems:
        for output in outputs[system]:
            by_source.setdefault(output.source, {})[system] = output
    candidates = []
    for source in sorted(by_source):
        present = by_source[source]
        for pair in combinations(sorted(present), 2):
            left, right = pair if rng.random() < 0.5 else pair[::-1]
            context = present[left].context or present[right].context
            texts = {"left": present[left].text, "right": present[right].text}
            candidates.append(
                _Candidate(
                    Item(id="new", context=context, texts=texts),
                    KeyEntry(item="new", source=source, systems={"left": left, "right": right}),
                )
            )
    return candidates


def _attention_check(kind: Kind, rubric: Rubric, rng: random.Random) -> _Candidate:
    value = rng.choice(SCALE)
    side = rng.choice(kind.sides) if kind.pairwise else None
    ask = f"prefer the {side} text and rate every question {value} for both texts" if side else ""
    text = f"Attention check: please {ask or f'rate every question {value}'}."
    expected = Answer(ratings={s: dict.fromkeys(rubric.names, value) for s in kind.sides}, preference=side)
    return _Candidate(
        Item(id="new", texts=dict.fromkeys(kind.sides, text)), KeyEntry(item="new", expected=expected)
    )


def parse_batch(data: Any, *, source: str) -> Batch:
    """A batch from parsed JSON; anything else (a key, say) is an InputError naming `source` and the field."""
    return _parse(data, Batch, source=source)


def read_batch(path: Path) -> Batch:
    return parse_batch(read_json(path), source=str(path))


def read_key(path: Path) -> Key:
    return _parse(read_json(path), Key, source=str(path))


def write(path: Path, document: Batch | Key) -> None:
    """Write a batch or a key as indented JSON."""
    path.write_text(document.model_dump_json(indent=2) + "\n", encoding="utf-8")


def _parse(data: Any, model: type[M], *, source: str) -> M:
    names = {BATCH_FORMAT: "an annotation batch", KEY_FORMAT: "an annotation key"}
    wanted = model.model_fields["format"].default
    found = data.get("format") if isinstance(data, dict) else None
    if found != wanted:
        got = names.get(found) or ("no 'format' field" if found is None else f"format {found!r}")
        raise InputError(f"{source}: expected {names[wanted]}, got {got}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(f"{source}: {first_problem(error)}") from None
