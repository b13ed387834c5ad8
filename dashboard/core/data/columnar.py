"""Check a data file column by column: the problems of :func:`validate.check_records`, found in bulk.

A million-row file is read by Arrow's CSV reader and each column is checked
with vectorised rules. A rule only ever accepts what the record-by-record
converter would accept in the same way (plain ASCII numbers, ISO dates that
exist, ids and lists without stray spaces); every other value goes through
that converter, so a problem is reported with the same words. A file whose
structure is unusual (a bad header, a record with the wrong number of fields,
bytes that are not UTF-8) is read record by record as before.

The result is a typed table (dates, nullable integers, floats, tuples, text)
with the ``line`` each record starts on, and the problems in file order.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.core.data.columns import Column
from dashboard.core.data.problems import Problem
from dashboard.core.data.validate import convert_value, load_checked, number_bounds, out_of_range

BOM = b"\xef\xbb\xbf"
#: Parts of the rules below: printable ASCII without quotes, angle brackets or ';' (and without space).
_URL_CHARS = r"[\x21\x23-\x26\x28-\x3A\x3D\x3F-\x7E]"
_PART = r"[\x21-\x3A\x3C-\x7E](?:[\x20-\x3A\x3C-\x7E]*[\x21-\x3A\x3C-\x7E])?"
_ID = r"[A-Za-z0-9][A-Za-z0-9_.\-]*"
RULES = {
    "id": f"^{_ID}$",
    "ids": f"^{_ID}(?:;{_ID})*$",
    "list": f"^{_PART}(?:;{_PART})*$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "int": r"^-?[0-9]{1,15}$",
    "float": r"^-?[0-9]{1,6}(?:\.[0-9]{1,15})?$",
    "url": f"(?i)^https?://{_URL_CHARS}+$",
    "not_url": r"(?i)^(?:http:|https:|www\.)",
}
REQUIRED = "a value (this column may not be empty)"


def read_checked(path: str | Path, columns: tuple[Column, ...]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and check ``path`` against ``columns``: a typed table (with ``line``) and every problem, in file order."""
    path = Path(path)
    fast = _read_columnar(path, columns)
    if fast is not None:
        return fast
    frame, problems = load_checked(path, columns)
    return typed_frame(frame, columns), problems


def typed_frame(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    """The object table of :func:`validate.check_records` with typed columns (what :func:`read_checked` returns)."""
    out = pd.DataFrame({"line": frame["line"].astype("int64")})
    for column in columns:
        values = frame[column.name]
        kind = column.kind
        if kind == "date":
            out[column.name] = pd.to_datetime(values, errors="coerce").astype("datetime64[s]")
        elif kind == "int":
            out[column.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif kind in ("float", "lat", "lon"):
            out[column.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif kind in ("ids", "list", "sources"):
            out[column.name] = pd.Series([v if isinstance(v, tuple) else () for v in values], dtype=object)
        else:
            out[column.name] = pd.Series(values, dtype="str")
    return out


def _read_columnar(path: Path, columns: tuple[Column, ...]) -> tuple[pd.DataFrame, list[Problem]] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(BOM) if data.startswith(BOM) else 0
    lines = _record_lines(data, start)
    if lines is None:
        return None
    header, first_record_line = lines[0]
    names = _header(header, columns)
    if names is None:
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    del data
    record_lines = lines[1]
    if table.num_rows != len(record_lines):
        return None
    stripped = {name: pc.utf8_trim_whitespace(table.column(name).combine_chunks()) for name in names}
    del table
    blank = _all_blank(stripped, len(record_lines))
    if blank.any():
        keep = pa.array(~blank)
        stripped = {name: values.filter(keep) for name, values in stripped.items()}
        record_lines = record_lines[~blank]
    out = {"line": pd.Series(record_lines, dtype="int64")}
    found: list[tuple[int, int, str, str]] = []
    for position, column in enumerate(columns):
        values = stripped.pop(column.name, None)
        if values is None:  # an optional column the file does not have: every value empty
            values = pa.array([""] * len(record_lines), type=pa.string())
        out[column.name] = _check_column(column, position, values, found)
    problems = _problems(path.name, found, record_lines, columns)
    return pd.DataFrame(out), problems


def _record_lines(data: bytes, start: int):
    """The header's text and the line each non-empty record starts on, or None when a quote is left open."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == 10)
    returns = np.flatnonzero(buffer == 13)
    if len(returns) and (returns[-1] + 1 >= len(data) or (buffer[returns + 1] != 10).any()):
        return None  # a bare carriage return ends a line for the record reader: let it count the lines
    quotes = np.flatnonzero(buffer == 34)
    if len(quotes) % 2:
        return None
    closing = newlines[np.searchsorted(quotes, newlines) % 2 == 0]  # newlines outside quoted fields
    ends = np.append(closing, len(data))
    starts = np.concatenate([[start], closing + 1])
    length = ends - starts
    carriage = (length == 1) & (buffer[np.minimum(starts, len(data) - 1)] == 13) if len(data) else length == 0
    non_empty = (length > 0) & ~carriage
    starts, ends = starts[non_empty], ends[non_empty]
    if not len(starts):
        return None
    lines = np.searchsorted(newlines, starts) + 1
    header = data[starts[0]:ends[0]]
    return (header, lines[0]), lines[1:].astype("int64")


def _header(raw: bytes, columns: tuple[Column, ...]) -> list[str] | None:
    """The header's names, when they are what the record reader would accept without a problem."""
    try:
        header = next(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    names = [h.strip() for h in header]
    required = [c.name for c in columns if c.required]
    if len(set(names)) != len(names) or any(n not in names for n in required) or not names or "" in names:
        return None
    return names


def _all_blank(stripped: dict, rows: int) -> np.ndarray:
    blank = np.ones(rows, dtype=bool)
    for values in stripped.values():
        blank &= pc.equal(values, "").to_numpy(zero_copy_only=False)
        if not blank.any():
            break
    return blank


def _check_column(column: Column, position: int, values: pa.Array, found: list) -> pd.Series:
    """Typed values of one column; problems appended to ``found`` as (row, column position, value, expected)."""
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    if column.required and empty.any():
        found.extend((int(i), position, "", REQUIRED) for i in np.flatnonzero(empty))
    kind = column.kind
    if kind == "text":
        return _text(values, empty)
    if kind == "choice":
        ok = pc.is_in(values, value_set=pa.array(list(column.choices), type=pa.string())).to_numpy(zero_copy_only=False)
        bad = ~ok & ~empty
        expected = f"one of {', '.join(column.choices)}"
        found.extend((int(i), position, raw, expected) for i, raw in _pick(values, bad))
        return _text(values, ~ok)
    if kind == "id":
        ok = _matches(values, RULES["id"])
        bad = ~ok & ~empty
        _scalar(column, position, values, bad, found)
        typed = _text(values, ~ok)
        _unique(typed, ok, position, found)
        return typed
    if kind in ("ids", "list", "sources"):
        return _lists(column, position, values, empty, found)
    if kind == "date":
        return _dates(column, position, values, empty, found)
    return _numbers(column, position, values, empty, found)


def _matches(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)


def _pick(values: pa.Array, mask: np.ndarray):
    """``(row, value)`` for the rows of ``mask`` (few, as a rule)."""
    rows = np.flatnonzero(mask)
    return zip(rows.tolist(), values.take(pa.array(rows)).to_pylist()) if len(rows) else iter(())


def _text(values: pa.Array, missing: np.ndarray) -> pd.Series:
    series = pd.Series(pd.array(values, dtype="str"))
    return series.mask(missing) if missing.any() else series


def _scalar(column: Column, position: int, values: pa.Array, rows: np.ndarray, found: list, typed=None):
    """Convert the values of ``rows`` one by one, as the record reader does; fill ``typed`` where they pass."""
    for row, raw in _pick(values, rows):
        value, expected = convert_value(column, raw)
        if expected:
            found.append((row, position, raw, expected))
        elif typed is not None:
            typed[row] = value


def _unique(typed: pd.Series, valid: np.ndarray, position: int, found: list) -> None:
    ids = typed.where(valid)
    repeated = ids.duplicated(keep="first") & ids.notna()
    if not repeated.any():
        return
    first_rows = pd.Series(np.arange(len(ids))).groupby(ids.to_numpy()).first()
    for row in np.flatnonzero(repeated.to_numpy()):
        found.append((int(row), position, ids.iloc[row], ("unique", int(first_rows[ids.iloc[row]]))))


def _lists(column: Column, position: int, values: pa.Array, empty: np.ndarray, found: list) -> pd.Series:
    if column.kind == "sources":
        plain = ~_matches(values, ";") & (_matches(values, RULES["url"]) | ~_matches(values, RULES["not_url"]))
    else:
        plain = _matches(values, RULES[column.kind])
    plain &= ~empty
    typed = np.empty(len(values), dtype=object)
    typed[:] = [()] * len(values)
    rows = np.flatnonzero(plain)
    if len(rows):
        cells = values.take(pa.array(rows))
        if column.kind == "sources":  # one source per cell, as a rule, and most cells differ
            typed[rows] = [(cell,) for cell in cells.to_pylist()]
        else:  # few distinct lists (sites, countries): split each once and share the tuples
            encoded = pc.dictionary_encode(cells)
            distinct = np.empty(len(encoded.dictionary), dtype=object)
            distinct[:] = [tuple(cell.split(";")) for cell in encoded.dictionary.to_pylist()]
            typed[rows] = distinct[encoded.indices.to_numpy()]
    _scalar(column, position, values, ~plain & ~empty, found, typed)
    return pd.Series(typed, dtype=object)


def _dates(column: Column, position: int, values: pa.Array, empty: np.ndarray, found: list) -> pd.Series:
    plain = _matches(values, RULES["date"])
    text = pd.Series(pd.array(values, dtype="str")).where(plain)
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
    rest = ~empty & dates.isna().to_numpy()
    typed = {}
    _scalar(column, position, values, rest, found, typed)
    for row, value in typed.items():  # a real date the fast rule left to the converter
        dates.iloc[row] = pd.to_datetime(value, errors="coerce")
    return dates


def _numbers(column: Column, position: int, values: pa.Array, empty: np.ndarray, found: list) -> pd.Series:
    is_int = column.kind == "int"
    plain = _matches(values, RULES["int" if is_int else "float"])
    numbers = pc.cast(values.filter(pa.array(plain)), pa.int64() if is_int else pa.float64()).to_numpy()
    lo, hi = number_bounds(column)
    inside = np.ones(len(numbers), dtype=bool)
    if lo is not None:
        inside &= numbers >= lo
    if hi is not None:
        inside &= numbers <= hi
    plain_rows = np.flatnonzero(plain)
    outside = plain_rows[~inside]
    if len(outside):
        expected = out_of_range(column)
        raws = values.take(pa.array(outside)).to_pylist()
        found.extend((int(r), position, raw, expected) for r, raw in zip(outside, raws))
    typed: dict[int, object] = {}
    _scalar(column, position, values, ~plain & ~empty, found, typed)
    if is_int:
        result = pd.array(np.zeros(len(values), dtype="int64"), dtype="Int64")
        result[:] = pd.NA
        good = plain_rows[inside]
        result[good] = numbers[inside]
        for row, value in typed.items():
            result[row] = value
        return pd.Series(result)
    result = np.full(len(values), np.nan)
    result[plain_rows[inside]] = numbers[inside]
    for row, value in typed.items():
        result[row] = value
    return pd.Series(result, dtype="float64")


def _problems(name: str, found: list, lines: np.ndarray, columns: tuple[Column, ...]) -> list[Problem]:
    """Problems in the order the record reader finds them: by line, then by column."""
    found.sort(key=lambda item: (item[0], item[1]))
    problems = []
    column_names = {position: column.name for position, column in enumerate(columns)}
    for row, position, raw, expected in found:
        line = int(lines[row])
        if isinstance(expected, tuple):  # a repeated id: name the line of its first use
            expected = f"a unique id; line {int(lines[expected[1]])} has it too"
        problems.append(Problem(name, line, column_names.get(position), raw, expected))
    return problems
