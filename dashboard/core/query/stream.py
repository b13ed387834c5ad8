"""Every selected incident in order, a bounded chunk at a time: what the data URLs stream.

A selection of millions of incidents is never held whole, by the engine or
by Python. The incidents are ordered as the downloads order them (date, then
id; ``ord`` breaks a tie between stacked sources) and read in chunks of
whole days: the count per day (one small query) says which days make a chunk
of about :data:`CHUNK_ROWS` incidents, and each chunk is one query on a date
range, which the Parquet files' date statistics let the engine read alone. A
day that holds more than a chunk is read in parts of one day. ``offset`` and
``limit`` pick a page of the same order without reading what comes before it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

import pandas as pd
from ibis import _

from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import Query
from dashboard.core.query.rows import INCIDENT_COLUMNS, incident_frame
from dashboard.core.view.filters import Filters

#: Incidents read in one query (a chunk holds whole days, so it may hold more, up to a day's count).
CHUNK_ROWS = 5000
#: The order of the streamed incidents: the downloads' (date, then id), then ``ord``, which is unique.
ORDER = ("date", "incident_id", "ord")
PLACEMENT_COLUMNS = ("ord", "incident_id", "site_id", "place_kind", "site_name", "lat", "lon", "coord_precision",
                     "uncertainty_km", "sites_named")


@dataclass(frozen=True)
class Chunk:
    """Incidents ``skip`` to ``skip + take`` (in :data:`ORDER`) of the days ``first`` to ``last``; ``whole`` when
    those are all the selected incidents of those days (read without an ordering window)."""

    first: dt.date
    last: dt.date
    skip: int
    take: int
    whole: bool = False


def day_counts(source: Source, filters: Filters) -> pd.DataFrame:
    """Selected incidents per day (``date``, ``n``), in date order; days with none are left out."""
    q = Query(source, filters)
    counts = q.run(q.selected().group_by("date").aggregate(n=_.count()).order_by("date"))
    counts["date"] = pd.to_datetime(counts["date"]).dt.date
    counts["n"] = counts["n"].astype("int64")
    return counts


def plan_chunks(days: pd.DataFrame, offset: int = 0, limit: int | None = None,
                chunk_rows: int = CHUNK_ROWS) -> list[Chunk]:
    """The chunks that read incidents ``offset`` to ``offset + limit`` of the selection counted by ``days``.

    Parameters
    ----------
    days : DataFrame
        :func:`day_counts`.
    offset, limit : int
        Incidents to skip, and most to read (None: all the rest).
    chunk_rows : int
        About how many incidents one chunk reads.
    """
    if offset < 0 or (limit is not None and limit < 0) or chunk_rows < 1:
        raise ValueError(f"`offset` ({offset}), `limit` ({limit}) and `chunk_rows` ({chunk_rows}) must not be negative")
    wanted = limit
    chunks: list[Chunk] = []
    pending: list[tuple[dt.date, int]] = []  # the whole days of the chunk being planned, with their counts

    def close() -> None:
        if pending:
            chunks.append(Chunk(pending[0][0], pending[-1][0], 0, sum(take for _day, take in pending), whole=True))
            pending.clear()

    skip_left = offset
    for day, count in zip(days["date"], days["n"]):
        if wanted is not None and wanted <= 0:
            break
        if skip_left >= count:
            skip_left -= count
            continue
        start, available = skip_left, count - skip_left
        skip_left = 0
        take = available if wanted is None else min(available, wanted)
        if wanted is not None:
            wanted -= take
        if start or take < count or count > chunk_rows:  # part of a day, or a day bigger than a chunk: alone
            close()
            for part in range(start, start + take, chunk_rows):
                chunks.append(Chunk(day, day, part, min(chunk_rows, start + take - part)))
            continue
        if pending and sum(t for _day, t in pending) + take > chunk_rows:
            close()
        pending.append((day, take))
    close()
    return chunks


def read_chunk(source: Source, filters: Filters, chunk: Chunk) -> pd.DataFrame:
    """The incidents of ``chunk`` in :data:`ORDER`, in the layout of loaded incidents (plus ``ord``)."""
    q = Query(source, filters)
    chosen = q.selected(start=chunk.first, end=chunk.last).select(*INCIDENT_COLUMNS)
    if chunk.whole:
        expr = chosen.order_by(list(ORDER))
    else:
        expr = source.engine.ordered_page(chosen, list(ORDER), chunk.take, chunk.skip)
    return incident_frame(q.run(expr))


def read_placements(source: Source, filters: Filters, chunk: Chunk, ords) -> pd.DataFrame:
    """The placements of the incidents numbered ``ords`` (all in ``chunk``'s days), in incident and site order."""
    q = Query(source, filters)
    placed = q.selected("placements", start=chunk.first, end=chunk.last)
    frame = q.run(placed.order_by("ord", "pos").select(*PLACEMENT_COLUMNS))
    return frame[frame["ord"].isin(set(ords))].reset_index(drop=True)


def incident_chunks(source: Source, filters: Filters, offset: int = 0, limit: int | None = None,
                    chunk_rows: int = CHUNK_ROWS, days: pd.DataFrame | None = None) -> Iterator[pd.DataFrame]:
    """The selected incidents from ``offset`` (at most ``limit``), as frames of about ``chunk_rows`` each.

    ``days`` is :func:`day_counts` when the caller has it already. The
    frames are read one by one as the iterator advances.
    """
    days = day_counts(source, filters) if days is None else days
    for chunk in plan_chunks(days, offset, limit, chunk_rows):
        frame = read_chunk(source, filters, chunk)
        if len(frame):
            yield frame


def placed_chunks(source: Source, filters: Filters, offset: int = 0, limit: int | None = None,
                  chunk_rows: int = CHUNK_ROWS, days: pd.DataFrame | None = None
                  ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """:func:`incident_chunks` with each chunk's placements: ``(incidents, placements)`` pairs."""
    for frame in incident_chunks(source, filters, offset, limit, chunk_rows, days):
        first, last = frame["date"].min().date(), frame["date"].max().date()
        yield frame, read_placements(source, filters, Chunk(first, last, 0, len(frame)), frame["ord"])
