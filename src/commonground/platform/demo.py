"""The demo conversation: the camera dispute (John buyer, Jane seller) with a mediator, ready to open,
readable in English or French.

Seeded once per database; later runs reuse it and print fresh invitation links.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.platform.conversations import create_conversation, invitation
from commonground.platform.db.models import ConversationRow, ParticipantRow
from commonground.platform.flow import store_message
from commonground.platform.runtime import Platform
from commonground.platform.schemas import ConversationCreate, ParticipantCreate

DEMO_TITLE = "Used camera: cracked lens"
SEEDED_MESSAGES = 4


def seed_demo(platform: Platform) -> dict[str, str]:
    """The links to open, by person (and the administrator's page)."""
    with platform.session() as session:
        existing = session.scalars(select(ConversationRow).where(ConversationRow.title == DEMO_TITLE)).first()
        links = _fresh_links(platform, session, existing.id) if existing else _create(platform, session)
    base = links["John"].split("/join/")[0]
    return links | {"Administrator": f"{base}/admin?key={platform.admin_key}"}


def _create(platform: Platform, session: Session) -> dict[str, str]:
    transcript = read_transcript(EXAMPLES_DIR / "camera.jsonl")
    people = [
        ParticipantCreate(name="John"),
        ParticipantCreate(name="Jane"),
        ParticipantCreate(name="Mediator", role="mediator"),
    ]
    body = ConversationCreate(title=DEMO_TITLE, languages=["en", "fr"], participants=people)
    created = create_conversation(platform, session, body)
    ids = {i.participant.name: i.participant.id for i in created.invitations}
    for message in transcript.messages[:SEEDED_MESSAGES]:
        author = session.get(ParticipantRow, ids[message.speaker])
        store_message(platform, session, author, client_id=f"demo-{message.id}", text=message.text)
    return {i.participant.name: i.url for i in created.invitations}


def _fresh_links(platform: Platform, session: Session, conversation_id: str) -> dict[str, str]:
    people = session.scalars(
        select(ParticipantRow).where(ParticipantRow.conversation_id == conversation_id, ~ParticipantRow.is_ai)
    )
    return {person.name: invitation(platform, person).url for person in people}
