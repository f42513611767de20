"""Conversation exports: JSON lines, and a ConvoKit corpus (utterances, speakers, conversations, corpus)."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from typing import Any

from sqlalchemy.orm import Session

from commonground.platform import store
from commonground.platform.db.models import ConversationRow


def _utterances(session: Session, row: ConversationRow) -> list[dict[str, Any]]:
    """Public messages only (private originals stay in the audit log), each replying to the one before."""
    utterances = [
        {
            "id": message.id,
            "speaker": author.id,
            "conversation_id": row.id,
            "reply_to": None,
            "timestamp": message.created_at.timestamp(),
            "text": message.text,
            "meta": {
                "seq": message.seq,
                "speaker_name": author.name,
                "role": author.role,
                "is_ai": author.is_ai,
                "lang": message.lang,
                "incivility": message.incivility,
                "derailment_risk": message.derailment_risk,
                "sent_rephrasing": message.choice != "original",
            },
        }
        for message, author in store.messages(session, row.id)
    ]
    for previous, current in itertools.pairwise(utterances):
        current["reply_to"] = previous["id"]
    return utterances


def jsonl(session: Session, row: ConversationRow) -> str:
    """One JSON object per message, in order."""
    return "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in _utterances(session, row))


def convokit_zip(session: Session, row: ConversationRow) -> bytes:
    """A zip of a ConvoKit corpus directory named after the conversation."""
    utterances = _utterances(session, row)
    speakers = {
        p.id: {"name": p.name, "role": p.role, "is_ai": p.is_ai, "lang": p.lang}
        for p in store.participants(session, row.id)
    }
    conversations = {
        row.id: {"title": row.title, "kind": row.kind, "languages": row.languages, "policy": row.policy}
    }
    files = {
        "utterances.jsonl": "".join(json.dumps(u, ensure_ascii=False) + "\n" for u in utterances),
        "speakers.json": json.dumps(speakers, ensure_ascii=False),
        "conversations.json": json.dumps(conversations, ensure_ascii=False),
        "corpus.json": json.dumps({"name": f"commonground-{row.id}", "source": "commonground"}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"commonground-{row.id}/{name}", content)
    return buffer.getvalue()
