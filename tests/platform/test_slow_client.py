"""A client that stops reading its WebSocket is dropped once its bounded buffers are full; the others
keep receiving everything."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.platform.conftest import ScriptedModel, create_room, make_settings
from tests.platform.services import serve_in_thread
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from commonground.platform import realtime
from commonground.platform.app import create_app

POSTS = 80
TEXT = "The lens was cracked when the parcel arrived, and the box was dented on one side. " * 40


def _stalled_socket(url: str) -> ClientConnection:
    """A client socket with a tiny receive buffer whose frames nobody reads."""
    address = urlsplit(url)
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((address.hostname, address.port))
    return connect(url, sock=raw, compression=None, max_queue=1)


def test_a_client_that_stops_reading_is_dropped_and_others_get_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(realtime, "SEND_TIMEOUT_S", 1.0)
    app = create_app(make_settings(tmp_path, max_message_chars=4000), model=ScriptedModel(), worker=False)
    with serve_in_thread(app, send_buffer=8192) as base, TestClient(app, base_url=base) as client:
        room = create_room(client)
        feed = f"{base.replace('http', 'ws')}/api/conversations/{room.id}/ws?token="
        healthy: list[dict] = []

        def read_all() -> None:
            with connect(feed + room.tokens["Mia"], compression=None) as socket_:
                while len(healthy) < POSTS:
                    frame = json.loads(socket_.recv(timeout=60))
                    if frame.get("kind") == "message":
                        healthy.append(frame)

        reader = threading.Thread(target=read_all)
        reader.start()
        with _stalled_socket(feed + room.tokens["Jane"]) as stalled:
            for i in range(POSTS):
                body = {"client_id": f"c{i}", "text": f"{i}: {TEXT}"[:3900]}
                response = client.post(
                    f"/api/conversations/{room.id}/messages", json=body, headers=room.auth("John")
                )
                assert response.status_code == 201
            reader.join(timeout=120)
            assert len(healthy) == POSTS
            received = 0
            with pytest.raises(ConnectionClosed):
                while True:  # what the stalled client had buffered, then the end the server put to it
                    received += json.loads(stalled.recv(timeout=30)).get("kind") == "message"
            assert received < POSTS
