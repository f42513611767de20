"""The platform's exports read back by the evaluation loaders: JSON lines and the zipped ConvoKit corpus."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room

from commonground.core.convokit import read_corpus
from commonground.datasets import read_platform_export

LINES = [
    ("John", "It arrived broken."),
    ("Jane", "Es funktionierte beim Versand."),
    ("John", "Photos attached."),
]


def test_both_exports_read_back_alike(client: TestClient, room: Room, tmp_path: Path) -> None:
    for number, (name, text) in enumerate(LINES):
        response = client.post(
            f"/api/conversations/{room.id}/messages",
            json={"client_id": str(number), "text": text},
            headers=room.auth(name),
        )
        assert response.status_code in (200, 201), response.text
    url = f"/api/admin/conversations/{room.id}/export"
    (tmp_path / "export.jsonl").write_bytes(client.get(url, headers=ADMIN).content)
    (tmp_path / "export.zip").write_bytes(client.get(f"{url}?format=convokit", headers=ADMIN).content)

    [from_lines] = read_platform_export(tmp_path / "export.jsonl")
    [from_zip] = read_platform_export(tmp_path / "export.zip")
    assert from_lines.id == from_zip.id == room.id
    assert [m.text for m in from_zip.messages] == [text for _, text in LINES]
    assert [m.speaker for m in from_zip.messages] == [room.ids[name] for name, _ in LINES]
    first, second, third = from_zip.messages
    assert (first.reply_to, second.reply_to, third.reply_to) == (None, first.id, second.id)
    assert first.timestamp is not None and first.timestamp <= second.timestamp <= third.timestamp
    assert second.meta["speaker_name"] == "Jane" and first.meta["seq"] < second.meta["seq"]
    assert from_lines.messages == from_zip.messages
    assert from_zip.title == "Camera" and from_zip.meta["languages"] == ["en"]

    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    corpus = read_corpus(tmp_path / "unzipped" / f"commonground-{room.id}")
    assert corpus.speakers[room.ids["Jane"]]["name"] == "Jane"
    assert any(meta["is_ai"] and meta["role"] == "mediator" for meta in corpus.speakers.values())
