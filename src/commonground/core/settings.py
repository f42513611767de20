"""One settings object, read from a TOML file and `COMMONGROUND_*` environment variables.

Precedence, highest first: keyword arguments, environment variables, the TOML file, defaults.
Nested settings use a double underscore in environment variables: `COMMONGROUND_LLM__BACKEND=openai`.
The TOML file is `commonground.toml` in the working directory, or the path in `COMMONGROUND_CONFIG`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from commonground.core.errors import ConfigError

CONFIG_ENV = "COMMONGROUND_CONFIG"
DEFAULT_CONFIG_FILE = "commonground.toml"


class LLMSettings(BaseModel):
    """Which language model every task calls, and how."""

    backend: Literal["local", "openai"] = Field(
        "local", description="`local`: a GGUF file run in-process; `openai`: any OpenAI-compatible endpoint."
    )
    model: str = Field(
        "default",
        description="local: an embedded model name (see `commonground models`), `default`, or a path to a "
        "GGUF file; openai: the model name the endpoint serves.",
    )
    base_url: str | None = Field(None, description="openai backend: e.g. http://127.0.0.1:8080/v1.")
    api_key: SecretStr | None = Field(None, description="openai backend: the key, if the endpoint needs one.")
    timeout_s: float = Field(120.0, gt=0, description="Time limit of one call, in seconds.")
    max_retries: int = Field(2, ge=0, description="openai backend: retries on 429, 5xx and lost connections.")
    max_concurrency: int = Field(4, ge=1, description="openai backend: calls in flight at once.")
    response_format: Literal["json_schema", "json_object", "none"] = Field(
        "json_schema",
        description="openai backend, structured output: `json_schema` (OpenAI, vLLM, llama.cpp server, "
        "Ollama), `json_object` (llama-cpp-python's server), `none` (validate only).",
    )
    n_ctx: int = Field(4096, ge=256, description="local backend: context window in tokens.")
    n_threads: int | None = Field(None, ge=1, description="local backend: CPU threads (default: all cores).")
    seed: int = Field(0, description="Sampling seed, for reproducible outputs.")


class MailSettings(BaseModel):
    """The SMTP server that tells participants who are away of new messages (off without a host)."""

    host: str | None = Field(None, description="SMTP server; none: no notification is sent.")
    port: int = Field(25, ge=1, le=65535, description="SMTP port (587 with STARTTLS, 465 with TLS).")
    security: Literal["none", "starttls", "tls"] = Field("none", description="How the connection is secured.")
    username: str | None = Field(None, description="SMTP login, if the server needs one.")
    password: SecretStr | None = Field(None, description="SMTP password.")
    sender: str = Field("commonground@localhost", description="The From address of notifications.")
    notify_after_s: float = Field(
        300.0, ge=0, description="How long a message stays unseen before its readers who are away are told."
    )


class PlatformSettings(BaseModel):
    """The web platform: storage, secrets, network address and limits."""

    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite file "
        "data_dir/platform.db).",
    )
    secret_key: SecretStr | None = Field(
        None, description="Signs invitation tokens (default: generated once and kept in data_dir)."
    )
    admin_key: SecretStr | None = Field(
        None, description="The administrator key (default: generated once and kept in data_dir)."
    )
    host: str = Field("127.0.0.1", description="Address `commonground serve` listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port `commonground serve` listens on.")
    public_url: str | None = Field(
        None, description="Base URL used in invitation links (default: http://host:port)."
    )
    detector: Literal["accurate", "fast"] = Field(
        "accurate",
        description="The incivility detector's mode: accurate (multilingual encoder, about a hundred "
        "languages) or fast (lexical, English, German, French and Spanish; other languages unscored).",
    )
    max_message_chars: int = Field(4000, ge=1, description="Longest message a participant may post.")
    rate_limit_per_minute: int = Field(
        30, ge=1, description="Messages, checks and requests one participant may send per minute."
    )
    token_lifetime_s: float = Field(
        30 * 86_400.0, gt=0, description="How long an invitation link stays valid, in seconds."
    )
    worker_poll_s: float = Field(1.0, gt=0, description="How often the background worker looks for due jobs.")
    redis_url: str | None = Field(
        None,
        description="redis://host:port/db shared by several server processes for live delivery and rate "
        "limits (default: one process, state in memory).",
    )
    mail: MailSettings = Field(default_factory=MailSettings)


class Settings(BaseSettings):
    """Everything a user can configure."""

    model_config = SettingsConfigDict(
        env_prefix="COMMONGROUND_", env_nested_delimiter="__", extra="forbid", toml_file=None
    )

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("commonground")),
        description="Where databases, logs and exports are written.",
    )
    cache_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("commonground")),
        description="Where assembled embedded models are kept.",
    )
    llm: LLMSettings = Field(default_factory=LLMSettings)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)
    log_llm_calls: bool = Field(
        True, description="Append a record of every model call to data_dir/llm_calls.jsonl."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def _config_file() -> Path | None:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist", setting=CONFIG_ENV)
        return path
    local = Path(DEFAULT_CONFIG_FILE)
    return local if local.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Read the settings afresh; a validation failure becomes one ConfigError line."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        env_name = "COMMONGROUND_" + "__".join(str(part).upper() for part in first["loc"])
        raise ConfigError(f"invalid setting {where}: {first['msg']}", setting=env_name) from None
    except Exception as error:  # a malformed TOML file
        if isinstance(error, ConfigError):
            raise
        raise ConfigError(f"cannot read configuration: {error}", setting=CONFIG_ENV) from None
