"""The platform's errors and their conversion to HTTP responses, done only here at the edge."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from commonground.core.errors import CommongroundError, ConfigError, InputError, ModelError
from commonground.platform.pages import trouble

log = logging.getLogger(__name__)


class NotFound(CommongroundError):
    """An id names nothing the caller may see."""


class Unauthenticated(CommongroundError):
    """No credentials, or an expired token."""


class Forbidden(CommongroundError):
    """Credentials are valid but do not allow this (forged token, wrong role, not a member)."""


class TooLarge(CommongroundError):
    """A message is longer than the configured limit (`platform.max_message_chars`)."""

    def __init__(self, message: str, *, limit: int) -> None:
        self.limit = limit
        super().__init__(message)


class RateLimited(CommongroundError):
    """A participant sent too much too fast."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(message)


class Conflict(CommongroundError):
    """The request contradicts the current state (e.g. choosing a suggestion that is not ready)."""


STATUS: tuple[tuple[type[CommongroundError], int], ...] = (
    (NotFound, 404),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (TooLarge, 413),
    (RateLimited, 429),
    (Conflict, 409),
    (InputError, 422),
    (ConfigError, 422),
    (ModelError, 503),
)


def status_of(error: CommongroundError) -> int:
    """The HTTP status for an error of the tree."""
    return next((code for kind, code in STATUS if isinstance(error, kind)), 500)


class SafeJSONResponse(JSONResponse):
    """JSON in ASCII: text that UTF-8 cannot carry (a lone surrogate echoed from the input) is escaped."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def _describe(error: RequestValidationError) -> str:
    """The problems in words a page can show: each field by its name, not by its path in the request."""
    parts = []
    for item in error.errors():
        names = [part.replace("_", " ") for part in item.get("loc", ())[1:] if isinstance(part, str)]
        where = " ".join(names) or "the request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(dict.fromkeys(parts)) or "invalid request"


def _where_and_why(error: RequestValidationError) -> list[dict[str, object]]:
    """Each problem's place, kind and message; the input is not echoed back."""
    return [
        {"loc": [str(part) for part in item.get("loc", ())], "type": item.get("type"), "msg": item.get("msg")}
        for item in error.errors()
    ]


def is_page(request: Request) -> bool:
    """Whether a person's browser asked for this address as a page (everything outside the API)."""
    return not request.url.path.startswith(
        ("/api/", "/v1alpha1/", "/static/", "/openapi.json", "/docs", "/redoc")
    )


def install_handlers(app: FastAPI) -> None:
    """Answer the error tree with its status and a one-line `detail`, every error body safely encoded;
    pages get a page in words instead."""

    async def tree(request: Request, error: Exception) -> Response:
        assert isinstance(error, CommongroundError)
        if is_page(request):
            return trouble(request, status_of(error))
        body: dict[str, object] = {"detail": str(error)}
        headers = {}
        if isinstance(error, TooLarge):
            body["limit"] = error.limit
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.retry_after_s)
        if isinstance(error, Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        return SafeJSONResponse(body, status_code=status_of(error), headers=headers)

    async def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if is_page(request):
            return trouble(request, 400)
        body = {"detail": _describe(error), "errors": _where_and_why(error)}
        return SafeJSONResponse(body, status_code=422)

    async def http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if is_page(request):
            return trouble(request, error.status_code)
        return await http_exception_handler(request, error)

    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        if is_page(request):
            return trouble(request, 500)
        return SafeJSONResponse({"detail": "internal error"}, status_code=500)

    app.add_exception_handler(CommongroundError, tree)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(Exception, unexpected)
