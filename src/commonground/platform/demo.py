"""The demo conversation: the camera dispute (John buyer, Jane seller) with a mediator, ready to open."""

from __future__ import annotations

from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.platform.conversations import create_conversation
from commonground.platform.db.models import ParticipantRow
from commonground.platform.flow import store_message
from commonground.platform.runtime import Platform
from commonground.platform.schemas import ConversationCreate, ParticipantCreate


def seed_demo(platform: Platform) -> dict[str, str]:
    """The camera dispute (John buyer, Jane seller) with a mediator; the links to open, by person."""
    transcript = read_transcript(EXAMPLES_DIR / "camera.jsonl")
    people = [
        ParticipantCreate(name="John"),
        ParticipantCreate(name="Jane"),
        ParticipantCreate(name="Mediator", role="mediator"),
    ]
    body = ConversationCreate(title="Used camera: cracked lens", participants=people)
    with platform.session() as session:
        created = create_conversation(platform, session, body)
        links = {i.participant.name: i.url for i in created.invitations}
        ids = {i.participant.name: i.participant.id for i in created.invitations}
        for message in transcript.messages[:4]:
            author = session.get(ParticipantRow, ids[message.speaker])
            store_message(platform, session, author, client_id=f"demo-{message.id}", text=message.text)
    base = links["John"].split("/join/")[0]
    links["Administrator"] = f"{base}/admin?key={platform.admin_key}"
    return links
