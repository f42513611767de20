"""Conversation exports: JSON lines of utterance records, and a zipped ConvoKit corpus (core/convokit.py)."""

from __future__ import annotations

import io
import itertools
import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from commonground.core.conversation import Conversation, Message
from commonground.core.convokit import utterance_record, write_corpus
from commonground.platform import store
from commonground.platform.db.models import ConversationRow


def conversation(session: Session, row: ConversationRow) -> Conversation:
    """Public messages only (private originals stay in the audit log), each replying to the one before."""
    messages = [
        Message(
            id=message.id,
            speaker=author.id,
            text=message.text,
            timestamp=message.created_at,
            lang=message.lang,
            meta={
                "seq": message.seq,
                "speaker_name": author.name,
                "role": author.role,
                "is_ai": author.is_ai,
                "incivility": message.incivility,
                "derailment_risk": message.derailment_risk,
                "sent_rephrasing": message.choice != "original",
            },
        )
        for message, author in store.messages(session, row.id)
    ]
    for previous, current in itertools.pairwise(messages):
        current.reply_to = previous.id
    return Conversation(
        id=row.id,
        kind=row.kind,
        title=row.title,
        messages=messages,
        meta={"languages": row.languages, "policy": row.policy},
    )


def jsonl(session: Session, row: ConversationRow) -> str:
    """One utterance record per message, in order (ConvoKit's documented fields)."""
    exported = conversation(session, row)
    return "".join(
        json.dumps(utterance_record(message, exported.id), ensure_ascii=False) + "\n"
        for message in exported.messages
    )


def convokit_zip(session: Session, row: ConversationRow) -> bytes:
    """A zip of a ConvoKit corpus directory named `commonground-<conversation id>`."""
    speakers = {
        p.id: {"name": p.name, "role": p.role, "is_ai": p.is_ai, "lang": p.lang}
        for p in store.participants(session, row.id)
    }
    name = f"commonground-{row.id}"
    buffer = io.BytesIO()
    with (
        tempfile.TemporaryDirectory() as scratch,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        directory = write_corpus(
            [conversation(session, row)],
            Path(scratch) / name,
            speakers=speakers,
            meta={"name": name, "source": "commonground"},
        )
        for path in sorted(directory.iterdir()):
            archive.write(path, f"{name}/{path.name}")
    return buffer.getvalue()
