"""The annotation page in headless Chromium on a phone-sized screen: two items rated, then imported."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from tests.platform.conftest import ADMIN
from tests.platform.test_annotation import BATCHES, make_batch
from tests.platform.test_browser import ARGS, CHROMIUM, SHOTS, server

from commonground.evaluation.human.sheets import import_sheets

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed")
__all__ = ["server"]  # the live server fixture


def test_an_annotator_rates_two_items_on_a_phone(server: str, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    batch, key = make_batch(sources=2)
    with httpx.Client(base_url=server, headers=ADMIN) as admin:
        assert admin.post(BATCHES, json=batch.model_dump(mode="json")).status_code == 201
        link = admin.post(f"{BATCHES}/{batch.id}/annotators", json={"names": ["dana"]}).json()[0]
    preferred, expected = [], []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_context(viewport={"width": 390, "height": 760}).new_page()
        page.goto(link["url"])
        for number, item in enumerate(batch.order_for("dana"), start=1):
            page.wait_for_selector(f"text=Item {number} of 2")
            assert item.texts["left"] in page.inner_text("#text-left")
            assert "qwen-local" not in page.content()
            side = "left" if number == 1 else "right"
            page.check(f"#preference input[value={side}]")
            systems = key.by_item[item.id].systems
            preferred.append(systems[side])
            expected.append(
                {
                    systems["left"]: {"civility": 4, "fluency": 4},
                    systems["right"]: dict.fromkeys(("civility", "fluency"), number + 1),
                }
            )
            for criterion in ("civility", "fluency"):
                page.check(f"#left-{criterion} input[value='4']")
                page.check(f"#right-{criterion} input[value='{number + 1}']")
            if number == 1:
                page.screenshot(path=SHOTS / "annotation-phone.png", full_page=True)
            page.click("#save")
        page.wait_for_selector("#done")
        assert "2 of 2 rated" in page.inner_text("header")
        browser.close()
    with httpx.Client(base_url=server, headers=ADMIN) as admin:
        (tmp_path / "ratings.csv").write_bytes(admin.get(f"{BATCHES}/{batch.id}/ratings").content)
    judgements = import_sheets(batch, key, [tmp_path / "ratings.csv"])
    assert [j.preference for j in judgements] == preferred
    assert [j.ratings for j in judgements] == expected
