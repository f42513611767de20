"""Records of data files with their line numbers: CSV/TSV rows by column name, JSON-lines objects.

Both raise InputError naming the file and line of anything malformed: an unreadable file, a missing column,
a short row, a line that is not a JSON object. A quoted field may span lines; a record's line is the one
it starts on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from commonground.core.errors import InputError

FIELD_SIZE_LIMIT = 1 << 24  # ParaDetox holds fields far longer than csv's default 128 KiB


def table_rows(
    path: Path, required: tuple[str, ...] = (), *, delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for every row of a CSV (or TSV) file, after checking the header has `required` columns."""
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    with _reading(path) as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        missing = [name for name in required if name not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"{path}:1: missing column {', '.join(repr(name) for name in missing)}")
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise InputError(f"{path}:{line}: {error}") from None
            if None in row.values():
                raise InputError(f"{path}:{line}: too few columns")
            yield line, row


def json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) for every non-blank line of a JSON-lines file."""
    with _reading(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"{path}:{number}: invalid JSON: {error.msg} (column {error.colno})"
                ) from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: expected a JSON object")
            yield number, record


def read_json(path: Path) -> Any:
    """The JSON document in `path`."""
    with _reading(path) as handle:
        try:
            return json.load(handle)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{error.lineno}: invalid JSON: {error.msg}") from None


@contextmanager
def _reading(path: Path) -> Iterator[IO[str]]:
    """The file as UTF-8 text; an unreadable or undecodable file becomes InputError naming it."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # a spreadsheet's BOM is dropped
            yield handle
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason})") from None
