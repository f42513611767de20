"""Where the development data sets are: `../shared/data` beside the project root, or a folder (or file) given
with an option. Training, benchmarks and evaluation read them from there; the tests read the samples in
tests/data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from commonground.core.errors import InputError

DEVELOPMENT_DATA = Path("../shared/data")


def development_data(
    folder: Path = DEVELOPMENT_DATA, *inside: str | Path, option: str | None = "--data"
) -> Path:
    """`folder / inside` when it exists; else InputError naming the path and the option that gives another
    (`option` None: the script has none)."""
    path = folder.joinpath(*inside)
    if path.exists():
        return path
    hints = [f"run from the project root with {DEVELOPMENT_DATA} beside it"]
    hints = hints if path.is_relative_to(DEVELOPMENT_DATA) else []
    hints += [f"give the data with {option}"] if option else []
    reason = ", or ".join(hints) or "no such file or folder"
    raise InputError(f"development data not found at {os.path.abspath(path)}: {reason}")


def script_data(folder: Path = DEVELOPMENT_DATA, *inside: str | Path, option: str | None = "--data") -> Path:
    """`development_data` for a script's `main`: a missing path is one line on stderr and exit status 2."""
    try:
        return development_data(folder, *inside, option=option)
    except InputError as error:
        print(f"Error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
