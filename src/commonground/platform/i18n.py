"""The interface's words in every language: one gettext catalogue per language
(`locale/LANG/LC_MESSAGES/messages.po`), compiled in memory when first used, for the templates (Jinja2's i18n
extension) and for the pages' scripts (`SCRIPT_MESSAGES`, handed to them as JSON).

To add a string: use it in a template (`{{ _("…") }}`) or in a script (`t("…")`, then list it in
`SCRIPT_MESSAGES`), and add its translation to each `.po` file; `tests/platform/test_i18n.py` fails until
every language has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE = "en"


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it here."""
    return message


ROLES = {
    "party": N_("party"),
    "mediator": N_("mediator"),
    "administrator": N_("administrator"),
    "observer": N_("observer"),
}
KINDS = {"dispute": N_("dispute"), "deliberation": N_("deliberation")}
AUTONOMY = {
    "off": N_("Off"),
    "suggest_to_author": N_("Suggest to the author"),
    "draft_for_mediator": N_("Draft for the mediator"),
    "autonomous": N_("Autonomous"),
}

SCRIPT_MESSAGES = (
    N_("(AI)"),
    N_("your original"),
    N_("translating…"),
    N_("translation unavailable"),
    N_("translated from %(language)s"),
    N_("show original"),
    N_("show translation"),
    N_("incivility %(value)s"),
    N_("%(name)s is typing…"),
    N_("%(name)s asked for the mediator."),
    N_("You asked for the mediator. They have been told."),
    N_("Mediator asked"),
    N_("Seen by %(names)s"),
    N_("Online now: %(names)s"),
    N_("No one else is here right now."),
    N_("Preparing a calmer wording…"),
    N_("No calmer wording is available for this message. You can send it or edit it."),
    N_("This message may land badly."),
    N_("Write something before sending."),
    N_("This message is too long: the limit is %(limit)s characters."),
    N_("You are sending messages too fast. Wait a moment and try again."),
    N_("Your link is no longer valid. Ask the administrator for a new one."),
    N_("This could not be done right now. Check your connection and try again."),
    N_("Drafting…"),
    N_("Summarizing…"),
    N_("The draft could not be written right now. Try again in a moment."),
    N_("The summary could not be written right now. Try again in a moment."),
    N_("All checks passed."),
    N_("Not passed: %(checks)s."),
    N_("Message"),
    N_("Derailment risk"),
    N_("Threshold %(value)s"),
    N_("Latest risk %(value)s, threshold %(threshold)s."),
    N_("No risk measured yet."),
    N_("Autonomy set to: %(level)s"),
    N_("Policy: %(action)s (%(reason)s)"),
    N_("Saved."),
    N_("Removed."),
    N_("Line %(line)s: write a name, then optionally a role and a language, separated by commas."),
    N_("Line %(line)s: the role must be one of: %(roles)s."),
    N_("Line %(line)s: the language must be a code such as en, fr, de or es."),
    N_("The name must be between 1 and 80 characters."),
    N_("Some fields are not valid: %(fields)s."),
    N_("Title"),
    N_("Kind"),
    N_("Languages (codes separated by commas)"),
    N_("Name"),
    N_("Role"),
    N_("Language"),
    N_("The policy is not valid JSON: %(problem)s"),
    N_("The administrator key is missing or not valid. Open the administration link again."),
    N_("This participant or conversation no longer exists."),
)


@cache
def translations(lang: str) -> NullTranslations:
    """The catalogue of `lang` (its base language, e.g. `fr` for `fr-CA`); the source words for English or
    a language without a catalogue."""
    path = LOCALE_DIR / base(lang) / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=base(lang))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def languages() -> tuple[str, ...]:
    """The languages the interface speaks: the source and every catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE, *found)


def choose(wanted: Iterable[str]) -> str:
    """The first of `wanted` the interface speaks, else the source language."""
    spoken = languages()
    return next((base(lang) for lang in wanted if base(lang) in spoken), SOURCE)


def accepted(header: str | None) -> list[str]:
    """The languages of an `Accept-Language` header, most wanted first."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if code and code != "*" and quality > 0:
            weighted.append((-quality, position, code))
    return [code for _, _, code in sorted(weighted)]


def script_catalogue(lang: str) -> dict[str, str]:
    """The scripts' strings in `lang`, keyed by their English."""
    catalogue = translations(lang)
    return {message: catalogue.gettext(message) for message in SCRIPT_MESSAGES}


@pass_context
def gettext(context: Context, message: str) -> str:
    """The template's `_()`: `message` in the page's language (`lang` in its context)."""
    return translations(context.get("lang") or SOURCE).gettext(message)


@pass_context
def ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return translations(context.get("lang") or SOURCE).ngettext(singular, plural, count)
