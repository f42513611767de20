"""The platform's errors and their conversion to HTTP responses, done only here at the edge."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from commonground.core.errors import CommongroundError, ConfigError, InputError, ModelError


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


def _describe(error: RequestValidationError) -> str:
    """The problems in words a page can show: each field by its name, not by its path in the request."""
    parts = []
    for item in error.errors():
        names = [part.replace("_", " ") for part in item.get("loc", ())[1:] if isinstance(part, str)]
        where = " ".join(names) or "the request"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(dict.fromkeys(parts)) or "invalid request"


def install_handlers(app: FastAPI) -> None:
    """Answer the error tree with its status and a one-line `detail`."""

    async def tree(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, CommongroundError)
        body: dict[str, object] = {"detail": str(error)}
        headers = {}
        if isinstance(error, TooLarge):
            body["limit"] = error.limit
        if isinstance(error, RateLimited):
            headers["Retry-After"] = str(error.retry_after_s)
        if isinstance(error, Unauthenticated):
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(body, status_code=status_of(error), headers=headers)

    async def invalid(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return JSONResponse({"detail": _describe(error), "errors": jsonable(error.errors())}, status_code=422)

    app.add_exception_handler(CommongroundError, tree)
    app.add_exception_handler(RequestValidationError, invalid)


def jsonable(errors: object) -> object:
    """Validation errors without the non-JSON parts (exception objects in `ctx`)."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(errors, custom_encoder={Exception: str})
