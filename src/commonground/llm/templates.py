"""Prompt templates kept as TOML files with a name and a version, so every call records which one it used.

A template file holds `name`, `version`, `system`, `user`, optional few-shot turns (`[[examples]]` tables
with `user` and `assistant`, sent verbatim between the system message and the user message) and optional
sampling defaults (`max_tokens`, `temperature`, `stop`). Placeholders are `$name` (string.Template), so JSON
examples in a prompt need no escaping.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from commonground.core.errors import ConfigError
from commonground.llm.types import ChatMessage, Prompt


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    system: str
    user: str
    options: dict[str, Any]
    examples: tuple[tuple[str, str], ...] = ()

    @classmethod
    def load(cls, path: Path) -> PromptTemplate:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            return cls(
                name=data.pop("name"),
                version=str(data.pop("version")),
                system=data.pop("system", ""),
                user=data.pop("user"),
                examples=tuple((turn["user"], turn["assistant"]) for turn in data.pop("examples", [])),
                options=data,
            )
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
            raise ConfigError(f"prompt template {path} is unreadable: {error!r}") from None

    def render(self, **values: str) -> Prompt:
        """Fill the placeholders; a missing value is an error, never a silent gap."""
        try:
            system = Template(self.system).substitute(values)
            user = Template(self.user).substitute(values)
        except KeyError as error:
            raise ConfigError(f"prompt template {self.name} needs a value for {error}") from None
        shots = tuple(
            message
            for question, answer in self.examples
            for message in (ChatMessage("user", question), ChatMessage("assistant", answer))
        )
        messages = ((ChatMessage("system", system),) if system else ()) + shots + (ChatMessage("user", user),)
        options = dict(self.options)
        if "stop" in options:
            options["stop"] = tuple(options["stop"])
        return Prompt(messages=messages, template=self.name, template_version=self.version, **options)
