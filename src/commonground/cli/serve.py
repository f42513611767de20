"""`commonground serve`: the web platform, optionally with the camera dispute ready as a demo."""

from __future__ import annotations

import logging

import typer
import uvicorn

from commonground.core.settings import load_settings
from commonground.core.transcripts import read_transcript
from commonground.examples import EXAMPLES_DIR
from commonground.platform.app import create_app
from commonground.platform.conversations import create_conversation
from commonground.platform.db.models import ParticipantRow
from commonground.platform.flow import store_message
from commonground.platform.runtime import Platform
from commonground.platform.schemas import ConversationCreate, ParticipantCreate

log = logging.getLogger(__name__)


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


def serve(
    demo: bool = typer.Option(
        False, "--demo", help="Seed the camera dispute and print its invitation links."
    ),
    host: str | None = typer.Option(None, help="Address to listen on (setting platform.host)."),
    port: int | None = typer.Option(None, help="Port to listen on (setting platform.port)."),
) -> None:
    """Start the web platform (HTTP, WebSockets, pages) on the configured database."""
    overrides = {key: value for key, value in (("host", host), ("port", port)) if value is not None}
    settings = load_settings()
    if overrides:
        settings = settings.model_copy(update={"platform": settings.platform.model_copy(update=overrides)})
    app = create_app(settings)
    if demo:
        for name, url in seed_demo(app.state.platform).items():
            typer.echo(f"{name:>13}: {url}")
    else:
        typer.echo(
            f"Administrator: http://{settings.platform.host}:{settings.platform.port}/admin?key={app.state.platform.admin_key}"
        )
    uvicorn.run(
        app,
        host=settings.platform.host,
        port=settings.platform.port,
        log_level="info",
        ws="websockets-sansio",
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
