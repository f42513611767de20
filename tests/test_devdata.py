"""Locating the development data: the path when it exists, else one line naming it and the option to use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from commonground.core.devdata import DEVELOPMENT_DATA, development_data
from commonground.core.errors import InputError


def test_an_existing_path_is_returned(test_data: Path) -> None:
    assert (
        development_data(test_data, "polis", "15-per-hour-seattle")
        == test_data / "polis" / "15-per-hour-seattle"
    )


def test_a_missing_path_names_itself_and_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError) as given:
        development_data(tmp_path, "paradetox", option="--data")
    assert (
        str(given.value)
        == f"development data not found at {tmp_path / 'paradetox'}: give the data with --data"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as default:
        development_data(DEVELOPMENT_DATA, option=None)
    assert str(default.value) == (
        f"development data not found at {os.path.abspath(tmp_path / DEVELOPMENT_DATA)}: "
        f"run from the project root with {DEVELOPMENT_DATA} beside it"
    )


def test_a_script_without_the_data_says_so_in_one_line(tmp_path: Path) -> None:
    code = "import pathlib, commonground.core.devdata as d; d.script_data(pathlib.Path('none'))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=60, text=True
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert (
        done.stderr
        == f"Error: development data not found at {tmp_path / 'none'}: give the data with --data\n"
    )
