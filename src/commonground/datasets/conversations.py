"""Conversations for forecasting: Conversations Gone Awry (CMV), ConvoKit corpora, the platform's exports.

A `ForecastCase` is a conversation up to the point of prediction and whether it then derails:

- Conversations Gone Awry, CMV (`cmv_base_valid.json`): each line's `src` holds the comments before the point
  of prediction, joined by `[SEP]`, and `tgt` whether the next comment is a personal attack. A line may add an
  external forecaster's risk: `score` (after the last comment) or `scores` (after each comment).
- A ConvoKit corpus labelled as ConvoKit's Conversations Gone Awry corpora are: the conversation meta
  `conversation_has_personal_attack` says whether it derails, the utterance meta
  `comment_has_personal_attack` marks the derailing utterance. The context of a derailing conversation is
  every utterance before its first attack; of a calm one, every utterance but the last (as CRAFT is
  evaluated). An external risk after an utterance is its meta `score`. All three names can be changed.

Platform exports (JSON lines or a zipped ConvoKit corpus) read back into `Conversation`s.
Malformed files raise InputError naming the file, the line (or conversation) and the bad field.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from commonground.core.conversation import Conversation
from commonground.core.convokit import read_corpus, read_utterances
from commonground.core.errors import InputError
from commonground.core.records import json_lines
from commonground.datasets.labelled import parse_label, parse_score

ForecastFormat = Literal["auto", "cga", "convokit"]
FORECAST_FORMATS: tuple[str, ...] = get_args(ForecastFormat)
DERAILS_KEY = "conversation_has_personal_attack"
ATTACK_KEY = "comment_has_personal_attack"
SCORE_KEY = "score"
SEPARATOR = "[SEP]"


@dataclass(frozen=True)
class ForecastCase:
    """The messages before the point of prediction (oldest first), whether the conversation then derails, and
    an external forecaster's risk after each message (None where not given)."""

    id: str
    texts: tuple[str, ...]
    derails: bool
    scores: tuple[float | None, ...] | None = None


def read_forecast_cases(
    path: Path,
    *,
    format: ForecastFormat = "auto",
    derails_key: str = DERAILS_KEY,
    attack_key: str = ATTACK_KEY,
    score_key: str = SCORE_KEY,
) -> list[ForecastCase]:
    """Cases of a CGA file or a ConvoKit corpus directory (`auto`: a directory is a corpus)."""
    if format == "convokit" or (format == "auto" and path.is_dir()):
        return corpus_cases(path, derails_key=derails_key, attack_key=attack_key, score_key=score_key)
    return read_cga(path)


def read_cga(path: Path) -> list[ForecastCase]:
    """Cases of a Conversations Gone Awry (CMV) file, in file order."""
    cases = []
    for line, record in json_lines(path):
        where = f"{path}:{line}"
        for name in ("src", "tgt", "convo_id"):
            if name not in record:
                raise InputError(f"{where}: missing column {name!r}")
        if not isinstance(record["src"], str):
            raise InputError(f"{where}: column 'src' must be a string")
        texts = tuple(part.strip() for part in record["src"].split(SEPARATOR))
        cases.append(
            ForecastCase(
                id=str(record["convo_id"]),
                texts=texts,
                derails=bool(parse_label(record["tgt"], "tgt", where)),
                scores=_cga_scores(record, len(texts), where),
            )
        )
    return cases


def corpus_cases(
    directory: Path,
    *,
    derails_key: str = DERAILS_KEY,
    attack_key: str = ATTACK_KEY,
    score_key: str = SCORE_KEY,
) -> list[ForecastCase]:
    """Cases of a labelled ConvoKit corpus; conversations with no context to forecast from are left out."""
    cases = []
    for conversation in read_corpus(directory).conversations:
        where = f"{directory}/conversations.json: conversation {conversation.id}"
        if derails_key not in conversation.meta:
            raise InputError(f"{where}: missing meta {derails_key!r}")
        derails = bool(parse_label(conversation.meta[derails_key], derails_key, where))
        attacks = [
            index
            for index, message in enumerate(conversation.messages)
            if message.meta.get(attack_key) is not None
            and parse_label(message.meta[attack_key], attack_key, f"{where}, utterance {message.id}")
        ]
        if derails and not attacks:
            raise InputError(f"{where}: derails, but no utterance has meta {attack_key!r} true")
        end = attacks[0] if derails else len(conversation.messages) - 1
        context = conversation.messages[:end]
        if not context:
            continue
        scores = tuple(
            parse_score(m.meta.get(score_key), score_key, f"{where}, utterance {m.id}") for m in context
        )
        cases.append(
            ForecastCase(
                id=conversation.id,
                texts=tuple(m.text for m in context),
                derails=derails,
                scores=scores if any(s is not None for s in scores) else None,
            )
        )
    return cases


def read_platform_export(path: Path) -> list[Conversation]:
    """Conversations of a platform export: JSON lines, a ConvoKit zip, or an unzipped corpus directory."""
    if path.is_dir():
        return read_corpus(path).conversations
    if path.suffix.lower() == ".zip":
        return _zipped_corpus(path)
    return [Conversation(id=cid, messages=messages) for cid, messages in read_utterances(path).items()]


def _zipped_corpus(path: Path) -> list[Conversation]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(f"{path}: not a zip archive ({error})") from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        archive.extractall(scratch)
        found = sorted(Path(scratch).rglob("utterances.jsonl"))
        if not found:
            raise InputError(f"{path}: no ConvoKit corpus (utterances.jsonl) in the archive")
        return [c for corpus in found for c in read_corpus(corpus.parent).conversations]


def _cga_scores(record: dict[str, Any], count: int, where: str) -> tuple[float | None, ...] | None:
    if "scores" in record:
        scores = record["scores"]
        if not isinstance(scores, list) or len(scores) != count:
            raise InputError(f"{where}: column 'scores' must be a list of {count} numbers, one per comment")
        return tuple(parse_score(score, "scores", where) for score in scores)
    if record.get("score") is not None:
        return (None,) * (count - 1) + (parse_score(record["score"], "score", where),)
    return None
