"""Incidents of a selection as rows: a page (offset, limit, sort) and its total, subsets, and all rows for exports.

Rows come in date order, then by id (as the loaded incidents are), whatever
sources are stacked; a sort column goes first.
"""
from __future__ import annotations

import ibis
import pandas as pd
from ibis import _

from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import Query
from dashboard.core.view.filters import Filters

INCIDENT_COLUMNS = ["ord", "incident_id", "date", "date_certainty", "place", "site_id", "country", "event_type",
                    "actor", "casualties", "killed", "killed_max", "injured", "injured_max", "confirmation", "sources",
                    "notes", "line", "mapped", "unmapped_reason"]
LIST_COLUMNS = ("site_id", "country", "sources")
INT_COLUMNS = ("killed", "killed_max", "injured", "injured_max", "line")
TEXT_COLUMNS = ("date_certainty", "place", "event_type", "actor", "casualties", "confirmation", "notes")
#: Columns a page of rows may be sorted by (then by date and id, so pages never overlap).
SORT_COLUMNS = ("date", "incident_id", "event_type", "killed", "injured", "confirmation", "place")
#: Named subsets of a selection a page can list.
SUBSETS = ("all", "unmapped", "uncertain_date")
#: Most rows one page may hold.
MAX_PAGE = 10_000


def incident_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows from the engine in the layout of loaded incidents: dates as timestamps, lists as tuples, Int64 figures."""
    frame = frame.copy()
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for column in LIST_COLUMNS:
        if column in frame:
            frame[column] = [tuple(v) if v is not None and not (isinstance(v, float) and v != v) else ()
                             for v in frame[column]]
    for column in INT_COLUMNS:
        if column in frame:
            frame[column] = pd.array(frame[column], dtype="Int64")
    for column in TEXT_COLUMNS:
        if column in frame:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def _subset(q: Query, subset: str = "all", site: str | None = None) -> ibis.Table:
    if subset not in SUBSETS:
        raise ValueError(f"`subset` was {subset!r} but is expected to be in {list(SUBSETS)}")
    chosen = q.selected()
    if subset == "unmapped":
        chosen = chosen.filter(~chosen.mapped)
    elif subset == "uncertain_date":
        chosen = chosen.filter(chosen.date_certainty != "reported")
    if site is not None:
        links = q.source.incident_sites
        chosen = chosen.filter(chosen.ord.isin(links.filter(q.member("q_site", [site], links.site_id)).ord))
    return chosen


def total(source: Source, filters: Filters, subset: str = "all", site: str | None = None) -> int:
    """How many selected incidents ``subset`` (and ``site``, when given) holds."""
    q = Query(source, filters)
    return int(q.scalar(_subset(q, subset, site).aggregate(n=_.count())) or 0)


def page(source: Source, filters: Filters, offset: int = 0, limit: int = 500, sort: str = "date",
         descending: bool = False, subset: str = "all", site: str | None = None) -> pd.DataFrame:
    """One page of the selected incidents, sorted by ``sort`` (then date and id).

    Parameters
    ----------
    offset, limit : int
        Rows to skip and rows to return (at most :data:`MAX_PAGE`).
    sort : str
        One of :data:`SORT_COLUMNS`; ``descending`` reverses it (missing figures last).
    subset : {"all", "unmapped", "uncertain_date"}
        All selected incidents, those not on the map, or those whose date is not as reported.
    site : str, optional
        Only the incidents naming this site.
    """
    if sort not in SORT_COLUMNS:
        raise ValueError(f"`sort` was {sort!r} but is expected to be in {list(SORT_COLUMNS)}")
    if not 0 <= offset or not 0 < limit <= MAX_PAGE:
        raise ValueError(f"`offset` ({offset}) and `limit` ({limit}) must be >= 0 and in 1..{MAX_PAGE}")
    q = Query(source, filters)
    chosen = _subset(q, subset, site)
    key = ibis.desc(sort, nulls_first=False) if descending else ibis.asc(sort, nulls_first=False)
    keys = [key] + [column for column in ("date", "incident_id") if column != sort]
    return incident_frame(q.run(source.engine.ordered_page(chosen, keys, limit, offset).select(*INCIDENT_COLUMNS)))


def page_with_total(source: Source, filters: Filters, offset: int = 0, limit: int = 500, sort: str = "date",
                    descending: bool = False, subset: str = "all", site: str | None = None) -> tuple[pd.DataFrame, int]:
    """:func:`page` and :func:`total` together (two queries: a window count over the subset cost more)."""
    return (page(source, filters, offset, limit, sort, descending, subset, site),
            total(source, filters, subset, site))


def all_rows(source: Source, filters: Filters, subset: str = "all") -> pd.DataFrame:
    """Every selected incident in date order (for the downloads, which hold the whole selection)."""
    q = Query(source, filters)
    chosen = _subset(q, subset).order_by("date", "incident_id")
    return incident_frame(q.run(chosen.select(*INCIDENT_COLUMNS)))


def all_placements(source: Source, filters: Filters) -> pd.DataFrame:
    """Every placement of the selected incidents, in incident order (for the GeoJSON and KML downloads)."""
    q = Query(source, filters)
    placed = q.selected("placements").order_by("ord", "pos")
    return q.run(placed.select("incident_id", "site_id", "place_kind", "site_name", "lat", "lon",
                                           "coord_precision", "uncertainty_km", "sites_named"))


def nearby_incidents(source: Source, records: list[dict], window_days: int) -> pd.DataFrame:
    """Every incident dated within ``window_days`` of the dates (``date``..``date_end``) of ``records``."""
    days = [pd.Timestamp(d) for r in records for d in (r.get("date"), r.get("date_end")) if d not in (None, "")
            and not pd.isna(pd.Timestamp(d))]
    if not days:
        return incident_frame(pd.DataFrame(columns=INCIDENT_COLUMNS))
    start = (min(days) - pd.Timedelta(days=window_days)).date()
    end = (max(days) + pd.Timedelta(days=window_days)).date()
    return all_rows(source, Filters(start=start, end=end))
