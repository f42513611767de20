"""The chat as people use it, in headless Chromium on a phone (390×844) and a desktop viewport: long words
wrap, Enter sends, the interface speaks the reader's language, presence and "seen", the notice when a party
asks for the mediator, the derailment chart, and progress while the calmer wording is prepared.
Screenshots go to artifacts/screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from tests.platform.browser import (
    VIEWPORTS,
    Dispute,
    dispute,
    joined,
    overflow,
    send,
    serious_violations,
    serve,
    shot,
)
from tests.platform.conftest import ScriptedModel

from commonground.platform import i18n

RUDE = "So you're calling me a liar? You are a scammer and an idiot. I want my money back."


def test_long_words_and_urls_wrap(camera: Dispute, browser: Any, viewport: str) -> None:
    john, jane = (
        joined(browser, camera.links["John"], viewport),
        joined(browser, camera.links["Jane"], viewport),
    )
    word = "x" * 4000
    url = "https://example.org/" + "/".join(f"segment{i:03d}" for i in range(18)) + "?q=" + "a" * 40
    assert len(url) >= 200
    send(john, word)
    expect(john.locator("#messages .message")).to_have_count(3)
    send(john, f"The listing is at {url} if you want to check.")
    for page in (john, jane):
        expect(page.locator("#messages .message")).to_have_count(4)
        assert overflow(page) == 0
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('.message')]"
            ".map((m) => m.getBoundingClientRect().right))"
        )
        assert widest <= VIEWPORTS[viewport]["width"]
    shot(jane, f"long-words-{viewport}")


def test_enter_sends_and_shift_enter_makes_a_new_line(camera: Dispute, browser: Any, viewport: str) -> None:
    john = joined(browser, camera.links["John"], viewport)
    john.keyboard.press("Tab")
    while john.evaluate("document.activeElement.id") != "draft":
        john.keyboard.press("Tab")
    john.keyboard.type("The receipt is in the box.")
    john.keyboard.press("Shift+Enter")
    john.keyboard.type("Could you look again?")
    assert john.input_value("#draft") == "The receipt is in the box.\nCould you look again?"
    john.keyboard.press("Enter")
    sent = john.locator(".message.mine").last
    expect(sent.locator(".text")).to_have_text("The receipt is in the box.\nCould you look again?")
    expect(john.locator("#draft")).to_have_value("")
    john.keyboard.type("   ")
    john.keyboard.press("Enter")
    expect(john.locator("#composer-error")).to_have_text("Write something before sending.")
    expect(john.locator("#messages .message")).to_have_count(3)
    shot(john, f"enter-sends-{viewport}")


def interface_text(page: Any) -> str:
    """The words the interface puts on the page, hidden ones included (not what people wrote): its text,
    placeholders, labels and titles."""
    return page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            const written = ".message .text, .message details, .author, script";
            copy.querySelectorAll(written).forEach((e) => e.remove());
            const attributes = [...copy.querySelectorAll("[placeholder], [aria-label], [title]")].flatMap(
                (e) => ["placeholder", "aria-label", "title"].map((name) => e.getAttribute(name)));
            return [copy.textContent, document.title, ...attributes].filter(Boolean).join("\\n");
        }"""
    )


def english_left(page: Any, lang: str) -> list[str]:
    """The catalogue's English strings that `lang` words differently and that are still on the page."""
    shown = interface_text(page)
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source)
    left = []
    for message in catalogue:
        if not message.id or message.string == message.id:
            continue
        parts = [p.strip() for p in re.split(r"%\(\w+\)s", message.id) if re.search(r"[A-Za-z]", p)]
        if all(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", shown) for part in parts):
            left.append(message.id)
    return left


@pytest.mark.parametrize("lang", ["fr", "de", "es"])
def test_the_interface_speaks_the_readers_language(tmp_path: Path, browser: Any, lang: str) -> None:
    with serve(tmp_path, ScriptedModel(), worker=False) as served:
        room = dispute(served.base, languages=("en", lang))
        jane = joined(browser, room.links["Jane"], "phone")
        mia = joined(browser, room.links["Mia"])
        jane.select_option("#lang", lang)
        expect(jane.locator("html")).to_have_attribute("lang", lang)
        jane.wait_for_selector("#messages .message")
        expect(jane.locator("#presence")).not_to_have_text("")
        send(jane, RUDE)  # the worker is off: the calmer wording stays in preparation
        expect(jane.locator("#suggestion")).to_have_text(
            i18n.translations(lang).gettext("Preparing a calmer wording…")
        )
        mia.select_option("#lang", lang)
        expect(mia.locator("html")).to_have_attribute("lang", lang)
        mia.wait_for_selector("#trend text")
        assert english_left(jane, lang) == []
        assert english_left(mia, lang) == []
        assert serious_violations(jane) == [] and serious_violations(mia) == []
        shot(jane, f"party-{lang}-phone")
        shot(mia, f"mediator-{lang}-desktop")


def test_presence_seen_timestamps_and_the_mediator_request_notice(
    camera: Dispute, browser: Any, viewport: str
) -> None:
    john = joined(browser, camera.links["John"], viewport)
    expect(john.locator("#presence")).to_have_text("No one else is here right now.")
    jane = joined(browser, camera.links["Jane"], viewport)
    expect(john.locator("#presence")).to_have_text("Online now: Jane")
    expect(jane.locator("#presence")).to_have_text("Online now: John")
    mia = joined(browser, camera.links["Mia"])
    expect(jane.locator("#presence")).to_contain_text("Mia")
    send(john, "Did you keep the shipping receipt?")
    expect(jane.locator(".message:has-text('shipping receipt')")).to_have_count(1)
    expect(john.locator(".message.mine").last.locator(".seen")).to_contain_text("Seen by")
    expect(john.locator(".message.mine").last.locator(".seen")).to_contain_text("Jane")
    stamp = john.locator(".message.mine").last.locator("time")
    assert re.fullmatch(r"\d\d:\d\d( [AP]M)?", stamp.inner_text())
    jane.click("#ask-mediator")
    for page in (john, jane, mia):
        expect(page.locator("#messages .system")).to_have_text(re.compile(r"^Jane asked for the mediator\. "))
    expect(jane.locator("#ask-mediator")).to_be_disabled()
    expect(mia.locator("#notices")).to_contain_text("Jane asked for the mediator.")
    shot(john, f"presence-and-request-{viewport}")
    jane.context.close()
    expect(john.locator("#presence")).to_have_text("Online now: Mia")


def test_the_derailment_chart_has_axes_values_and_the_threshold(
    camera: Dispute, browser: Any, viewport: str
) -> None:
    mia = joined(browser, camera.links["Mia"], viewport)
    chart = mia.locator("#trend")
    expect(chart.locator("circle")).to_have_count(2, timeout=20_000)
    labels = chart.locator(".axis-label").all_text_contents()
    assert labels == ["Derailment risk", "Message"]
    assert chart.locator("line.axis").count() == 2
    assert chart.locator("line.threshold:not(.legend)").count() == 1
    threshold = float(chart.get_attribute("data-threshold"))
    expect(chart.locator(".threshold-label")).to_have_text(f"Threshold {threshold:.2f}")
    values = chart.locator("text.value").all_text_contents()
    assert len(values) == 2 and all(re.fullmatch(r"\d\.\d\d", v) for v in values)
    expect(mia.locator("#trend-summary")).to_contain_text(f"threshold {threshold:.2f}")
    shot(mia, f"mediator-chart-{viewport}")


def test_feedback_at_once_and_send_or_edit_while_the_wording_is_prepared(
    tmp_path: Path, browser: Any, viewport: str
) -> None:
    with serve(tmp_path, ScriptedModel(), worker=False) as served:  # no worker: the wording stays pending
        room = dispute(served.base)
        john, jane = joined(browser, room.links["John"], viewport), joined(browser, room.links["Jane"])
        send(john, RUDE)
        expect(john.locator("#feedback")).to_contain_text("idiot")
        expect(john.locator("#suggestion")).to_have_text("Preparing a calmer wording…")
        expect(john.locator("#send-suggestion")).to_be_disabled()
        shot(john, f"presend-preparing-{viewport}")
        john.click("#edit")
        expect(john.locator("#draft")).to_have_value(RUDE)
        john.locator("#draft").fill("I think the camera arrived broken. I want my money back.")
        john.locator("#draft").press("Enter")
        expect(jane.locator(".message:has-text('arrived broken')")).to_have_count(1)
        send(john, "You are an idiot.")
        expect(john.locator("#suggestion")).to_have_text("Preparing a calmer wording…")
        john.click("#send-original")
        expect(jane.locator(".message:has-text('You are an idiot.')")).to_have_count(1)
        expect(john.locator("#presend")).to_be_hidden()
