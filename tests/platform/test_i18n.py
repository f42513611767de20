"""The interface's message catalogue: every string of the templates, pages and scripts is translated into
every language, with the same placeholders; the reader's language is chosen from what the browser asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from commonground.platform import i18n

PLATFORM = Path(i18n.__file__).resolve().parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def interface_strings() -> set[str]:
    """What `pybabel extract` finds with the catalogue's own mapping (locale/babel.cfg)."""
    with (i18n.LOCALE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = DEFAULT_KEYWORDS | {"N_": None}
    found = extract_from_dir(PLATFORM, method_map, options_map, keywords=keywords)
    return {message for _file, _line, message, _comments, _context in found}


def test_the_catalogue_has_what_the_templates_pages_and_scripts_say() -> None:
    strings = interface_strings()
    assert {"Send", "Page not found", "Preparing a calmer wording…", "Ask the mediator"} <= strings
    scripts = "".join(p.read_text() for p in (PLATFORM / "static").glob("*.js"))
    used = set(re.findall(r"""\bt\(\s*"([^"]+)"\s*[,)]""", scripts))
    assert used and used <= set(i18n.SCRIPT_MESSAGES), used - set(i18n.SCRIPT_MESSAGES)


@pytest.mark.parametrize("lang", ["fr", "de", "es"])
def test_every_string_is_translated_with_its_placeholders(lang: str) -> None:
    assert lang in i18n.languages()
    catalogue = i18n.translations(lang)
    for message in interface_strings():
        translated = catalogue.gettext(message)
        assert translated.strip(), message
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(message)), message
    assert catalogue.gettext("Send") != "Send"


def test_the_scripts_receive_their_strings_in_the_page_language() -> None:
    french = i18n.script_catalogue("fr-CA")
    assert set(french) == set(i18n.SCRIPT_MESSAGES)
    assert french["Preparing a calmer wording…"] == "Préparation d’une formulation plus apaisée…"
    assert i18n.script_catalogue("en")["Seen by %(names)s"] == "Seen by %(names)s"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("ja, de;q=0.5, es;q=0.7", "es"),
        ("ja, zh;q=0.5", "en"),
        ("de;q=0, es", "es"),
        ("", "en"),
        ("garbage;q=x, de", "de"),
    ],
)
def test_the_readers_language_follows_accept_language(header: str, chosen: str) -> None:
    assert i18n.choose(i18n.accepted(header)) == chosen
