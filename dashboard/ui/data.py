"""Cached loading of the dataset, the join and the filtered selection (the only caching in the app)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core.data.dataset import Dataset, data_folder, default_paths, load_dataset
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.core.importers.combine import combine
from dashboard.core.places.join import JoinResult, join_incidents
from dashboard.core.data.columns import EVENT_TYPES, STATUS_LABELS
from dashboard.core.view.share import Vocabulary


@dataclass(frozen=True)
class Loaded:
    """The dataset shown, its join to the sites and the vocabulary share links may use.

    ``source`` is the hashable cache key of what is shown: the data folder, the
    modification times of its files, and (when a file was uploaded in this
    session) the path and time of its imported events with the chosen mode.
    """

    dataset: Dataset
    joined: JoinResult
    vocabulary: Vocabulary
    folder: str
    source: tuple


def data_stamp(folder: Path) -> tuple:
    """Modification times of the data files: a cache key that changes when a file is edited."""
    paths = default_paths(folder)
    stamp = []
    for key in ("sites", "incidents", "official_counts", "seeds"):
        path = paths[key]
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        stamp += [(str(f), f.stat().st_mtime_ns if f.exists() else 0) for f in files]
    return tuple(stamp)


@st.cache_data(show_spinner="Loading the data…", max_entries=8)
def _load(source: tuple) -> tuple[Dataset, JoinResult]:
    folder, _stamp, upload_path, _upload_stamp, mode = source
    dataset = load_dataset(Path(folder))
    joined = join_incidents(dataset.incidents, dataset.sites)
    if upload_path and mode != "bundled":
        dataset, joined = combine(dataset, joined, pd.read_parquet(upload_path), mode)
    return dataset, joined


def load(upload: tuple = ("", 0, "bundled")) -> Loaded:
    """Load the data folder (``$DASHBOARD_DATA`` or ``geodata/``), with this session's upload when asked.

    ``upload`` is ``(parquet path, modification time, mode)``; raises
    DataValidationError when the folder's data is invalid.
    """
    folder = data_folder()
    source = (str(folder), data_stamp(folder), *upload)
    dataset, joined = _load(source)
    return Loaded(dataset, joined, vocabulary_of(dataset), str(folder), source)


def vocabulary_of(dataset: Dataset) -> Vocabulary:
    incidents = dataset.incidents
    dates = incidents["date"].dropna()
    first = dates.min().date() if len(dates) else dt.date.today()
    last = dates.max().date() if len(dates) else dt.date.today()
    countries = sorted({c for values in incidents["country"] for c in values})
    present_types = set(incidents["event_type"])
    return Vocabulary(
        first=first,
        last=last,
        countries=tuple(countries),
        sites=tuple(dataset.sites["site_id"]),
        types=tuple(t for t in EVENT_TYPES if t in present_types),
        statuses=tuple(s for s in STATUS_LABELS if s in set(incidents["confirmation"]) or s != "unassessed"),
    )


def filters_key(filters: Filters) -> tuple:
    """A hashable, cache-friendly form of the filters (ISO dates and tuples)."""
    return (
        filters.start.isoformat() if filters.start else "",
        filters.end.isoformat() if filters.end else "",
        filters.countries, filters.sites, filters.types, filters.statuses,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _select(source: tuple, key: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    dataset, joined = _load(source)
    start, end, countries, sites, types, statuses = key
    filters = Filters(
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
        countries=countries, sites=sites, types=types, statuses=statuses,
    )
    incidents = apply_filters(dataset.incidents, filters)
    ids = set(incidents["incident_id"])
    placements = joined.placements[joined.placements["incident_id"].isin(ids)]
    unmapped = joined.unmapped[joined.unmapped["incident_id"].isin(ids)]
    return incidents, placements, unmapped


def select(loaded: Loaded, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The filtered incidents, their placements and the filtered incidents that cannot be placed."""
    return _select(loaded.source, filters_key(filters))


def date_span(loaded: Loaded, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day a view shows (the data's own where the filters leave a bound open)."""
    return (pd.Timestamp(filters.start or loaded.vocabulary.first), pd.Timestamp(filters.end or loaded.vocabulary.last))
