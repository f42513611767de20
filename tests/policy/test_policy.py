"""Policy files: defaults, TOML and JSON, clear errors naming the bad field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from commonground.core.errors import ConfigError
from commonground.policy import Policy, load_policy, parse_policy
from commonground.policy.schema import QuietHours

FULL_TOML = """
autonomy = "autonomous"
languages = ["en", "de"]

[thresholds]
incivility = 0.7
derailment_risk = 0.6
deadlock = 0.8

[actions]
autonomous_intervention = true
summary = false

[limits]
cooldown_s = 120
max_interventions = 5
window_s = 7200

[quiet_hours]
start = 22:00:00
end = 07:00:00
timezone = "Europe/Paris"

[triggers]
inactivity_s = 600
cadence_messages = 10
"""


def test_defaults_are_a_valid_policy() -> None:
    policy = Policy()
    assert policy.autonomy == "suggest_to_author" and policy.quiet_hours is None
    assert 0 < policy.thresholds.incivility < 1 and 0 < policy.thresholds.derailment_risk < 1
    assert policy.actions.autonomous_intervention is False and policy.languages == ("en", "fr", "de")


def test_toml_and_json_load_the_same_policy(tmp_path: Path) -> None:
    toml_file = tmp_path / "policy.toml"
    toml_file.write_text(FULL_TOML, encoding="utf-8")
    from_toml = load_policy(toml_file)
    json_file = tmp_path / "policy.json"
    json_file.write_text(from_toml.model_dump_json(), encoding="utf-8")
    assert load_policy(json_file) == from_toml
    assert from_toml.quiet_hours == QuietHours(start=time(22), end=time(7), timezone="Europe/Paris")
    assert from_toml.triggers.cadence_messages == 10 and from_toml.actions.summary is False


def test_an_empty_file_is_the_default_policy(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    assert load_policy(path) == Policy()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"thresholds": {"incivilty": 0.3}}, "thresholds.incivilty"),
        ({"thresholds": {"incivility": 1.5}}, "thresholds.incivility"),
        ({"autonomy": "full"}, "autonomy"),
        ({"limits": {"max_interventions": -1}}, "limits.max_interventions"),
        ({"limits": {"window_s": 0}}, "limits.window_s"),
        (
            {"quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Mars/Olympus"}},
            "quiet_hours.timezone",
        ),
        ({"quiet_hours": {"start": "late", "end": "07:00"}}, "quiet_hours.start"),
        ({"triggers": {"cadence_messages": 0}}, "triggers.cadence_messages"),
        ({"actions": {"summary": "maybe"}}, "actions.summary"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_field_is_named(data: dict, field: str) -> None:
    with pytest.raises(ConfigError, match=rf"policy: {field}: "):
        parse_policy(data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.toml", "autonomy = ", "not valid TOML"),
        ("bad.json", "{", "not valid JSON"),
        ("list.json", "[1, 2]", "must be a table/object"),
        ("policy.yaml", "autonomy: off", "must end in .toml or .json"),
    ],
)
def test_unreadable_files_are_config_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_policy(path)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read policy file"):
        load_policy(tmp_path / "absent.toml")


@pytest.mark.parametrize(
    ("start", "end", "utc_hour", "quiet"),
    [
        (time(22), time(7), 21, True),  # 23:00 in Paris (UTC+2 in summer)
        (time(22), time(7), 19, False),  # 21:00 in Paris
        (time(22), time(7), 4, True),  # 06:00 in Paris
        (time(22), time(7), 5, False),  # 07:00 in Paris: the end is not quiet
        (time(12), time(14), 11, True),  # 13:00 in Paris, a window within one day
        (time(12), time(14), 13, False),
    ],
)
def test_quiet_hours_in_local_time(start: time, end: time, utc_hour: int, quiet: bool) -> None:
    hours = QuietHours(start=start, end=end, timezone="Europe/Paris")
    assert hours.contains(datetime(2024, 7, 1, utc_hour, tzinfo=UTC)) is quiet


def test_policy_is_immutable_and_serialisable() -> None:
    policy = Policy()
    with pytest.raises(ValueError):
        policy.autonomy = "off"  # type: ignore[misc]
    assert parse_policy(json.loads(policy.model_dump_json())) == policy
