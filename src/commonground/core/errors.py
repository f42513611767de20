"""One small error tree. Each error is one clear line naming the cause and the setting to change.

The CLI and the web platform convert these to exit codes and HTTP statuses at their edges; nothing else
catches them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

    from commonground.llm.types import CallRecord


class CommongroundError(Exception):
    """Base error: `str(error)` is a single line fit to show a user."""

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        self.setting = setting
        hint = f" (setting: {setting})" if setting else ""
        super().__init__(f"{message}{hint}")


class ConfigError(CommongroundError):
    """The configuration is invalid or names something that does not exist."""


class InputError(CommongroundError):
    """User input (a file, a line, a request) is malformed."""


class ModelError(CommongroundError):
    """Base for failures of a language-model call; `calls` holds the records of the calls it ended."""

    def __init__(
        self, message: str, *, calls: list[CallRecord] | None = None, setting: str | None = None
    ) -> None:
        self.calls = list(calls or [])
        super().__init__(message, setting=setting)


class ModelUnavailable(ModelError):
    """The model cannot be reached or loaded: endpoint down, file missing or corrupt."""


class ModelAuthError(ModelError):
    """The endpoint refused the credentials."""


class ModelTimeout(ModelError):
    """The call did not finish within its time limit."""


class ContextOverflow(ModelError):
    """The prompt does not fit the model's context window."""


class ModelResponseError(ModelError):
    """The endpoint answered, but not with a usable completion."""


class StructuredOutputError(ModelError):
    """The model's output did not validate against the task's schema, even after a retry.

    `attempts` holds the raw outputs and `calls` the records of the calls that produced them.
    """

    def __init__(
        self, message: str, *, attempts: list[str], calls: list[CallRecord], setting: str | None = None
    ) -> None:
        self.attempts = attempts
        super().__init__(message, calls=calls, setting=setting)


def first_problem(error: ValidationError, *, root: str = "document") -> str:
    """`field.path: message` for the first problem of a pydantic validation error (`root` when no field)."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or root
    return f"{field}: {first['msg']}"
