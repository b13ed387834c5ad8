"""Tell which dataset and which of its layouts a file is, from the file itself.

Only the first few kilobytes are read: the header (names, separator), the
second record (an HDX copy puts a row of ``#hashtags`` there) and, for a
headerless file, the number of tab-separated fields (GDELT 1.0 has 57 or 58,
GDELT 2.0 has 61). Columns are always matched by name, never by position,
except in GDELT files, which have no header.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.core.importers.acled import ACLED_COLUMNS, describe_acled
from dashboard.core.importers.gdelt import GDELT_FIELD_COUNTS, gdelt_columns
from dashboard.core.importers.ucdp import UCDP_COLUMNS, describe_ucdp
from dashboard.core.importers.unpack import FileRefusedError

FORMATS = ("auto", "acled", "ucdp", "gdelt")
SAMPLE_BYTES = 256 << 10
#: Most columns a file may have (a header of tens of thousands of names is no event export).
MAX_COLUMNS = 500
#: Longest field the csv module reads (its default is 128 KB; a note of a few megabytes is odd but readable).
#: A record with a longer field is rejected with its line, never an error that stops the import.
MAX_FIELD_CHARS = 16 << 20
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
_SEPARATORS = (",", ";", "\t", "|")
_UNNAMED = re.compile(r"^(unnamed: ?\d+)?$")


class UnknownFormatError(FileRefusedError):
    """The file is in none of the formats the importer reads (or not in the one asked for)."""


@dataclass(frozen=True)
class Layout:
    """What :func:`detect_layout` found out about a file.

    ``columns`` are the names given to the fields, in file order: the
    header's names lower-cased and made unique (an unnamed column becomes
    ``_unnamed_<n>``), or GDELT's documented names. For GDELT,
    ``columns_by_count`` gives the names for each accepted number of fields.
    """

    format: str
    name: str
    source_dataset: str
    separator: str
    quoting: bool
    has_header: bool
    columns: tuple[str, ...]
    columns_by_count: dict[int, tuple[str, ...]] = field(default_factory=dict)
    hxl_row: bool = False
    flags: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()
    unnamed_columns: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()

    @property
    def field_counts(self) -> tuple[int, ...]:
        """The numbers of fields a record may have."""
        return tuple(self.columns_by_count) if self.columns_by_count else (len(self.columns),)

    def names_for(self, count: int) -> tuple[str, ...]:
        """Column names of a record with ``count`` fields."""
        return self.columns_by_count.get(count, self.columns)


def detect_layout(path: str | Path, format: str = "auto") -> Layout:  # noqa: A002 - the public API names it so
    """Detect the format and layout of the file at ``path``.

    Parameters
    ----------
    path : path
        A CSV or tab-separated file.
    format : {"auto", "acled", "ucdp", "gdelt"}
        ``"auto"`` decides from the content; any other value checks that the
        file is in that format.

    Raises
    ------
    UnknownFormatError
        When the file is empty, not text, in no known format, or not in the
        format asked for; the message says what was found.
    """
    if format not in FORMATS:
        raise ValueError(f"`format` was {format!r} but is expected to be one of {list(FORMATS)}")
    path = Path(path)
    text = _sample_text(path)
    records = _first_lines(text)
    found = _detect_gdelt(records) or _detect_csv(text, path.name)
    if found is None:
        raise UnknownFormatError(_unknown_message(path, records, format))
    if format != "auto" and found.format != format:
        raise UnknownFormatError(
            f"`format` was {format!r} but {path.name} looks like {found.source_dataset} ({found.name})")
    return found


def _sample_text(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if not head.strip():
        raise UnknownFormatError(f"{path.name} is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnknownFormatError(f"{path.name} is encoded as UTF-16; save it as UTF-8 (or Latin-1) CSV and retry")
    if head.startswith(b"PK\x03\x04"):
        raise UnknownFormatError(f"{path.name} is a zip archive; pass the CSV inside it")
    if b"\x00" in head:
        utf16 = _utf16_without_mark(head)
        if utf16:
            raise UnknownFormatError(f"{path.name} looks like UTF-16 ({utf16}) without a byte-order mark; "
                                     "save it as UTF-8 (or Latin-1) CSV and retry")
        raise UnknownFormatError(f"{path.name} holds NUL bytes: it is not a text (CSV) file")
    return head.decode("utf-8-sig", errors="replace")


def _utf16_without_mark(head: bytes) -> str | None:
    """"little-endian" or "big-endian" when nearly every other byte is NUL (UTF-16 text in a Latin script)."""
    sample = head[: 1 << 16]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    for order, nuls in (("little-endian", sample[1::2]), ("big-endian", sample[0::2])):
        if nuls.count(0) >= 0.9 * pairs and sample.count(0) <= 0.6 * len(sample):
            return order
    return None


def _first_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut
    return [line.rstrip("\r") for line in lines]


def _detect_gdelt(lines: list[str]) -> Layout | None:
    counts = [len(line.split("\t")) for line in lines if line.strip()]
    if not counts or not set(counts) <= set(GDELT_FIELD_COUNTS):
        return None
    first = lines[0].split("\t")
    if not (first[0].isdigit() and re.fullmatch(r"\d{8}", first[1])):
        return None
    if set(counts) == {61}:
        version, name = "GDELT 2.0", "GDELT 2.0 events (61 columns, no header)"
    elif set(counts) <= {57, 58}:
        version = "GDELT 1.0"
        name = {frozenset({58}): "GDELT 1.0 daily events (58 columns, no header)",
                frozenset({57}): "GDELT 1.0 historical backfile (57 columns, no header)"}.get(
            frozenset(counts), "GDELT 1.0 events, daily and backfile rows mixed (57 and 58 columns)")
    else:
        return None
    by_count = {n: gdelt_columns(n) for n in ((61,) if version == "GDELT 2.0" else (57, 58))}
    return Layout("gdelt", name, version, "\t", False, False, by_count[max(by_count)], by_count)


def _detect_csv(text: str, name: str = "the file") -> Layout | None:
    header_line = text.split("\n", 1)[0]
    separator = max(_SEPARATORS, key=lambda s: _count_outside_quotes(header_line, s))
    columns = _count_outside_quotes(header_line, separator) + 1
    if columns > MAX_COLUMNS:
        counted = f"{columns:,}" if "\n" in text else f"more than {columns:,}"  # the line goes on past the sample
        raise UnknownFormatError(
            f"{name} has {counted} columns in its first line; the importer reads files of at most {MAX_COLUMNS} "
            f"columns (ACLED exports have about 31, UCDP GED 49, GDELT 61)")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        header = next(reader, [])
        second = next(reader, [])
    except csv.Error as exc:
        raise UnknownFormatError(f"{name}: the first two lines cannot be read as CSV ({exc})") from None
    raw = [h.strip().lstrip("\ufeff") for h in header]
    names = _unique_names(raw)
    present = set(names)
    hxl = bool(second) and any(cell.strip().startswith("#") for cell in second) and all(
        not cell.strip() or cell.strip().startswith("#") for cell in second)
    if {"event_id_cnty", "event_date"} <= present:
        fmt, known, (name, flags, missing) = "acled", ACLED_COLUMNS, describe_acled(raw, names)
        dataset = "ACLED"
    elif {"date_start", "type_of_violence"} <= present or {"date_start", "where_prec", "best"} <= present:
        fmt, known, (name, flags, missing) = "ucdp", UCDP_COLUMNS, describe_ucdp(names, hxl)
        dataset = "UCDP GED"
    else:
        return None
    unnamed = tuple(n for n in names if n.startswith("_unnamed_"))
    extra = tuple(n for n in names if n not in known and not n.startswith(("_unnamed_", "population_")))
    if unnamed:
        flags = flags + ("unnamed index column (ignored)",)
    if hxl:
        flags = flags + ("HXL hashtag row on line 2",)
    return Layout(fmt, name, dataset, separator, True, True, tuple(names), hxl_row=hxl, flags=flags,
                  extra_columns=extra, unnamed_columns=unnamed, missing_columns=missing)


def _count_outside_quotes(line: str, separator: str) -> int:
    return sum(part.count(separator) for part in line.split('"')[::2])


def _unique_names(raw: list[str]) -> list[str]:
    """Lower-cased names made unique ("x", "x_2", "x_3", ...); time in proportion to the number of names."""
    names: list[str] = []
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}  # per repeated name, the first suffix not yet tried
    for position, name in enumerate(raw):
        name = name.lower()
        if _UNNAMED.match(name):
            name = f"_unnamed_{position}"
        if name in seen:
            base, n = name, next_suffix.get(name, 2)
            while f"{base}_{n}" in seen:
                n += 1
            name, next_suffix[base] = f"{base}_{n}", n + 1
        seen.add(name)
        names.append(name)
    return names


def _unknown_message(path: Path, lines: list[str], asked: str) -> str:
    first = (lines[0] if lines else "")[:120]
    wanted = "" if asked == "auto" else f" (`format` was {asked!r})"
    return (f"{path.name} is in no format the importer knows{wanted}: not an ACLED CSV (needs columns "
            f"event_id_cnty and event_date), not a UCDP GED CSV (needs date_start and type_of_violence), "
            f"not a GDELT events file (tab-separated, no header, {' or '.join(map(str, GDELT_FIELD_COUNTS))} "
            f"fields). Its first line starts: {first!r}")
