"""The data folder as Parquet: checked once, converted once, kept in a cache folder named by the files' content.

The CSV files in git stay the source of truth. :func:`open_data` hashes them
(and the seed records); when the cache already holds that hash, the Parquet
tables are used as they are, so a second start or a second server process
neither validates nor converts again. Otherwise the folder is loaded and
checked as ever (:func:`~dashboard.core.data.dataset.load_dataset`: invalid
data raises with every problem) and written to a temporary folder that is
renamed into place when complete, so a cache entry is never half-written.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dashboard.core.data.dataset import Dataset, default_paths, load_dataset
from dashboard.core.data.problems import Problem
from dashboard.core.places.join import join_incidents
from dashboard.core.query.tables import TABLE_NAMES, build_tables

CACHE_ENV = "DASHBOARD_CACHE"
#: A converted data set not opened for this long is deleted when another is written (edits make new ones).
KEEP_UNUSED_S = 7 * 24 * 3600
#: Changes whenever the tables' layout or their values' meaning does, so an old cache entry is never read as a new
#: one (tables-4: imported events carry their source's category, not "unknown").
FORMAT_VERSION = "tables-4"
MANIFEST = "manifest.json"


def cache_root() -> Path:
    """Where converted data sets are kept: ``$DASHBOARD_CACHE``, else ``<temp>/dashboard-cache``."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else Path(tempfile.gettempdir()) / "dashboard-cache"


def content_key(folder: str | Path | None = None) -> str:
    """SHA-256 (32 hex digits) of the data files and seed records of ``folder``, and of the tables' format."""
    paths = default_paths(folder)
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    seeds = paths["seeds"]
    files = [paths["sites"], paths["incidents"], paths["official_counts"]]
    files += sorted(seeds.glob("*.json")) if seeds.is_dir() else []
    for path in files:
        digest.update(f"\0{path.name}\0".encode())
        if path.is_file():
            with path.open("rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
        else:
            digest.update(b"\0missing")
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class StoredData:
    """A converted data folder: the Parquet tables, and the small parts every page reads directly."""

    key: str
    folder: Path
    data_folder: Path
    sites: pd.DataFrame
    official_counts: pd.DataFrame
    seeds: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def tables(self) -> dict[str, Path]:
        return {name: self.folder / f"{name}.parquet" for name in TABLE_NAMES}

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def open_data(folder: str | Path | None = None, root: str | Path | None = None) -> StoredData:
    """The data folder (default ``$DASHBOARD_DATA`` or ``geodata/``) as Parquet, converting it when needed.

    Raises :class:`~dashboard.core.data.problems.DataValidationError` when the
    folder's data is invalid (nothing is cached then).
    """
    paths = default_paths(folder)
    data_folder = paths["incidents"].parent
    key = content_key(folder)
    root = Path(root) if root else cache_root()
    target = root / key
    if not (target / MANIFEST).is_file():
        dataset = load_dataset(folder)
        write_tables(dataset, target)
        prune_cache(root, keep=target)
    return read_stored(target, data_folder)


def prune_cache(root: Path, keep: Path | None = None, now: float | None = None) -> list[Path]:
    """Delete converted data sets not opened for :data:`KEEP_UNUSED_S` (and scratch folders as old); return them."""
    now = time.time() if now is None else now
    removed = []
    for entry in Path(root).iterdir() if Path(root).is_dir() else ():
        if keep is not None and entry == keep:
            continue
        marker = entry / MANIFEST if (entry / MANIFEST).is_file() else entry
        try:
            if now - marker.stat().st_mtime > KEEP_UNUSED_S:
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
        except OSError:
            continue
    return removed


def write_tables(dataset: Dataset, target: Path) -> None:
    """Write a checked dataset's tables to ``target`` (complete or not at all)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.parent / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    scratch.mkdir()
    try:
        joined = join_incidents(dataset.incidents, dataset.sites)
        tables = build_tables(dataset.incidents, joined.placements, joined.unmapped, dataset.sites)
        for name, table in tables.items():
            pq.write_table(table, scratch / f"{name}.parquet", row_group_size=1 << 17)
        _small_frame(dataset.sites).to_parquet(scratch / "sites.parquet", index=False)
        _small_frame(dataset.official_counts).to_parquet(scratch / "official_counts.parquet", index=False)
        manifest = {"format": FORMAT_VERSION, "rows": {name: table.num_rows for name, table in tables.items()},
                    "problems": [p.as_dict() for p in dataset.problems], "seeds": dataset.seeds}
        (scratch / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, default=str))
        try:
            os.rename(scratch, target)
        except OSError:  # another process finished the same conversion first: its copy is identical
            if not (target / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def read_stored(target: Path, data_folder: Path) -> StoredData:
    manifest = json.loads((target / MANIFEST).read_text())
    try:
        os.utime(target / MANIFEST)  # the last use, for prune_cache
    except OSError:  # a read-only cache is still usable
        pass
    sites = pd.read_parquet(target / "sites.parquet")
    counts = pd.read_parquet(target / "official_counts.parquet")
    counts["sources"] = [tuple(v) if v is not None else () for v in counts["sources"]]
    counts["date_reported"] = pd.to_datetime(counts["date_reported"])
    return StoredData(key=target.name, folder=target, data_folder=data_folder, sites=sites, official_counts=counts,
                      seeds=manifest["seeds"], problems=[Problem(**p) for p in manifest["problems"]],
                      rows=manifest["rows"])


def _small_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, tuple)).any():
            frame[column] = frame[column].map(list)
    return frame



def source_for(dataset: Dataset, engine=None, name: str = "data", events: pd.DataFrame | None = None,
               mode: str = "bundled"):
    """A loaded dataset (and imported ``events`` shown as ``mode``) registered in ``engine`` (a new one by default).

    For the command line and tests; the app registers the cached Parquet tables instead.
    """
    from dashboard.core.query.engine import Engine
    from dashboard.core.query.tables import upload_tables

    engine = engine or Engine()
    joined = join_incidents(dataset.incidents, dataset.sites)
    base = engine.register(name, build_tables(dataset.incidents, joined.placements, joined.unmapped, dataset.sites),
                           dataset.sites)
    if events is None or mode == "bundled":
        return base
    upload = engine.register(f"{name}_upload", upload_tables(events, dataset.sites), dataset.sites)
    return upload if mode == "uploaded" else engine.stack(f"{name}_both", base, upload)


def write_upload_tables(events: pd.DataFrame, sites: pd.DataFrame, folder: Path, first_ord: int | None = None) -> Path:
    """Write the query tables of imported events to ``folder`` (complete or not at all); return it.

    ``first_ord`` numbers the incidents (default: above any bundled one); parts of one data set shown together
    through a glob need ranges that do not overlap.
    """
    from dashboard.core.query.tables import UPLOAD_ORD_OFFSET, upload_tables

    folder = Path(folder)
    scratch = folder.parent / f".{folder.name}.partial"
    scratch.mkdir(parents=True)
    try:
        for name, table in upload_tables(events, sites, UPLOAD_ORD_OFFSET if first_ord is None else first_ord).items():
            pq.write_table(table, scratch / f"{name}.parquet")
        os.rename(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


#: What the server shows with the data folder's incidents: an ACLED, UCDP GED or GDELT export (imported once), or
#: the query tables of events already as Parquet (a tables folder, or a glob of several), read where they lie.
EVENTS_ENV = "DASHBOARD_EVENTS"
GLOB_CHARACTERS = frozenset("*?[")


def is_tables_spec(spec: str | Path) -> bool:
    """Whether ``spec`` names Parquet query tables (a folder or a glob of folders) rather than an export file."""
    text = str(spec)
    return bool(GLOB_CHARACTERS & set(text)) or Path(text).expanduser().is_dir()


def table_paths(spec: str | Path) -> dict[str, str]:
    """Where each query table of a tables folder (or a glob of tables folders) lies, as a path or glob.

    A table is ``<folder>/<name>.parquet``, or a folder ``<folder>/<name>/`` of
    Parquet part files (as Spark writes a table). Raises ValueError naming the
    folder and the table when one is missing.
    """
    text = str(Path(str(spec)).expanduser()).rstrip("/")
    folders = sorted(glob.glob(text)) if GLOB_CHARACTERS & set(text) else [text]
    if not folders:
        raise ValueError(f"`{EVENTS_ENV}` was {text!r}, which matches no folder")
    layouts = {}
    for folder in folders:
        for name in TABLE_NAMES:
            if Path(folder, f"{name}.parquet").is_file():
                layouts.setdefault(name, set()).add("file")
            elif any(Path(folder, name).glob("*.parquet")):
                layouts.setdefault(name, set()).add("parts")
            else:
                raise ValueError(f"`{EVENTS_ENV}` names {folder!r}, which has no {name}.parquet and no folder {name}/ "
                                 "of Parquet files (`python -m dashboard prepare --events FILE --out FOLDER` writes "
                                 "both)")
    mixed = [name for name, kinds in layouts.items() if len(kinds) > 1]
    if mixed:
        raise ValueError(f"`{EVENTS_ENV}` was {text!r}, whose folders hold {mixed[0]} both as one file and as parts")
    _check_disjoint(folders, text)
    return {name: f"{text}/{name}.parquet" if layouts[name] == {"file"} else f"{text}/{name}/*.parquet"
            for name in TABLE_NAMES}


def _check_disjoint(folders: list[str], spec: str) -> None:
    """Raise ValueError when two folders number their incidents over the same ``ord`` range (Parquet statistics)."""
    if len(folders) < 2:
        return
    ranges = []
    for folder in folders:
        files = [Path(folder, "incidents.parquet")] if Path(folder, "incidents.parquet").is_file() else sorted(
            Path(folder, "incidents").glob("*.parquet"))
        low = high = None
        for path in files:
            metadata = pq.ParquetFile(path).metadata
            column = metadata.schema.to_arrow_schema().get_field_index("ord")
            for group in range(metadata.num_row_groups):
                stats = metadata.row_group(group).column(column).statistics
                if stats is None or not stats.has_min_max:
                    continue
                low = stats.min if low is None else min(low, stats.min)
                high = stats.max if high is None else max(high, stats.max)
        if low is not None:
            ranges.append((low, high, folder))
    ranges.sort()
    for (_, high, first), (low, _, second) in zip(ranges, ranges[1:]):
        if low <= high:
            raise ValueError(f"`{EVENTS_ENV}` was {spec!r}, whose folders {first!r} and {second!r} number their "
                             "incidents over the same range; write each part with its own "
                             "`python -m dashboard prepare --events FILE --out FOLDER --first-ord N`")


#: ``DASHBOARD_EVENTS=table:<prefix>`` names tables that already exist in the engine's database (a warehouse).
WAREHOUSE_PREFIX = "table:"


def event_tables(spec: str | Path) -> dict:
    """What an engine registers for the events ``spec`` names: warehouse tables (``table:<prefix>``: the tables
    ``<prefix>incidents``, ``<prefix>incident_sites``, ...) or Parquet paths (:func:`table_paths`)."""
    from dashboard.core.query.engines import WarehouseTable

    text = str(spec)
    if text.startswith(WAREHOUSE_PREFIX):
        prefix = text[len(WAREHOUSE_PREFIX):].strip()
        if not prefix.replace("_", "").replace(".", "").isalnum():
            raise ValueError(f"`{EVENTS_ENV}` was {text!r}: after `table:` comes the tables' name prefix "
                             "(letters, digits, '_' and '.'), e.g. `table:gdelt_`")
        return {name: WarehouseTable(f"{prefix}{name}") for name in TABLE_NAMES}
    return table_paths(spec)


def tables_stamp(spec: str | Path) -> int:
    """The latest modification time (ns) of the Parquet files a tables folder or glob names: a cache key
    (0 for warehouse tables, which the warehouse keeps)."""
    if str(spec).startswith(WAREHOUSE_PREFIX):
        return 0
    times = [Path(path).stat().st_mtime_ns for pattern in table_paths(spec).values() for path in glob.glob(pattern)]
    return max(times, default=0)


def tables_content_key(spec: str | Path) -> str:
    """SHA-256 (32 hex digits) of the Parquet files a tables folder or glob names, read in blocks.

    For warehouse tables (``table:``), whose contents the warehouse keeps, the key is of the name alone.
    """
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    if str(spec).startswith(WAREHOUSE_PREFIX):
        digest.update(str(spec).encode())
        return digest.hexdigest()[:32]
    for name, pattern in sorted(table_paths(spec).items()):
        for path in sorted(glob.glob(pattern)):
            digest.update(f"\0{name}\0{Path(path).name}\0".encode())
            with open(path, "rb") as handle:
                while block := handle.read(1 << 22):
                    digest.update(block)
    return digest.hexdigest()[:32]


def open_events(path: str | Path, stored: StoredData, root: str | Path | None = None) -> Path | str:
    """An events export as query tables beside ``stored``'s gazetteer: imported once, then read from the cache.

    A tables folder (or a glob of them, see :func:`table_paths`) is returned as it is: nothing is imported.

    The tables (the same an upload gets) go to ``<cache>/events-<key>``,
    where the key hashes the file's path, size and modification time, the
    data folder's content and the tables' format, so an edit of either
    makes a new import. Raises ValueError naming the file when it cannot be
    imported or has no usable row.
    """
    from dashboard.core.importers import FileRefusedError, import_events

    if str(path).startswith(WAREHOUSE_PREFIX):
        event_tables(path)  # raises on a malformed prefix
        return str(path)
    if is_tables_spec(path):
        table_paths(path)  # raises when a table is missing
        return Path(str(path)).expanduser() if not GLOB_CHARACTERS & set(str(path)) else str(path)
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValueError(f"`{EVENTS_ENV}` was {str(path)!r}, which is not a file")
    status = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}\0{status.st_size}\0{status.st_mtime_ns}\0{stored.key}\0"
                            f"{FORMAT_VERSION}".encode()).hexdigest()[:32]
    root = Path(root) if root else cache_root()
    target = root / f"events-{digest}"
    if all((target / f"{name}.parquet").is_file() for name in TABLE_NAMES):
        os.utime(target)
        return target
    try:
        result = import_events(path, sites=stored.sites)
    except (FileRefusedError, ValueError) as exc:
        raise ValueError(f"`{EVENTS_ENV}` names {str(path)!r}, which cannot be imported: {exc}") from exc
    if result.events.empty:
        raise ValueError(f"`{EVENTS_ENV}` names {str(path)!r}, where no row could be imported "
                         f"({result.report.get('rows_rejected', 0)} rejected; `python -m dashboard import` lists why)")
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    write_upload_tables(result.events, stored.sites, target)
    (target / "report.json").write_text(json.dumps(result.report, default=str), encoding="utf-8")
    return target
