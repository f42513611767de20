"""PostgreSQL by URL: migrations at start-up, and a database restart mid-conversation loses nothing."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from tests.platform.conftest import Room, ScriptedModel, create_room, make_settings
from tests.platform.services import PostgresServer

from commonground.platform.app import create_app
from commonground.platform.db.models import Base


def _post(client: TestClient, room: Room, client_id: str) -> dict:
    body = {"client_id": client_id, "text": f"message {client_id}"}
    response = client.post(f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John"))
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_start_up_migrates_an_empty_postgresql_database(postgres: PostgresServer, tmp_path: Path) -> None:
    url = postgres.new_database()
    with TestClient(create_app(make_settings(tmp_path, database_url=url), worker=False)):
        pass
    engine = create_engine(url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()


def test_database_restart_mid_conversation_loses_nothing_acknowledged(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, database_url=postgres.new_database())
    with TestClient(create_app(settings, model=ScriptedModel())) as client:
        room = create_room(client)
        url = f"/api/conversations/{room.id}/ws?token={room.tokens['Jane']}"
        with client.websocket_connect(url) as socket:
            acknowledged = [_post(client, room, f"before-{i}")["id"] for i in range(3)]
            postgres.stop()
            postgres.start()
            acknowledged += [_post(client, room, f"after-{i}")["id"] for i in range(3)]
            assert _post(client, room, "after-0")["id"] == acknowledged[3]  # a retry is not a new message
            live = []
            while len(live) < len(acknowledged):
                frame = socket.receive_json()
                if frame["type"] == "event" and frame["kind"] == "message":
                    live.append(frame["payload"]["id"])
        stored = client.get(f"/api/conversations/{room.id}/messages", headers=room.auth("Jane")).json()
    assert live == acknowledged
    assert [m["id"] for m in stored] == acknowledged
