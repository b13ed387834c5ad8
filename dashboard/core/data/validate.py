"""Check each value of a data file against its column and convert it to a typed table."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from dashboard.core.data.csvfile import CsvRecords, read_csv_records
from dashboard.core.data.problems import Problem
from dashboard.core.data.columns import LIST_SEPARATOR, SOURCE_SEPARATOR, Column

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def split_list(value: str, separator: str = LIST_SEPARATOR) -> list[str]:
    """Split a ``;``-separated cell into its non-empty, stripped parts."""
    return [part.strip() for part in value.split(separator) if part.strip()]


def split_sources(value: str) -> list[str]:
    """Split a sources cell (``" ; "``-separated) into its parts."""
    return [part.strip() for part in value.split(SOURCE_SEPARATOR.strip()) if part.strip()]


def is_http_url(text: str) -> bool:
    """True when ``text`` is a single http(s) URL without spaces or quotes."""
    return bool(URL_PATTERN.match(text.strip()))


def parse_iso_date(text: str) -> dt.date | None:
    """The date written as ``YYYY-MM-DD``, or None when it is not one or does not exist."""
    if not ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def convert_value(column: Column, raw: str):
    """Return ``(value, expected)``: the converted value, or None and what was expected."""
    kind = column.kind
    if kind in ("text",):
        return raw, None
    if kind == "id":
        return (raw, None) if ID_PATTERN.match(raw) else (None, "an id of letters, digits, '-', '_' or '.'")
    if kind in ("ids", "list"):
        parts = split_list(raw)
        if kind == "ids":
            bad = [p for p in parts if not ID_PATTERN.match(p)]
            if bad:
                return None, f"ids separated by '{LIST_SEPARATOR}'; {bad[0]!r} is not an id"
        return tuple(parts), None
    if kind == "sources":
        parts = split_sources(raw)
        for part in parts:
            if part.lower().startswith(("http:", "https:", "www.")) and not is_http_url(part):
                return None, f"sources separated by '{SOURCE_SEPARATOR.strip()}'; {part!r} is not a valid http(s) URL"
        return tuple(parts), None
    if kind == "date":
        value = parse_iso_date(raw)
        return (value, None) if value else (None, "a date that exists, written YYYY-MM-DD")
    if kind == "choice":
        return (raw, None) if raw in column.choices else (None, f"one of {', '.join(column.choices)}")
    if kind in ("float", "lat", "lon", "int"):
        return _convert_number(column, raw)
    raise ValueError(f"`kind` was {kind!r}, which no converter handles")


def number_bounds(column: Column) -> tuple[float | None, float | None]:
    """The smallest and largest value a number column accepts."""
    if column.kind == "lat":
        return -90.0, 90.0
    if column.kind == "lon":
        return -180.0, 180.0
    return column.minimum, column.maximum


def out_of_range(column: Column) -> str:
    """What a number column expects, said when a value is outside its bounds."""
    lo, hi = number_bounds(column)
    label = {"lat": "a latitude", "lon": "a longitude", "int": "a whole number"}.get(column.kind, "a number")
    return f"{label} between {lo:g} and {hi:g}"


def _convert_number(column: Column, raw: str):
    kind = column.kind
    lo, hi = number_bounds(column)
    try:
        number = int(raw) if kind == "int" else float(raw)
    except ValueError:
        what = "a whole number" if kind == "int" else "a decimal number"
        return None, what
    if number != number:  # NaN
        return None, "a number, not NaN"
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        return None, out_of_range(column)
    return number, None


def check_records(records: CsvRecords, columns: tuple[Column, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert every record of ``records``; return the table and every problem found.

    The table keeps every record, bad values becoming missing, plus a ``line``
    column with the file line each record starts on. Ids must be unique.
    """
    name = records.path.name
    problems = list(records.problems)
    rows = []
    seen_ids: dict[str, int] = {}
    for line, values in records.records:
        row = {"line": line}
        for column in columns:
            raw = values.get(column.name, "")
            row[column.name] = None
            if raw == "":
                if column.required:
                    problems.append(Problem(name, line, column.name, raw, "a value (this column may not be empty)"))
                elif column.kind in ("ids", "list", "sources"):
                    row[column.name] = ()
                continue
            value, expected = convert_value(column, raw)
            if expected:
                problems.append(Problem(name, line, column.name, raw, expected))
                continue
            row[column.name] = value
            if column.kind == "id":
                if raw in seen_ids:
                    problems.append(Problem(name, line, column.name, raw, f"a unique id; line {seen_ids[raw]} has it too"))
                else:
                    seen_ids[raw] = line
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["line"] + [c.name for c in columns], dtype=object)
    frame["line"] = frame["line"].astype("int64")
    return frame, problems


def load_checked(path: str | Path, columns: tuple[Column, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``path`` and check it against ``columns``."""
    required = tuple(c.name for c in columns if c.required)
    records = read_csv_records(path, required)
    return check_records(records, columns)
