"""Annotation on the platform: upload, links, rating, the ratings download, and who may see what."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from tests.platform.conftest import ADMIN, Room

from commonground.evaluation.human.batch import Batch, Key, build_batch
from commonground.evaluation.human.rubric import load_rubric
from commonground.evaluation.human.sheets import import_sheets
from commonground.evaluation.human.sources import KINDS, Output

BATCHES = "/api/admin/annotation/batches"


def make_batch(*, sources: int = 3, seed: int = 0) -> tuple[Batch, Key]:
    """A pairwise batch: drafts of two systems for `sources` conversations, rated on civility and fluency."""
    outputs = {
        system: [
            Output(f"t{n}", f"{wording} draft number {n}.", f"John: message {n}") for n in range(sources)
        ]
        for system, wording in (("qwen-local", "A calm"), ("gpt-remote", "A warm"))
    }
    rubric = load_rubric().select(["civility", "fluency"])
    return build_batch(KINDS["draft"], outputs, rubric=rubric, seed=seed)


def upload(client: TestClient, batch: Batch, names: list[str]) -> dict[str, str]:
    """Upload the batch and return a token per annotator."""
    created = client.post(BATCHES, json=batch.model_dump(mode="json"), headers=ADMIN)
    assert created.status_code == 201, created.text
    links = client.post(f"{BATCHES}/{batch.id}/annotators", json={"names": names}, headers=ADMIN)
    assert links.status_code == 201, links.text
    return {link["annotator"]: link["token"] for link in links.json()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


ANSWER = {"ratings": {"left": {"civility": 5, "fluency": 4}, "right": {"civility": 2}}, "preference": "left"}


def test_upload_links_rating_and_the_download_the_import_reads(client: TestClient, tmp_path: Path) -> None:
    batch, key = make_batch()
    tokens = upload(client, batch, ["alice", "bob"])
    listed = client.get(BATCHES, headers=ADMIN).json()
    assert [(b["id"], b["items"], b["annotators"]) for b in listed] == [(batch.id, 3, ["alice", "bob"])]
    again = client.post(f"{BATCHES}/{batch.id}/annotators", json={"names": ["alice"]}, headers=ADMIN).json()
    assert again[0]["url"].endswith(f"/annotate/{again[0]['token']}")
    assert client.get(BATCHES, headers=ADMIN).json()[0]["annotators"] == ["alice", "bob"]

    view = client.get(f"/api/annotation/{batch.id}/items", headers=bearer(tokens["alice"])).json()
    order = [place["item"]["id"] for place in view["items"]]
    assert order == [item.id for item in batch.order_for("alice")]
    assert "qwen-local" not in str(view) and view["rubric"]["criteria"][0]["anchors"]["5"]
    first = order[0]
    saved = client.put(
        f"/api/annotation/{batch.id}/items/{first}", json=ANSWER, headers=bearer(tokens["alice"])
    )
    assert saved.status_code == 200, saved.text
    changed = ANSWER | {"preference": "tie", "comment": "Both fine."}
    client.put(f"/api/annotation/{batch.id}/items/{first}", json=changed, headers=bearer(tokens["alice"]))
    client.put(f"/api/annotation/{batch.id}/items/{order[1]}", json=ANSWER, headers=bearer(tokens["bob"]))

    sheet = client.get(f"{BATCHES}/{batch.id}/ratings", headers=ADMIN)
    assert sheet.headers["content-type"].startswith("text/csv")
    assert len(sheet.text.strip().splitlines()) == 1 + 2 * 3  # every item of every annotator
    (tmp_path / "ratings.csv").write_bytes(sheet.content)
    judgements = {j.annotator: j for j in import_sheets(batch, key, [tmp_path / "ratings.csv"])}
    assert set(judgements) == {"alice", "bob"}
    alice, entry = judgements["alice"], key.by_item[first]
    assert (alice.item, alice.preference, alice.comment) == (first, "tie", "Both fine.")
    assert alice.ratings == {
        entry.systems["left"]: {"civility": 5, "fluency": 4},
        entry.systems["right"]: {"civility": 2},
    }
    assert judgements["bob"].preference == key.by_item[order[1]].systems["left"]


def test_bad_uploads_and_answers_get_clear_errors(client: TestClient) -> None:
    batch, key = make_batch()
    assert client.post(BATCHES, json=key.model_dump(mode="json"), headers=ADMIN).json()["detail"] == (
        "the uploaded batch: expected an annotation batch, got an annotation key"
    )
    broken = batch.model_dump(mode="json") | {"items": [{"id": "x", "texts": {"text": "one"}}]}
    bad = client.post(BATCHES, json=broken, headers=ADMIN)
    assert bad.status_code == 422 and "a draft item has the texts left, right" in bad.json()["detail"]
    token = upload(client, batch, ["alice"])["alice"]
    assert client.post(BATCHES, json=batch.model_dump(mode="json"), headers=ADMIN).status_code == 409
    item = f"/api/annotation/{batch.id}/items/{batch.items[0].id}"
    unknown = client.put(item, json={"ratings": {"left": {"warmth": 3}}}, headers=bearer(token))
    assert (
        unknown.status_code == 422
        and unknown.json()["detail"] == "ratings.left.warmth: not a criterion of this batch"
    )
    too_high = client.put(item, json={"ratings": {"left": {"civility": 9}}}, headers=bearer(token))
    assert too_high.status_code == 422 and "ratings left civility: " in too_high.json()["detail"]
    missing = client.put(f"/api/annotation/{batch.id}/items/item-999", json=ANSWER, headers=bearer(token))
    assert missing.status_code == 404


def test_who_may_see_and_rate_what(client: TestClient, room: Room) -> None:
    batch, _ = make_batch()
    other, _ = make_batch(sources=4)
    tokens = upload(client, batch, ["alice", "bob"])
    elsewhere = upload(client, other, ["alice"])["alice"]
    items = f"/api/annotation/{batch.id}/items"

    assert client.get(BATCHES).status_code == 401
    assert client.get(BATCHES, headers={"X-Admin-Key": "guess"}).status_code == 403
    assert client.get(f"{BATCHES}/{batch.id}/ratings", headers=bearer(tokens["alice"])).status_code == 401
    assert client.post(BATCHES, json=batch.model_dump(mode="json")).status_code == 401
    assert client.get(items).status_code == 401
    assert client.get(items, headers=bearer(tokens["alice"] + "x")).status_code == 403  # forged
    assert client.get(items, headers=bearer(elsewhere)).status_code == 403  # a link to another batch
    assert client.get(items, headers=bearer(room.tokens["John"])).status_code == 403  # a chat invitation
    assert client.get(f"/api/conversations/{room.id}/me", headers=bearer(tokens["alice"])).status_code == 403

    first = batch.order_for("alice")[0].id
    client.put(f"{items}/{first}", json=ANSWER, headers=bearer(tokens["alice"]))
    bob = client.get(items, headers=bearer(tokens["bob"])).json()
    assert all(place["answer"] is None for place in bob["items"])  # bob never sees alice's answers
    alice = client.get(items, headers=bearer(tokens["alice"])).json()
    assert [p["answer"] is not None for p in alice["items"]] == [True, False, False]


def test_the_page_rates_item_by_item_through_the_link(client: TestClient) -> None:
    batch, _ = make_batch(sources=2)
    token = upload(client, batch, ["carol"])["carol"]
    forged = client.get(f"/annotate/{token}x", follow_redirects=False)
    assert forged.status_code == 403 and "This link is not valid" in forged.text
    opened = client.get(f"/annotate/{token}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/a/{batch.id}"
    order = batch.order_for("carol")
    page = client.get(f"/a/{batch.id}")
    assert "Item 1 of 2" in page.text and order[0].texts["left"] in page.text
    assert "qwen-local" not in page.text and "Even-handed" not in page.text  # only the batch's criteria
    form = {
        "preference": "right",
        "left.civility": "4",
        "left.fluency": "4",
        "right.civility": "5",
        "right.fluency": "5",
    }
    posted = client.post(f"/a/{batch.id}/1", data=form, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == f"/a/{batch.id}?position=2"
    assert "Item 2 of 2" in client.get(posted.headers["location"]).text
    client.post(f"/a/{batch.id}/2", data=form | {"comment": "Close call."})
    assert "Thank you" in client.get(f"/a/{batch.id}").text
    review = client.get(f"/a/{batch.id}?position=2").text
    assert "Close call." in review and re.search(
        r'name="right.civility" value="5" required\s+checked', review
    )
    assert client.post(f"/a/{batch.id}/1", data={"left.civility": "nine"}).status_code == 422
