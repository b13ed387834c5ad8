"""What a map of a selection needs: sites and places with their counts, grid cells, points, popup rows.

Every result is small: one row per site or place shown, per cell, or per
listed incident. The map never receives the selection itself.
"""
from __future__ import annotations

import ibis
import pandas as pd
from ibis import _

from dashboard.core.data.columns import ALL_EVENT_TYPES
from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import Query
from dashboard.core.query.reference import SUMMARY_COLUMNS
from dashboard.core.view.filters import Filters

#: Order of the event types (ours, then the imported categories): ties for a place's top type go to the first.
TYPE_RANK = {t: i for i, t in enumerate(ALL_EVENT_TYPES)}
#: Positions of a site in an incident's list stay below this, so ``ord * POS_SPAN + pos`` orders placements.
POS_SPAN = 1 << 16


Box = tuple[float, float, float, float]


def _in_box(placed: ibis.Table, box: Box | None, anchors: bool = False) -> ibis.Table:
    """The placements drawn inside ``box`` (south, west, north, east): at their anchor, or their own coordinates."""
    if box is None:
        return placed
    south, west, north, east = box
    lat, lon = (placed.anchor_lat, placed.anchor_lon) if anchors else (placed.lat, placed.lon)
    return placed.filter(lat.between(south, north), lon.between(west, east))


def site_summary(source: Source, filters: Filters, limit: int | None = None, box: Box | None = None) -> pd.DataFrame:
    """One row per placed site or place: where it is drawn, its incident count and most frequent type, busiest first.

    Ties between types go to the first in the schema's order; places with equal
    counts come in the order the data first names them. ``limit`` keeps the
    busiest; ``box`` (south, west, north, east) keeps the places drawn inside it.
    """
    q = Query(source, filters)
    placed = _in_box(q.selected("placements"), box, anchors=True)
    keys = ["site_id", "place_kind"]
    # one pass over the placements, by place and type; the rest is pandas over a few rows per place
    per_type = q.run(placed.group_by(*keys, "event_type").aggregate(
        n=_.ord.nunique(), first=(_.ord * POS_SPAN + _.pos).min(), site_name=_.anchor_name.arbitrary(),
        lat=_.anchor_lat.arbitrary(), lon=_.anchor_lon.arbitrary(), coord_precision=_.anchor_precision.arbitrary(),
        uncertainty_km=_.anchor_uncertainty_km.arbitrary()))
    if per_type.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    per_type["n"] = per_type["n"].astype("int64")
    per_type["rank"] = per_type["event_type"].map(TYPE_RANK).fillna(len(TYPE_RANK))
    top = per_type.sort_values(["n", "rank"], ascending=[False, True], kind="stable").drop_duplicates(keys)
    totals = per_type.groupby(keys, sort=False).agg(count=("n", "sum"), first=("first", "min"))
    summary = top.drop(columns=["n", "first"]).join(totals, on=keys).rename(columns={"event_type": "top_type"})
    summary = summary.sort_values(["count", "first"], ascending=[False, True], kind="stable")
    if limit is not None:
        summary = summary.head(limit)
    return summary[SUMMARY_COLUMNS].reset_index(drop=True)


def grid_cells(source: Source, filters: Filters, size: float, box: Box | None = None) -> pd.DataFrame:
    """Placements counted per square cell of ``size`` degrees (``row``, ``col`` = floor of lat / lon over size),
    with one column per event type; an incident placed twice in a cell counts once there.

    ``box`` (south, west, north, east) keeps the placements inside it.
    """
    if not size > 0:
        raise ValueError(f"`size` was {size!r} but is expected to be a positive number of degrees")
    q = Query(source, filters)
    placed = _in_box(q.selected("placements"), box)
    cells = placed.select(row=(placed.lat / size).floor().cast("int64"), col=(placed.lon / size).floor().cast("int64"),
                          ord=placed.ord, event_type=placed.event_type).distinct()
    counts = q.run(cells.group_by("row", "col", "event_type").aggregate(n=_.count()))
    table = counts.pivot_table(index=["row", "col"], columns="event_type", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(ALL_EVENT_TYPES), fill_value=0).astype("int64")
    table.insert(0, "count", table.sum(axis=1))
    table.columns.name = None
    return table.reset_index().sort_values(["row", "col"]).reset_index(drop=True)


def cell_count(source: Source, filters: Filters, size: float, box: Box | None = None) -> int:
    """How many cells of ``size`` degrees :func:`grid_cells` would return."""
    q = Query(source, filters)
    placed = _in_box(q.selected("placements"), box)
    cells = placed.select(row=(placed.lat / size).floor().cast("int64"), col=(placed.lon / size).floor().cast("int64"))
    return int(q.scalar(cells.distinct().count()) or 0)


def overview(source: Source, filters: Filters, box: Box | None = None) -> dict:
    """What a map of the selection inside ``box`` would draw one by one, in one query.

    Returns ``placements`` and ``incidents`` (counted at their own
    coordinates), ``places`` (sites and places counted where they are drawn,
    at their anchor) and ``extent``: the box (south, west, north, east)
    around every selected placement, or None when none is placed.
    """
    q = Query(source, filters)
    placed = q.selected("placements")
    own = anchored = None
    if box is not None:
        south, west, north, east = box
        own = placed.lat.between(south, north) & placed.lon.between(west, east)
        anchored = placed.anchor_lat.between(south, north) & placed.anchor_lon.between(west, east)
    key = placed.place_kind + "|" + placed.site_id
    frame = q.run(placed.aggregate(
        placements=placed.count(where=own), incidents=placed.ord.nunique(where=own),
        places=key.nunique(where=anchored), south=placed.lat.min(), west=placed.lon.min(),
        north=placed.lat.max(), east=placed.lon.max()))
    row = frame.iloc[0]
    bounds = [row[k] for k in ("south", "west", "north", "east")]
    return {"placements": _count(row["placements"]), "incidents": _count(row["incidents"]),
            "places": _count(row["places"]),
            "extent": None if any(v is None or pd.isna(v) for v in bounds) else tuple(float(v) for v in bounds)}


def _count(value) -> int:
    """A count of an aggregate, 0 where the engine answers NULL (Spark does for a filtered count of no rows)."""
    return 0 if value is None or pd.isna(value) else int(value)


def incident_points(source: Source, filters: Filters, limit: int, box: Box | None = None) -> pd.DataFrame:
    """One row per placement inside ``box`` with the few details a map marker shows, in incident order, at most ``limit``.

    Columns: ``incident_id``, ``site_id`` and ``place_kind`` of the place,
    ``site_name``, ``lat``, ``lon``, ``uncertainty_km``, ``sites_named``, ``date``,
    ``event_type``, ``confirmation``, ``place`` and the casualty figures.
    """
    q = Query(source, filters)
    placed = _in_box(q.selected("placements"), box).order_by("ord", "pos").limit(limit)
    placed = placed.select("ord", "pos", "site_id", "place_kind", "site_name", "lat", "lon", "uncertainty_km",
                           "sites_named")
    incidents = source.incidents
    joined = placed.join(incidents, placed.ord == incidents.ord)
    columns = ("incident_id", "date", "event_type", "confirmation", "place", "killed", "killed_max", "injured",
               "injured_max")
    frame = q.run(joined.select(placed, *[incidents[c] for c in columns]).order_by("ord", "pos"))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.drop(columns=["ord", "pos"]).reset_index(drop=True)


def placed_count(source: Source, filters: Filters) -> int:
    """How many selected incidents have at least one placement."""
    q = Query(source, filters)
    return int(q.scalar(q.selected("placements").aggregate(n=_.ord.nunique())) or 0)
