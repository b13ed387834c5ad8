"""Import an ACLED, UCDP GED or GDELT file: detect, read in chunks, map, date, place, link, report.

This is the one entry point the command line and the app call
(:func:`import_events`); the other modules of the package each do one step.
"""
from __future__ import annotations

import codecs
import math
import numbers
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core.importers.acled import WANTED as ACLED_WANTED
from dashboard.core.importers.acled import map_acled
from dashboard.core.importers.event_dates import choose_date_formats, parse_dates
from dashboard.core.importers.detect import FORMATS, Layout, detect_layout
from dashboard.core.importers.fields import RowChecks, excerpt
from dashboard.core.importers.gdelt import WANTED as GDELT_WANTED
from dashboard.core.importers.gdelt import map_gdelt
from dashboard.core.importers.nearest import nearest_sites
from dashboard.core.importers.named_places import locate_by_name
from dashboard.core.importers.reader import CHUNK_RECORDS, RecordReader
from dashboard.core.importers.report import NOTICES, Rejection, Rejections, build_report, duplicate_ids
from dashboard.core.importers.scan import BLOCK_SIZE, RecordIndex, scan_records
from dashboard.core.importers.event_columns import empty_events, finish_types
from dashboard.core.importers.ucdp import WANTED as UCDP_WANTED
from dashboard.core.importers.ucdp import map_ucdp
from dashboard.core.importers.unpack import MAX_UNPACKED_BYTES, local_file

Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class _Spec:
    mapper: Callable
    wanted: tuple[str, ...]
    date_column: str
    date_end_column: str | None


_SPECS = {
    "acled": _Spec(map_acled, ACLED_WANTED, "event_date", None),
    "ucdp": _Spec(map_ucdp, UCDP_WANTED, "date_start", "date_end"),
    "gdelt": _Spec(map_gdelt, GDELT_WANTED, "sqldate", None),
}


@dataclass
class ImportResult:
    """What :func:`import_events` returns.

    ``events`` follows :data:`.schema.EVENT_COLUMNS`; ``report`` is the
    JSON-ready dict described in :mod:`.report`; ``rejections`` are the listed
    rejections as objects (``.as_problem(file)`` turns one into a
    :class:`dashboard.core.data.problems.Problem`).
    """

    events: pd.DataFrame
    report: dict
    rejections: list[Rejection] = field(default_factory=list)


def import_events(path, format: str = "auto", radius_km: float = 10, sites=None,  # noqa: A002
                  progress: Progress | None = None, *, chunk_records: int = CHUNK_RECORDS,
                  max_bytes: int = MAX_UNPACKED_BYTES) -> ImportResult:
    """Import the events of an ACLED, UCDP GED or GDELT file.

    Parameters
    ----------
    path : path or binary file object
        The file: CSV, tab-separated, or a zip archive holding one such file.
        A file object (e.g. an upload) is first copied to a temporary file.
    format : {"auto", "acled", "ucdp", "gdelt"}
        ``"auto"`` detects the format; any other value also checks it.
    radius_km : float
        Events are linked to the nearest gazetteer site within this
        great-circle distance.
    sites : pandas.DataFrame, path or None
        The gazetteer: a table with ``site_id``, ``name``, ``aliases``,
        ``lat``, ``lon``, ``coord_precision``; or a data folder holding
        ``sites.csv``; None for the dashboard's data folder.
    progress : callable, optional
        Called as ``progress(rows_done, rows_total)`` after each chunk;
        ``rows_total`` is None when it cannot be known in advance.
    chunk_records : int
        Records parsed at a time (memory use grows with it).
    max_bytes : int
        Largest file accepted, once unpacked from a zip (a file object is
        refused past it too); a zip member is also refused when it unpacks
        to more than :data:`.unpack.MAX_RATIO` times the archive's size.

    Returns
    -------
    ImportResult

    Raises
    ------
    FileRefusedError
        When the file is too large, a zip does not hold exactly one file or
        unpacks too far, or (:class:`UnknownFormatError`, a subclass) the
        file is in no known format, or not in ``format``.
    """
    _check_arguments(format, radius_km, progress, chunk_records)
    clock = {"start": time.perf_counter()}
    site_table = _site_table(sites)
    with local_file(path, max_bytes) as (local, display):
        read = _read_file(local, display, format, progress, chunk_records, clock)
    events, dates = _resolve_dates(read.events, read.spec, read.rejections, read.counts)
    clock["dates"] = time.perf_counter()
    events, placed = _place_and_link(events, site_table, radius_km)
    clock["link"] = time.perf_counter()
    events = finish_types(events)
    if progress is not None:
        progress(read.counts["read"], read.reader.total)
    report = _assemble_report(read, events, dates, placed, site_table, radius_km, clock)
    return ImportResult(events, report, read.rejections.sorted())


@dataclass
class _FileRead:
    """Everything learned while reading one file, before dates, places and links."""

    display: str
    size: int
    layout: Layout
    spec: _Spec
    index: RecordIndex
    encoding: str
    encoding_note: str
    reader: RecordReader
    rejections: Rejections
    observed: set
    counts: dict
    events: pd.DataFrame


def _read_file(local: Path, display: str, fmt: str, progress: Progress | None, chunk_records: int,
               clock: dict) -> _FileRead:
    """Detect, scan and read ``local``; map every chunk; the events keep their dates as written."""
    layout = detect_layout(local, fmt)
    index = scan_records(local, layout.separator, layout.quoting)
    encoding, encoding_note = _choose_encoding(local, index)
    clock["scan"] = time.perf_counter()
    rejections = Rejections()
    spec = _SPECS[layout.format]
    reader = RecordReader(local, layout, spec.wanted, encoding, index, rejections, chunk_records)
    parts, observed, counts = _read_and_map(reader, layout, spec, rejections, progress)
    clock["read"] = time.perf_counter()
    events = pd.concat(parts, ignore_index=True) if parts else empty_events().assign(_year="")
    return _FileRead(display, local.stat().st_size, layout, spec, index, encoding, encoding_note, reader,
                     rejections, observed, counts, events)


def _assemble_report(read: _FileRead, events: pd.DataFrame, dates, placed: int, sites: pd.DataFrame,
                     radius_km: float, clock: dict) -> dict:
    layout, rejections = read.layout, read.rejections
    return build_report(
        file=read.display, format=layout.format, source_dataset=layout.source_dataset, layout=layout.name,
        layout_flags=sorted(set(layout.flags) | read.observed), encoding=read.encoding,
        encoding_note=read.encoding_note, bytes=read.size, rows_read=read.counts["read"],
        rows_imported=len(events), rows_rejected=read.counts["rejected"],
        rejections=[r.as_dict() for r in rejections.sorted()], rejections_listed=len(rejections.listed),
        rejections_by_kind=dict(rejections.by_kind),
        duplicate_ids=duplicate_ids(events["incident_id"], events["source_line"]),
        ignored_columns=list(layout.extra_columns) + [f"{c} (unnamed, index)" for c in layout.unnamed_columns],
        missing_columns=list(layout.missing_columns), date_formats=dates.counts, date_order=dates.note,
        reader={"method": read.reader.method, "note": read.index.irregular,
                "blocks_reparsed": read.reader.blocks_reparsed},
        linked_to_sites=int((events["site_id"] != "").sum()), located_by_name=placed,
        without_coordinates=int(events["lat"].isna().sum()), radius_km=float(radius_km),
        sites_used=int(sites[["lat", "lon"]].notna().all(axis=1).sum()),
        timing_s=_timing(clock), notice=NOTICES.get(layout.source_dataset, ""),
    )


def _check_arguments(fmt, radius_km, progress, chunk_records) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"`format` was {fmt!r} but is expected to be one of {list(FORMATS)}")
    if isinstance(radius_km, bool) or not isinstance(radius_km, numbers.Real) or not math.isfinite(radius_km) \
            or radius_km <= 0:
        raise ValueError(f"`radius_km` was {radius_km!r} but must be a positive number of kilometres")
    if progress is not None and not callable(progress):
        raise ValueError(f"`progress` was {progress!r} but must be a callable(rows_done, rows_total) or None")
    if not isinstance(chunk_records, int) or chunk_records < 1:
        raise ValueError(f"`chunk_records` was {chunk_records!r} but must be a whole number of at least 1")


def _site_table(sites) -> pd.DataFrame:
    if isinstance(sites, pd.DataFrame):
        table = sites
    elif sites is None or isinstance(sites, (str, Path)):
        from dashboard.core.data.dataset import load_dataset  # the gazetteer is loaded and checked like everywhere else

        table = load_dataset(sites, strict=False).sites
    else:
        raise ValueError(f"`sites` was a {type(sites).__name__} but must be a DataFrame, a data folder or None")
    missing = {"site_id", "name", "aliases", "lat", "lon"} - set(table.columns)
    if missing:
        raise ValueError(f"`sites` lacks column(s) {sorted(missing)}; it has {list(table.columns)}")
    table = table.copy()
    table["lat"] = pd.to_numeric(table["lat"], errors="coerce")
    table["lon"] = pd.to_numeric(table["lon"], errors="coerce")
    if "coord_precision" not in table:
        table["coord_precision"] = ""
    return table


def _choose_encoding(path: Path, index: RecordIndex) -> tuple[str, str]:
    """UTF-8 when the whole file is valid UTF-8; else cp1252 (Excel's Latin-1), else Latin-1."""
    if index.utf8_error is None and index.irregular is None:
        return "utf-8", "UTF-8 with a byte-order mark" if index.bom else ""
    if index.utf8_error is None and _decodes(path, "utf-8"):
        return "utf-8", "UTF-8 with a byte-order mark" if index.bom else ""
    line = index.utf8_error[0] if index.utf8_error else "?"
    for encoding in ("cp1252", "latin-1"):
        if _decodes(path, encoding):
            label = "Windows-1252 (Latin-1)" if encoding == "cp1252" else "Latin-1"
            return encoding, f"not valid UTF-8 (first bad byte on line {line}); read as {label}"
    raise AssertionError("latin-1 decodes any byte")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(BLOCK_SIZE):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_and_map(reader: RecordReader, layout: Layout, spec: _Spec, rejections: Rejections,
                  progress: Progress | None) -> tuple[list[pd.DataFrame], set[str], dict]:
    counts = {"read": 0, "rejected": 0}
    parts, observed = [], set()
    order = tuple(c for c in layout.columns if c in spec.wanted)
    if progress is not None:
        progress(0, reader.total)
    for chunk in reader:
        checks = RowChecks(chunk.frame, rejections, order)
        events, seen = spec.mapper(checks, layout.source_dataset)
        observed |= seen
        keep = ~checks.bad
        events = events.loc[keep].copy()
        events["source_line"] = chunk.frame["_line"].to_numpy()[keep]
        parts.append(events)
        counts["read"] += chunk.records
        counts["rejected"] += chunk.rejected + int(checks.bad.sum())
        if progress is not None:
            progress(counts["read"], reader.total)
    if reader.total is not None and counts["read"] != reader.total:
        raise RuntimeError(f"read {counts['read']} records but the scan counted {reader.total}")
    return parts, observed, counts


def _resolve_dates(events: pd.DataFrame, spec: _Spec, rejections: Rejections, counts: dict):
    """Choose the file's date formats, convert, and reject rows whose dates do not read."""
    columns = [events["date"]] + ([events["date_end"]] if spec.date_end_column else [])
    years = [events["_year"]] * len(columns)
    choice = choose_date_formats(pd.concat(columns, ignore_index=True), pd.concat(years, ignore_index=True))
    start = parse_dates(events["date"], choice)
    start_counts = dict(choice.counts)
    end = parse_dates(events["date_end"], choice) if spec.date_end_column else start
    choice.counts = start_counts
    bad = (start == "").to_numpy()
    described = ", ".join(choice.formats) or "none found"
    _reject(rejections, events, bad, spec.date_column, events["date"].astype("str"),
            f"a date written as the rest of the file ({described})", "bad_date")
    if spec.date_end_column:
        raw_end = events["date_end"].astype("str")
        bad_end = ~bad & (raw_end != "").to_numpy() & (end == "").to_numpy()
        _reject(rejections, events, bad_end, spec.date_end_column, raw_end,
                f"a date written as the rest of the file ({described})", "bad_date")
        before = ~bad & ~bad_end & (end != "").to_numpy() & (end < start).to_numpy()
        _reject(rejections, events, before, spec.date_end_column, raw_end,
                f"a date not before {spec.date_column}", "bad_date")
        bad = bad | bad_end | before
        end = end.where(end != "", start)
    events = events.assign(date=start, date_end=end)
    counts["rejected"] += int(bad.sum())
    return events.loc[~bad].drop(columns=["_year"]).reset_index(drop=True), choice


def _reject(rejections: Rejections, events: pd.DataFrame, mask: np.ndarray, column: str, values: pd.Series,
            reason: str, kind: str) -> None:
    lines = events["source_line"].to_numpy()
    raw = values.to_numpy()
    for i in np.flatnonzero(mask):
        rejections.add(int(lines[i]), column, excerpt(raw[i]), reason, kind)


def _place_and_link(events: pd.DataFrame, sites: pd.DataFrame, radius_km: float) -> tuple[pd.DataFrame, int]:
    """Give coordinates to unplaced rows that name a gazetteer site, then link the rest to the nearest site."""
    events = events.copy()
    events["site_id"] = ""
    events["site_distance_km"] = np.nan
    unplaced = events["lat"].isna() & (events["place"] != "")
    placed = 0
    if unplaced.any():
        found = locate_by_name(events.loc[unplaced, "place"], sites)
        hit = found["site_id"] != ""
        rows = found.index[hit]
        placed = len(rows)
        events.loc[rows, "lat"] = found.loc[rows, "lat"]
        events.loc[rows, "lon"] = found.loc[rows, "lon"]
        events.loc[rows, "site_id"] = found.loc[rows, "site_id"]
        events.loc[rows, "site_distance_km"] = 0.0
        events.loc[rows, "location_precision"] = found.loc[rows, "coord_precision"]
        events.loc[rows, "source_location_precision"] = "gazetteer:" + found.loc[rows, "site_id"]
    linkable = events["lat"].notna() & (events["site_id"] == "")
    if linkable.any():
        link = nearest_sites(events.loc[linkable, "lat"], events.loc[linkable, "lon"], sites, radius_km)
        events.loc[linkable, "site_id"] = link["site_id"].to_numpy()
        events.loc[linkable, "site_distance_km"] = link["site_distance_km"].to_numpy()
    return events, placed


def _timing(clock: dict) -> dict:
    end = time.perf_counter()
    steps = [("scan", "start", "scan"), ("read_and_map", "scan", "read"), ("dates", "read", "dates"),
             ("link", "dates", "link")]
    timing = {name: round(clock[b] - clock[a], 3) for name, a, b in steps if a in clock and b in clock}
    timing["total"] = round(end - clock["start"], 3)
    return timing

