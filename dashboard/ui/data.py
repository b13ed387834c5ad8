"""The data every session shares (one query engine per server process) and the small cached results pages place.

Two caches, two jobs:

* :func:`shared_data` (``st.cache_resource``) holds the converted data folder
  and the engine with its tables, once per server process. It is read-only:
  no caller may change what it returns. An upload adds its own tables to the
  same engine as views over its Parquet files (nothing is copied into the
  shared tables) and they are dropped when the session forgets the file.
* :func:`ask` (``st.cache_data``, bounded by ``max_entries`` and ``ttl``)
  keeps the small answers of queries (counts, a page of rows, a map's layers).
  Each hit unpickles a copy, which is why nothing large may go through it.

``session_state`` holds only the view and a :class:`Loaded` naming what is shown.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core.data.dataset import data_folder, default_paths
from dashboard.core.query import counts, datasets, page_data, rows
from dashboard.core.query.engine import Engine, Source
from dashboard.core.query.engines import (EngineSetting, EngineSettingError, IbisEngine,  # noqa: F401
                                          engine_setting, open_engine)
from dashboard.core.query.store import (EVENTS_ENV, StoredData, content_key, event_tables, open_data, open_events,
                                        tables_content_key, tables_stamp)
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import window_from_tuple
from dashboard.core.view.share import Vocabulary

BUNDLED_SOURCE = "bundled"
#: Set to 1 to copy the data into DuckDB's memory instead of querying the converted Parquet files in place.
IN_MEMORY_ENV = "DASHBOARD_IN_MEMORY"
#: How long a cached answer is kept, and how many; each is small (see the module's docstring).
RESULT_TTL_S = 3600
RESULT_ENTRIES = 512


@dataclass(frozen=True)
class Shared:
    """What every session of this server process reads: the converted data and the engine holding it."""

    stored: StoredData
    engine: Engine | IbisEngine


@dataclass(frozen=True)
class Loaded:
    """What one session shows: a source in the shared engine, its vocabulary and the gazetteer.

    ``key`` is the hashable cache key of what is shown: the data folder, the
    modification times of its files, and (with an upload) the folder of its
    tables, their time and the chosen mode.
    """

    key: tuple
    source_name: str
    shared: Shared
    vocabulary: Vocabulary
    folder: str
    #: True when the session shows the server's own data (what the data URLs answer), not an upload of its own.
    served: bool = True

    @property
    def source(self) -> Source:
        return _source(self.key)

    @property
    def sites(self) -> pd.DataFrame:
        return self.shared.stored.sites

    @property
    def official_counts(self) -> pd.DataFrame:
        return self.shared.stored.official_counts

    @property
    def stored(self) -> StoredData:
        return self.shared.stored

    def changed(self) -> dt.datetime | None:
        """When the data shown last changed (UTC): its files' latest modification, or the upload's import."""
        times = [mtime for _path, mtime in self.key[1] if mtime]
        if len(self.key) > 3 and self.key[3]:
            times.append(int(self.key[3]))
        return dt.datetime.fromtimestamp(max(times) / 1e9, tz=dt.timezone.utc) if times else None

    def site_names(self) -> dict[str, str]:
        return dict(zip(self.sites["site_id"], self.sites["name"]))


def data_stamp(folder: Path) -> tuple:
    """Modification times of the data files: a cache key that changes when a file is edited."""
    paths = default_paths(folder)
    stamp = []
    for key in ("sites", "incidents", "official_counts", "seeds"):
        path = paths[key]
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        stamp += [(str(f), f.stat().st_mtime_ns if f.exists() else 0) for f in files]
    return tuple(stamp)


def shared_data(folder: str, stamp: tuple) -> Shared:
    """The data folder converted to Parquet and registered in one engine, shared read-only by every session.

    The engine is the one ``$DASHBOARD_ENGINE`` names (DuckDB by default; raises EngineSettingError when the
    setting is wrong or the engine cannot be reached, and the next run tries again). DuckDB queries the Parquet
    files in place (``$DASHBOARD_IN_MEMORY=1`` copies them into memory).
    """
    return _shared_data(folder, stamp, engine_setting(), os.environ.get(IN_MEMORY_ENV, "").strip() == "1")


@st.cache_resource(show_spinner="Loading the data…", max_entries=2)
def _shared_data(folder: str, stamp: tuple, setting: EngineSetting, in_memory: bool) -> Shared:
    stored = open_data(Path(folder))
    engine = open_engine(setting, in_memory=in_memory)
    engine.register(BUNDLED_SOURCE, stored.tables(), stored.sites)
    return Shared(stored, engine)


def upload_source_name(tables_folder: str, stamp: int) -> str:
    """The engine's name for an upload's tables: a digest of their folder and its modification time."""
    return "u_" + hashlib.sha256(f"{tables_folder}\0{stamp}".encode()).hexdigest()[:24]


def _source(key: tuple) -> Source:
    folder, stamp, upload_folder, upload_stamp, mode = key
    shared = shared_data(folder, stamp)
    engine = shared.engine
    bundled = engine.source(BUNDLED_SOURCE)
    if not upload_folder or mode == "bundled":
        return bundled
    name = upload_source_name(upload_folder, upload_stamp)
    upload = engine.source(name)
    if upload is None:
        upload = engine.register(name, event_tables(upload_folder), shared.stored.sites, in_memory=False)
    if mode == "uploaded":
        return upload
    return engine.source(f"{name}_both") or engine.stack(f"{name}_both", bundled, upload)


def drop_upload(tables_folder: str, stamp: int) -> None:
    """Remove an upload's tables (and the stacked view on them) from the shared engine."""
    folder = data_folder()
    shared = shared_data(str(folder), data_stamp(folder))
    shared.engine.drop(upload_source_name(tables_folder, stamp))


class ServerEventsError(ValueError):
    """The events file the server is set to show (``$DASHBOARD_EVENTS``) cannot be shown."""


@st.cache_resource(show_spinner="Importing the events file the server shows…", max_entries=2)
def server_events(folder: str, stamp: tuple, events_path: str) -> tuple[str, int, str]:
    """The server's events as tables beside the data folder's: ``(tables folder or glob, time, "both")``.

    An export file is imported once per process; Parquet tables (a folder or a glob) are read where they lie.
    """
    try:
        tables = open_events(events_path, shared_data(folder, stamp).stored)
        return str(tables), tables_stamp(tables), "both"
    except ValueError as exc:
        raise ServerEventsError(str(exc)) from exc


def load(upload: tuple = ("", 0, "bundled")) -> Loaded:
    """What this session shows: the data folder (``$DASHBOARD_DATA`` or ``geodata/``), with its upload when asked.

    ``upload`` is ``(tables folder, modification time, mode)``. Without one,
    a server started with ``$DASHBOARD_EVENTS`` shows that events file with
    the folder's incidents. Raises DataValidationError when the folder's data
    is invalid, ServerEventsError when the events file cannot be imported.
    """
    folder = data_folder()
    stamp = data_stamp(folder)
    shared = shared_data(str(folder), stamp)
    events = os.environ.get(EVENTS_ENV, "").strip()
    served = not upload[0] or upload[2] == "bundled" and not events
    if not upload[0] and events:
        upload = server_events(str(folder), stamp, events)
    key = (str(folder), stamp, *upload)
    source = _source(key)
    return Loaded(key, source.name, shared, ask(key, "vocabulary"), str(folder), served)


def served_data():
    """What the data URLs answer from: the server's data (the folder, with ``$DASHBOARD_EVENTS`` when set, as
    :func:`load` without an upload gives it), the same shared engine the pages use, and the dataset's version.

    Called by :mod:`dashboard.api.endpoints` outside any page run (no ``st.*`` output happens here).
    """
    from dashboard.api.endpoints import ServedData

    loaded = load()
    return ServedData(source=loaded.source, sites=loaded.sites, official_counts=loaded.official_counts,
                      vocabulary=loaded.vocabulary, version=dataset_version(loaded.key), changed=loaded.changed())


@st.cache_resource(show_spinner=False, max_entries=4)
def dataset_version(key: tuple) -> str:
    """The version of the data ``key`` names: a hash of its files' contents (16 hex digits), once per change."""
    folder, _stamp, tables, _tables_stamp, mode = key
    digest = hashlib.sha256(content_key(folder).encode())
    if tables and mode != "bundled":
        digest.update(tables_content_key(tables).encode())
    return digest.hexdigest()[:16]


def filters_key(filters: Filters) -> tuple:
    """A hashable, cache-friendly form of the filters (ISO dates and tuples)."""
    return (
        filters.start.isoformat() if filters.start else "",
        filters.end.isoformat() if filters.end else "",
        filters.countries, filters.sites, filters.types, filters.statuses,
    )


def filters_from_key(key: tuple) -> Filters:
    start, end, countries, sites, types, statuses = key
    return Filters(start=dt.date.fromisoformat(start) if start else None,
                   end=dt.date.fromisoformat(end) if end else None,
                   countries=countries, sites=sites, types=types, statuses=statuses)


#: The questions pages may ask, by name: each takes the shared store, the source, the filters and plain arguments.
QUERIES = {
    "vocabulary": lambda stored, source, filters: counts.vocabulary(source, stored.sites),
    "headline": lambda stored, source, filters: counts.headline(source, filters),
    "data_parts": lambda stored, source, filters: datasets.data_parts(source),
    "count_by": lambda stored, source, filters, column: counts.count_by(source, filters, column),
    "multi_country": lambda stored, source, filters: counts.count_multi_country(source, filters),
    "charts": lambda stored, source, filters, period, start, end: page_data.chart_data(
        source, filters, stored.sites, stored.official_counts, period, start, end),
    "map": lambda stored, source, filters, mode, window=None: page_data.map_data(
        source, filters, mode, window_from_tuple(window)),
    "page": lambda stored, source, filters, offset, limit, sort, descending, subset="all", site=None: rows.page(
        source, filters, offset, limit, sort, descending, subset, site),
    "page_with_total": lambda stored, source, filters, offset, limit, sort, descending, subset="all", site=None:
        rows.page_with_total(source, filters, offset, limit, sort, descending, subset, site),
    "timeline": lambda stored, source, filters, step, start, end: counts.count_by_period(
        source, filters, step, start, end),
    "compare_latest": lambda stored, source, filters, count_id: _compare_latest(stored, source, filters, count_id),
}


def _compare_latest(stored: StoredData, source: Source, filters: Filters, count_id: str) -> dict:
    from dashboard.core.query.official import compare_with_official

    official = stored.official_counts[stored.official_counts["count_id"] == count_id]
    return compare_with_official(source, filters, official).iloc[0].to_dict()


@st.cache_data(show_spinner=False, max_entries=RESULT_ENTRIES, ttl=RESULT_TTL_S)
def _ask(key: tuple, name: str, fkey: tuple, args: tuple):
    folder, stamp = key[0], key[1]
    return QUERIES[name](shared_data(folder, stamp).stored, _source(key), filters_from_key(fkey), *args)


def ask(key: tuple, name: str, filters: Filters | None = None, *args):
    """The answer of query ``name`` (see :data:`QUERIES`) for the data ``key`` and ``filters``, cached while small."""
    if name not in QUERIES:
        raise ValueError(f"`name` was {name!r} but is expected to be one of {sorted(QUERIES)}")
    return _ask(key, name, filters_key(filters or Filters()), tuple(args))


def date_span(loaded: Loaded, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day a view shows (the data's own where the filters leave a bound open)."""
    return (pd.Timestamp(filters.start or loaded.vocabulary.first), pd.Timestamp(filters.end or loaded.vocabulary.last))
