"""Read a CSV file into records that remember the line each one starts on."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.core.data.problems import Problem


@dataclass
class CsvRecords:
    """The header and records of one CSV file, with problems met while reading it."""

    path: Path
    header: list[str]
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_csv_records(path: str | Path, required_columns: tuple[str, ...] = ()) -> CsvRecords:
    """Read ``path`` as UTF-8 CSV (a byte-order mark is allowed).

    Every value stays a string; nothing is converted or dropped. Each record is
    paired with the file line it starts on (header = line 1). A record with
    too many or too few fields is reported and still returned, with missing
    fields empty, so that its other problems are reported too.
    """
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return CsvRecords(path, [], problems=[Problem(name, None, None, None, f"file not found: {path}")])
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return CsvRecords(
            path, [], problems=[Problem(name, line, None, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")]
        )

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out = CsvRecords(path, [])
    try:
        header = next(reader, None)
    except csv.Error as exc:
        out.problems.append(Problem(name, 1, None, None, f"unreadable header: {exc}"))
        return out
    if not header:
        out.problems.append(Problem(name, 1, None, None, "the file is empty; a header line is expected"))
        return out
    out.header = [h.strip() for h in header]
    _check_header(out, required_columns)

    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.problems.append(Problem(name, start, None, None, f"malformed CSV record: {exc}"))
            break
        if not row or all(not cell.strip() for cell in row):
            start = reader.line_num + 1
            continue
        if len(row) != len(out.header):
            out.problems.append(
                Problem(name, start, None, None, f"expected {len(out.header)} fields as in the header, found {len(row)}")
            )
        values = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(out.header)}
        out.records.append((start, values))
        start = reader.line_num + 1
    return out


def _check_header(out: CsvRecords, required: tuple[str, ...]) -> None:
    name = out.path.name
    seen: set[str] = set()
    for col in out.header:
        if col in seen:
            out.problems.append(Problem(name, 1, col, None, "column appears twice in the header"))
        seen.add(col)
    missing = [c for c in required if c not in seen]
    for col in missing:
        out.problems.append(Problem(name, 1, col, None, "required column is missing from the header"))
