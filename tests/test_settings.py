"""One settings object: defaults, TOML file, environment variables, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.core.errors import ConfigError
from commonground.core.settings import load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("COMMONGROUND_CONFIG", "COMMONGROUND_LLM__BACKEND", "COMMONGROUND_LLM__MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_key_and_no_server() -> None:
    settings = load_settings()
    assert (settings.llm.backend, settings.llm.model, settings.llm.api_key) == ("local", "default", None)


def test_environment_variables_override_the_toml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "commonground.toml").write_text(
        '[llm]\nbackend = "openai"\nmodel = "from-file"\ntimeout_s = 9\n'
    )
    monkeypatch.setenv("COMMONGROUND_LLM__MODEL", "from-env")
    settings = load_settings()
    assert (settings.llm.backend, settings.llm.model, settings.llm.timeout_s) == ("openai", "from-env", 9)


def test_config_file_named_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text('data_dir = "/srv/cg"\n[llm]\napi_key = "sk-secret"\n')
    monkeypatch.setenv("COMMONGROUND_CONFIG", str(path))
    settings = load_settings()
    assert settings.data_dir == Path("/srv/cg")
    assert "sk-secret" not in settings.model_dump_json()


def test_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_CONFIG", "/nonexistent/commonground.toml")
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings()


def test_invalid_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMONGROUND_LLM__BACKEND", "carrier-pigeon")
    with pytest.raises(ConfigError, match="COMMONGROUND_LLM__BACKEND"):
        load_settings()


def test_malformed_toml_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "commonground.toml").write_text("[llm\nbackend = ")
    with pytest.raises(ConfigError, match="cannot read configuration"):
        load_settings()


def test_unknown_setting_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "commonground.toml").write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="colour"):
        load_settings()
