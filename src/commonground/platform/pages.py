"""Rendering pages in the reader's language, and the page shown in words when something cannot be opened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from commonground.platform import i18n

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(),
    extensions=["jinja2.ext.i18n"],
)
_environment.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
_environment.globals.update(roles=i18n.ROLES, kinds=i18n.KINDS, autonomy_levels=i18n.AUTONOMY)
templates = Jinja2Templates(env=_environment)

# What a person is told, by HTTP status: a title and a sentence saying what to do.
TROUBLES: dict[int, tuple[str, str]] = {
    401: (
        i18n.N_("This link cannot be used"),
        i18n.N_(
            "Open this page with the invitation link you were given. If the link has expired or "
            "was replaced, ask the administrator for a new one."
        ),
    ),
    403: (
        i18n.N_("This link is not valid"),
        i18n.N_(
            "The link is not valid for this page: it may have been revoked or copied incompletely. Ask the "
            "administrator for a new one."
        ),
    ),
    404: (
        i18n.N_("Page not found"),
        i18n.N_("There is nothing at this address. Check the link, or open the invitation link again."),
    ),
    400: (
        i18n.N_("This page cannot be shown"),
        i18n.N_("The address is incomplete or not valid. Open the link you were given again."),
    ),
    500: (
        i18n.N_("Something went wrong"),
        i18n.N_("The server could not show this page. Nothing you wrote was lost; try again in a moment."),
    ),
}


def reader_language(request: Request) -> str:
    """The interface language the browser asks for, among those the interface speaks."""
    return i18n.choose(i18n.accepted(request.headers.get("accept-language")))


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    lang: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Template `name` in `lang` (by default the browser's), with the scripts' strings in that language."""
    chosen = i18n.choose([lang]) if lang else reader_language(request)
    full = {"lang": chosen, "script_strings": i18n.script_catalogue(chosen)} | (context or {})
    return templates.TemplateResponse(request, name, full, status_code=status_code)


def trouble(request: Request, status_code: int) -> HTMLResponse:
    """The page that says, in words, why this page cannot be shown and what to do."""
    title, advice = TROUBLES.get(status_code, TROUBLES[500] if status_code >= 500 else TROUBLES[400])
    context = {"title": title, "advice": advice, "status": status_code}
    return page(request, "refused.html", context, status_code=status_code)
