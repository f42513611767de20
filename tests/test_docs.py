"""The README documents every setting and every command, so the docs cannot drift from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel

from commonground.cli import app
from commonground.core.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def setting_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    paths = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths += setting_paths(annotation, f"{prefix}{name}.")
        else:
            paths.append(f"{prefix}{name}")
    return paths


@pytest.mark.parametrize("path", setting_paths(Settings))
def test_every_setting_is_documented(path: str) -> None:
    assert f"`{path}`" in README or f"`{path} " in README or f" {path}`" in README, path


def command_paths(group: Any, prefix: str = "") -> list[str]:
    """Every command and sub-command of a Typer group, as `name sub` paths."""
    paths = []
    for name, command in group.commands.items():
        paths.append(f"{prefix}{name}")
        if hasattr(command, "commands"):
            paths += command_paths(command, f"{prefix}{name} ")
    return paths


@pytest.mark.parametrize("name", sorted(command_paths(typer.main.get_group(app))))
def test_every_command_is_documented(name: str) -> None:
    assert f"commonground {name}" in README, name
