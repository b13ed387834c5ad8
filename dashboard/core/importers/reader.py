"""Read the records of a file in bounded chunks, as text columns, each row knowing its file line.

The fast way (used whenever :mod:`.scan` found the file regular): records are
read in slices of ``chunk_records`` that begin and end on record boundaries
and parsed by pyarrow's CSV reader; the scan gives every record's line. A
slice that pyarrow refuses, or that yields another number of rows, is looked
at record by record: its field counts are computed from the bytes, records
with a wrong count are rejected with their line, and the rest is parsed again
(by the ``csv`` module, record by record, if pyarrow still refuses). Files the
scan found irregular are read entirely with the ``csv`` module, still in
chunks. Memory is bounded by the chunk size either way.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.core.importers.detect import MAX_FIELD_CHARS, Layout
from dashboard.core.importers.fields import excerpt
from dashboard.core.importers.report import Rejections
from dashboard.core.importers.scan import RecordIndex, count_fields

CHUNK_RECORDS = 50_000
_ARROW_BLOCK = 4 << 20


@dataclass
class Chunk:
    """Rows of one slice of the file: ``frame`` holds those with the right shape (text columns plus
    ``_line``); ``records`` counts every data record the slice covers, ``rejected`` those refused for
    their shape (already added to the rejections)."""

    frame: pd.DataFrame
    records: int
    rejected: int


class RecordReader:
    """Iterate over a file's data records in :class:`Chunk` s.

    Parameters
    ----------
    path : path
        The file.
    layout : Layout
        What :func:`.detect.detect_layout` found.
    columns : tuple of str
        The columns to keep (those absent from the file come out empty).
    encoding : str
        Python codec name of the file's text.
    index : RecordIndex
        The scan of the file (:func:`.scan.scan_records`).
    rejections : Rejections
        Where records of the wrong shape are reported.
    chunk_records : int
        Records per chunk.
    """

    def __init__(self, path: str | Path, layout: Layout, columns: tuple[str, ...], encoding: str,
                 index: RecordIndex, rejections: Rejections, chunk_records: int = CHUNK_RECORDS):
        if chunk_records < 1:
            raise ValueError(f"`chunk_records` was {chunk_records} but must be at least 1")
        self.path = Path(path)
        self.layout = layout
        self.columns = columns
        self.encoding = encoding
        # pyarrow reads UTF-8 natively; any other name makes it transcode through Python, much slower.
        self.arrow_encoding = "utf8" if codecs.lookup(encoding).name == "utf-8" else encoding
        self.index = index
        self.rejections = rejections
        self.chunk_records = chunk_records
        self.first = (1 if layout.has_header else 0) + (1 if layout.hxl_row else 0)
        self.fast = index.irregular is None
        self.method = "byte scan + pyarrow" if self.fast else "csv module"
        self.blocks_reparsed = 0

    @property
    def total(self) -> int | None:
        """Number of data records, when the scan could count them."""
        return max(len(self.index) - self.first, 0) if self.fast else None

    def __iter__(self) -> Iterator[Chunk]:
        return self._fast_chunks() if self.fast else self._csv_module_chunks()

    # --- fast path -------------------------------------------------------------------------------
    def _fast_chunks(self) -> Iterator[Chunk]:
        starts, lines, n = self.index.starts, self.index.lines, len(self.index)
        with open(self.path, "rb") as handle:
            for a in range(self.first, n, self.chunk_records):
                b = min(a + self.chunk_records, n)
                cut = self.index.open_quote_at_eof and b == n
                stop = b - 1 if cut else b
                frame, rejected = self._empty(), 0
                if stop > a:
                    handle.seek(int(starts[a]))
                    data = handle.read(self.index.end_of(stop - 1) - int(starts[a]))
                    frame, rejected = self._parse_block(data, starts[a:stop] - starts[a], lines[a:stop])
                if cut:
                    handle.seek(int(starts[n - 1]))
                    tail = handle.read(200).decode(self.encoding, errors="replace")
                    self.rejections.add(int(lines[n - 1]), None, excerpt(tail.strip()),
                                        "the file ends inside a quoted field that opens in this record "
                                        "(a truncated file, or a quote never closed)", "truncated")
                    rejected += 1
                yield Chunk(frame, b - a, rejected)

    def _parse_block(self, data: bytes, starts: np.ndarray, lines: np.ndarray) -> tuple[pd.DataFrame, int]:
        names = self.layout.columns
        try:
            frame = self._arrow(data, names)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            frame = None
        if frame is not None and len(frame) == len(starts):
            frame["_line"] = lines
            return frame, 0
        self.blocks_reparsed += 1
        return self._parse_by_shape(data, starts, lines)

    def _parse_by_shape(self, data: bytes, starts: np.ndarray, lines: np.ndarray) -> tuple[pd.DataFrame, int]:
        sep, quoting = self.layout.separator, self.layout.quoting
        fields = count_fields(data, starts, sep, quoting)
        ends = np.append(starts[1:], len(data))
        good = np.isin(fields, self.layout.field_counts)
        frames = []
        for count in np.unique(fields[good]):
            chosen = np.flatnonzero(fields == count)
            names = self.layout.names_for(int(count))
            piece = b"".join(data[int(s):int(e)] for s, e in _runs(starts, ends, chosen))
            try:
                frame = self._arrow(piece, names)
                if len(frame) != len(chosen):
                    raise ValueError("row count differs")
            except (pa.ArrowInvalid, UnicodeDecodeError, ValueError):
                frame, unreadable = self._csv_records([data[int(starts[i]):int(ends[i])] for i in chosen], names)
                for k, reason in unreadable.items():
                    self._reject_unreadable(int(lines[chosen[k]]), reason)
                    good[chosen[k]] = False
                chosen = np.delete(chosen, list(unreadable))
            frame["_line"] = lines[chosen]
            frames.append(frame)
        for i in np.flatnonzero(~np.isin(fields, self.layout.field_counts)):
            record = data[int(starts[i]):int(ends[i])].decode(self.encoding, errors="replace").rstrip("\r\n")
            self._reject_shape(int(lines[i]), int(fields[i]), record)
        frame = pd.concat(frames, ignore_index=True) if frames else self._empty()
        return frame.sort_values("_line", kind="stable").reset_index(drop=True), int((~good).sum())

    def _arrow(self, data: bytes, names: tuple[str, ...]) -> pd.DataFrame:
        include = [c for c in self.columns if c in names]
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=list(names), encoding=self.arrow_encoding,
                                           block_size=_ARROW_BLOCK),
            parse_options=pacsv.ParseOptions(delimiter=self.layout.separator,
                                             quote_char='"' if self.layout.quoting else False,
                                             newlines_in_values=self.layout.quoting),
            convert_options=pacsv.ConvertOptions(include_columns=include,
                                                 column_types={c: pa.string() for c in include},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        return self._complete(table.to_pandas())

    def _csv_records(self, records: list[bytes], names: tuple[str, ...]) -> tuple[pd.DataFrame, dict[int, str]]:
        """Parse records one by one with the csv module (the slow, exact fallback); also return the records
        it cannot read, by position, with the csv module's reason."""
        rows, unreadable = [], {}
        for position, record in enumerate(records):
            text = record.decode(self.encoding, errors="replace")
            try:
                parsed = next(csv.reader(io.StringIO(text, newline=""), **self._dialect()), [])
            except csv.Error as exc:
                unreadable[position] = str(exc)
                continue
            rows.append(parsed + [""] * (len(names) - len(parsed)))
        return self._frame(rows, names), unreadable

    # --- csv module path -------------------------------------------------------------------------
    def _csv_module_chunks(self) -> Iterator[Chunk]:
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, **self._dialect())
            start, seen = 1, 0
            rows: dict[int, list] = {}
            row_lines: dict[int, list] = {}
            records = rejected = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:  # a field over MAX_FIELD_CHARS: the reader goes on at the next record
                    line, start = start, reader.line_num + 1
                    records += 1
                    rejected += 1
                    self._reject_unreadable(line, str(exc))
                    continue
                line, start = start, reader.line_num + 1
                if not row:
                    continue
                seen += 1
                if seen <= self.first:
                    continue
                records += 1
                if len(row) in self.layout.field_counts:
                    rows.setdefault(len(row), []).append(row)
                    row_lines.setdefault(len(row), []).append(line)
                else:
                    self._reject_shape(line, len(row), self.layout.separator.join(row))
                    rejected += 1
                if records >= self.chunk_records:
                    yield Chunk(self._group_frames(rows, row_lines), records, rejected)
                    rows, row_lines, records, rejected = {}, {}, 0, 0
            if records:
                yield Chunk(self._group_frames(rows, row_lines), records, rejected)

    def _group_frames(self, rows: dict[int, list], row_lines: dict[int, list]) -> pd.DataFrame:
        frames = []
        for count, group in rows.items():
            frame = self._frame(group, self.layout.names_for(count))
            frame["_line"] = np.asarray(row_lines[count], dtype=np.int64)
            frames.append(frame)
        if not frames:
            return self._empty()
        return pd.concat(frames, ignore_index=True).sort_values("_line", kind="stable").reset_index(drop=True)

    # --- helpers ---------------------------------------------------------------------------------
    def _dialect(self) -> dict:
        if self.layout.quoting:
            return {"delimiter": self.layout.separator}
        return {"delimiter": self.layout.separator, "quoting": csv.QUOTE_NONE}

    def _frame(self, rows: list[list[str]], names: tuple[str, ...]) -> pd.DataFrame:
        keep = [(k, c) for k, c in enumerate(names) if c in self.columns]
        data = {c: pd.array([row[k] for row in rows], dtype="str") for k, c in keep}
        return self._complete(pd.DataFrame(data, index=pd.RangeIndex(len(rows))))

    def _complete(self, frame: pd.DataFrame) -> pd.DataFrame:
        for column in self.columns:
            if column not in frame.columns:
                frame[column] = pd.array([""] * len(frame), dtype="str")
        return frame.loc[:, list(self.columns)]

    def _empty(self) -> pd.DataFrame:
        frame = self._complete(pd.DataFrame(index=pd.RangeIndex(0)))
        frame["_line"] = np.zeros(0, dtype=np.int64)
        return frame

    def _reject_unreadable(self, line: int, reason: str) -> None:
        self.rejections.add(line, None, "", f"a record the csv reader cannot read ({reason}; fields of up to "
                                            f"{MAX_FIELD_CHARS:,} characters are read)", "unreadable")

    def _reject_shape(self, line: int, count: int, record: str) -> None:
        expected = " or ".join(map(str, self.layout.field_counts))
        what = "the header has" if self.layout.has_header else "this layout has"
        hint = ("a record cut short, or a line break outside quotes?" if count < min(self.layout.field_counts)
                else "a separator inside a value that is not quoted?")
        self.rejections.add(line, None, excerpt(record), f"{count} fields where {what} {expected} ({hint})",
                            "field_count")


def _runs(starts: np.ndarray, ends: np.ndarray, chosen: np.ndarray) -> list[tuple[int, int]]:
    """Byte ranges covering the chosen records, consecutive records merged into one range."""
    if not len(chosen):
        return []
    breaks = np.flatnonzero(np.diff(chosen) != 1)
    firsts = np.concatenate(([chosen[0]], chosen[breaks + 1]))
    lasts = np.concatenate((chosen[breaks], [chosen[-1]]))
    return list(zip(starts[firsts].tolist(), ends[lasts].tolist()))
