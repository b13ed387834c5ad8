"""What a map of a selection needs: sites and places with their counts, grid cells, points, popup rows.

Every result is small: one row per site or place shown, per cell, or per
listed incident. The map never receives the selection itself.
"""
from __future__ import annotations

import ibis
import pandas as pd
from ibis import _

from dashboard.core.data.columns import EVENT_TYPES
from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import Query
from dashboard.core.query.reference import SUMMARY_COLUMNS
from dashboard.core.query.rows import INCIDENT_COLUMNS, incident_frame
from dashboard.core.view.filters import Filters

TYPE_RANK = {t: i for i, t in enumerate(EVENT_TYPES)}


def _type_rank(column: ibis.Expr) -> ibis.Expr:
    return ibis.cases(*((column == t, i) for t, i in TYPE_RANK.items()), else_=len(TYPE_RANK))


def site_summary(source: Source, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per placed site or place: where it is drawn, its incident count and most frequent type, busiest first.

    Ties between types go to the first in the schema's order; places with equal
    counts come in the order the data first names them. ``limit`` keeps the busiest.
    """
    q = Query(source, filters)
    placed = q.selected("placements")
    keys = ["site_id", "place_kind"]
    per_type = placed.group_by(*keys, "event_type").aggregate(n=_.ord.nunique())
    ranked = per_type.mutate(rank=ibis.row_number().over(
        group_by=keys, order_by=[ibis.desc("n"), _type_rank(per_type.event_type)]))
    top = ranked.filter(ranked["rank"] == 0).select(*keys, top_type="event_type")
    totals = placed.group_by(*keys).aggregate(
        count=_.ord.nunique(), first_ord=_.ord.min(), site_name=_.anchor_name.arbitrary(),
        lat=_.anchor_lat.arbitrary(), lon=_.anchor_lon.arbitrary(), coord_precision=_.anchor_precision.arbitrary(),
        uncertainty_km=_.anchor_uncertainty_km.arbitrary())
    first_pos = placed.filter(placed.ord.isin(totals.first_ord)).group_by(*keys, "ord").aggregate(first_pos=_.pos.min())
    totals = totals.join(first_pos, [totals.site_id == first_pos.site_id, totals.place_kind == first_pos.place_kind,
                                     totals.first_ord == first_pos.ord]).select(totals, first_pos.first_pos)
    summary = totals.join(top, keys).order_by(ibis.desc("count"), "first_ord", "first_pos")
    if limit is not None:
        summary = summary.limit(limit)
    frame = q.run(summary)
    frame["count"] = frame["count"].astype("int64")
    return frame[SUMMARY_COLUMNS].reset_index(drop=True)


def grid_cells(source: Source, filters: Filters, size: float) -> pd.DataFrame:
    """Placements counted per square cell of ``size`` degrees (``row``, ``col`` = floor of lat / lon over size),
    with one column per event type; an incident placed twice in a cell counts once there."""
    if not size > 0:
        raise ValueError(f"`size` was {size!r} but is expected to be a positive number of degrees")
    q = Query(source, filters)
    placed = q.selected("placements")
    cells = placed.select(row=(placed.lat / size).floor().cast("int64"), col=(placed.lon / size).floor().cast("int64"),
                          ord=placed.ord, event_type=placed.event_type).distinct()
    counts = q.run(cells.group_by("row", "col", "event_type").aggregate(n=_.count()))
    table = counts.pivot_table(index=["row", "col"], columns="event_type", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(EVENT_TYPES), fill_value=0).astype("int64")
    table.insert(0, "count", table.sum(axis=1))
    table.columns.name = None
    return table.reset_index().sort_values(["row", "col"]).reset_index(drop=True)


def placed_count(source: Source, filters: Filters) -> int:
    """How many selected incidents have at least one placement."""
    q = Query(source, filters)
    return int(q.scalar(q.selected("placements").aggregate(n=_.ord.nunique())) or 0)


def points(source: Source, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """The placements of the selection (``lat``, ``lon``, ids, names), in incident order, at most ``limit``."""
    q = Query(source, filters)
    placed = q.selected("placements").order_by("ord", "pos")
    if limit is not None:
        placed = placed.limit(limit)
    return q.run(placed.select("ord", "incident_id", "site_id", "place_kind", "site_name", "lat", "lon",
                                           "coord_precision", "uncertainty_km", "sites_named"))


def markers(source: Source, filters: Filters, limit: int) -> pd.DataFrame:
    """Placements joined to their incident's details (for one marker each), in incident order, at most ``limit``."""
    q = Query(source, filters)
    placed = q.selected("placements").order_by("ord", "pos").limit(limit)
    placed = placed.select(ord="ord", placed_site_id="site_id", place_kind="place_kind", site_name="site_name",
                           lat="lat", lon="lon", sites_named="sites_named", pos="pos")
    incidents = source.incidents
    joined = placed.join(incidents, placed.ord == incidents.ord).order_by("ord", "pos")
    frame = q.run(joined.select(placed, *[incidents[c] for c in INCIDENT_COLUMNS if c != "ord"]))
    return incident_frame(frame)


def _at_places(q: Query, placed: ibis.Table, places: pd.DataFrame) -> ibis.Table:
    """The rows of ``placed`` at one of ``places`` (a variable holding their keys: a few thousand at most)."""
    keys = sorted(set(places["place_kind"].astype(str) + "|" + places["site_id"].astype(str)))
    return placed.filter(q.value("q_places", keys).contains(placed.place_kind + "|" + placed.site_id))


def place_incidents(source: Source, filters: Filters, places: pd.DataFrame, per_place: int) -> pd.DataFrame:
    """For each of ``places`` (``site_id``, ``place_kind``), its first ``per_place`` selected incidents in date order.

    The place is named by ``place_site_id`` and ``place_kind`` (``site_id`` is the incident's own list of sites).
    """
    if places.empty:
        return incident_frame(pd.DataFrame(columns=["place_site_id", "place_kind", "n", *INCIDENT_COLUMNS]))
    q = Query(source, filters)
    placed = _at_places(q, q.selected("placements"), places)
    placed = placed.select("site_id", "place_kind", "ord", "date", "incident_id").distinct()
    numbered = placed.mutate(n=ibis.row_number().over(group_by=["site_id", "place_kind"],
                                                      order_by=["date", "incident_id"]))
    first = numbered.filter(numbered.n < per_place)
    incidents = source.incidents
    joined = first.join(incidents, first.ord == incidents.ord)
    frame = q.run(joined.select(first.place_kind, first.n, *[incidents[c] for c in INCIDENT_COLUMNS],
                                            place_site_id=first.site_id)
                              .order_by("place_site_id", "place_kind", "n"))
    return incident_frame(frame)


def place_months(source: Source, filters: Filters, places: pd.DataFrame) -> pd.DataFrame:
    """Selected incidents per month at each of ``places``: ``site_id``, ``place_kind``, ``month``, ``count``."""
    if places.empty:
        return pd.DataFrame(columns=["site_id", "place_kind", "month", "count"])
    q = Query(source, filters)
    placed = _at_places(q, q.selected("placements"), places)
    months = placed.group_by("site_id", "place_kind", month=placed.date.truncate("M")).aggregate(count=_.ord.nunique())
    frame = q.run(months.order_by("site_id", "place_kind", "month"))
    frame["month"] = pd.to_datetime(frame["month"]).astype("datetime64[ns]")
    frame["count"] = frame["count"].astype("int64")
    return frame
